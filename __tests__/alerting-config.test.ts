/**
 * The rendered alertmanager.yml and telegram.tmpl: what they say (parsed back), a snapshot, and
 * amtool's verdict on the file Terraform will write (expressions substituted by dummy values).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import {
  ALERT_NAMES,
  ALERTMANAGER_CONFIG_FILE,
  AlertName,
  AlertmanagerSecrets,
  FALLBACK_SEVERITY,
  INHIBITIONS,
  NOTIFICATIONS_FAILING,
  TELEGRAM_INTEGRATION,
  TELEGRAM_TEMPLATE_FILE,
  WATCHDOG,
  MESSAGE_LIMITS,
  WATCHDOG_RECEIVER,
  alertRule,
  inhibitedBy,
  renderAlertmanagerFiles,
  telegramReceiver,
} from '../domain/alerting';
import { AlertmanagerConfigFile } from '../domain/alerting/model';
import { ConfigError } from '../config/errors';
import { MonitoringConfig, parseMonitoringConfig } from '../config/monitoring-config';
import { SEVERITIES } from '../core/severity';
import { JOB } from '../core/components';
import { RATE_WINDOW } from '../domain/metrics/recordings';
import { STILL_FAILING_WINDOW } from '../domain/rules/conditions';
import { ProcessGroup } from '../testing/processes';
import { describeOnProgramSets } from '../testing/program-sets';

/** What the stack passes at synth: Terraform expressions, substituted at deploy. */
const TERRAFORM_SECRETS: AlertmanagerSecrets = {
  telegramBotToken: '${var.telegram_bot_token}',
  telegramChatIds: {
    critical: '${var.telegram_critical_chat_id}',
    warning: '${var.telegram_alert_chat_id}',
    info: '${var.telegram_alert_chat_id}',
  },
};
/** What Terraform substitutes, in tests: dummy values of the right shape. */
const DUMMY_VALUES: Record<string, string> = {
  '${var.telegram_bot_token}': '123456:TEST-not-a-token',
  '${var.telegram_critical_chat_id}': '-1001',
  '${var.telegram_alert_chat_id}': '-1002',
};

function render(
  config: MonitoringConfig = parseMonitoringConfig(),
  options = {},
): { yaml: string; template: string; parsed: AlertmanagerConfigFile } {
  const files = renderAlertmanagerFiles(config.alerting, TERRAFORM_SECRETS, options);
  const file = (path: string) => files.find((f) => f.path === path)?.content ?? '';
  const yaml = file(ALERTMANAGER_CONFIG_FILE);
  return { yaml, template: file(TELEGRAM_TEMPLATE_FILE), parsed: parse(substitute(yaml)) as AlertmanagerConfigFile };
}

/** The file as Terraform writes it at deploy. */
function substitute(yaml: string): string {
  return Object.entries(DUMMY_VALUES).reduce((text, [expression, value]) => text.replaceAll(expression, value), yaml);
}

const withHeartbeat = () =>
  parseMonitoringConfig({ alerting: { watchdogHeartbeatUrl: 'https://hc-ping.example/abc' } });

describe('rendered Alertmanager configuration', () => {
  test('two files: alertmanager.yml and templates/telegram.tmpl, templates read from the config dir', () => {
    const files = renderAlertmanagerFiles(parseMonitoringConfig().alerting, TERRAFORM_SECRETS);
    expect(files.map((f) => f.path)).toEqual(['alertmanager.yml', 'templates/telegram.tmpl']);
    expect(render().parsed.templates).toEqual(['/etc/alertmanager/templates/*.tmpl']);
    expect(render(undefined, { configDir: '/tmp/am-test' }).parsed.templates).toEqual([
      '/tmp/am-test/templates/*.tmpl',
    ]);
  });

  test('snapshot: secrets are Terraform expressions, chat ids unquoted so they become integers', () => {
    const { yaml, template } = render();
    expect(yaml).toMatch(/^ {8}chat_id: \$\{var\.telegram_critical_chat_id\}$/m);
    expect(yaml).toMatch(/^ {6}- bot_token: "\$\{var\.telegram_bot_token\}"$/m);
    expect(yaml).not.toMatch(/bot_token_file|chat_id_file|message_thread_id/); // 0.25 rejects them
    expect(Object.values(DUMMY_VALUES).some((value) => yaml.includes(value))).toBe(false);
    expect(yaml).toMatchSnapshot('alertmanager.yml');
    expect(template).toMatchSnapshot('telegram.tmpl');
  });

  test('one Telegram receiver per severity with its own chat: HTML, resolved messages, info without sound', () => {
    const { parsed } = render();
    for (const severity of SEVERITIES) {
      const receiver = parsed.receivers.find((r) => r.name === telegramReceiver(severity));
      expect(receiver?.telegram_configs).toEqual([
        expect.objectContaining({
          parse_mode: 'HTML',
          send_resolved: true,
          disable_notifications: severity === 'info',
          message: '{{ template "stocktracker.telegram.message" . }}',
        }),
      ]);
    }
    const chatIds = SEVERITIES.map(
      (severity) => parsed.receivers.find((r) => r.name === telegramReceiver(severity))?.telegram_configs?.[0].chat_id,
    );
    expect(chatIds).toEqual([-1001, -1002, -1002]);
  });

  test('the Watchdog goes first to its own receiver: dropped by default, posted to the heartbeat URL when set', () => {
    const [watchdogRoute] = render().parsed.route.routes ?? [];
    expect(watchdogRoute).toMatchObject({ receiver: WATCHDOG_RECEIVER, matchers: [`alertname="${WATCHDOG}"`] });
    expect(render().parsed.receivers.find((r) => r.name === WATCHDOG_RECEIVER)).toEqual({ name: WATCHDOG_RECEIVER });
    expect(render(withHeartbeat()).parsed.receivers.find((r) => r.name === WATCHDOG_RECEIVER)).toEqual({
      name: WATCHDOG_RECEIVER,
      webhook_configs: [{ url: 'https://hc-ping.example/abc', send_resolved: false }],
    });
  });

  test('timings per severity come from the config, can be overridden, and scale for tests', () => {
    const timingsOf = (parsed: AlertmanagerConfigFile) =>
      Object.fromEntries(
        (parsed.route.routes ?? []).map((r) => [r.receiver, [r.group_wait, r.group_interval, r.repeat_interval]]),
      );
    expect(timingsOf(render().parsed)).toEqual({
      [WATCHDOG_RECEIVER]: ['0s', '1m', '50s'],
      'telegram-critical': ['10s', '1m', '1h'],
      'telegram-warning': ['30s', '5m', '4h'],
      'telegram-info': ['1m', '10m', '12h'],
    });
    const overridden = parseMonitoringConfig({
      alerting: { timings: { critical: { groupWait: '5s', repeatInterval: '30m' } } },
    });
    expect(timingsOf(render(overridden).parsed)['telegram-critical']).toEqual(['5s', '1m', '30m']);
    expect(timingsOf(render(undefined, { timeScale: 1 / 60 }).parsed)['telegram-critical']).toEqual([
      '167ms',
      '1s',
      '1m',
    ]);
    // Alerts without a known severity reach the fallback receiver with its timings.
    expect(render().parsed.route).toMatchObject({
      receiver: telegramReceiver(FALLBACK_SEVERITY),
      group_by: ['alertname', 'instance'],
    });
  });

  test('a bad alerting setting is refused, naming the field and the value', () => {
    expect(() =>
      parseMonitoringConfig({
        alerting: { externalUrl: 'alertmanager:9093', timings: { warning: { repeatInterval: '1m' } } },
      }),
    ).toThrow(
      /alerting\.externalUrl: "alertmanager:9093" is not valid[\s\S]*alerting\.timings\.warning\.repeatInterval: "1m" must not be shorter than alerting\.timings\.warning\.groupInterval \(5m\)/,
    );
  });

  test('a secret that is neither a value nor a Terraform expression is refused, naming the field but not the value', () => {
    const leaked = 'my-chat-9';
    const bad = { ...TERRAFORM_SECRETS, telegramChatIds: { ...TERRAFORM_SECRETS.telegramChatIds, info: leaked } };
    const attempt = () => renderAlertmanagerFiles(parseMonitoringConfig().alerting, bad);
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(/secrets\.telegramChatIds\.info: "<secret of 9 characters>" is not an integer chat id/);
    expect(attempt).not.toThrow(new RegExp(leaked));
  });

  test('inhibition names alerts rules/ defines; a source is at least as severe as what it holds back', () => {
    const rank = (name: (typeof ALERT_NAMES)[number]) =>
      ['info', 'warning', 'critical'].indexOf(alertRule(name).severity);
    // A source is an alert name, narrowed by label values (sourceLabels); a target is alert names only.
    const named = render().parsed.inhibit_rules.flatMap((rule) => [rule.source_matchers[0], ...rule.target_matchers]);
    const names = named.flatMap(
      (matcher) => /^alertname=~?"(.*)"$/.exec(matcher)?.[1].split('|') ?? [`not an alertname matcher: ${matcher}`],
    );
    expect(names.filter((name) => !(ALERT_NAMES as string[]).includes(name))).toEqual([]);
    expect(ALERT_NAMES).toContain(WATCHDOG);
    for (const rule of INHIBITIONS) {
      expect(rule.targets.filter((target) => rank(target) > rank(rule.source))).toEqual([]);
    }
    // Each rule renders as written (sources, targets, "same thing" labels).
    expect(render().parsed.inhibit_rules.map((rule) => rule.equal)).toEqual(INHIBITIONS.map((rule) => rule.sameThing));
    expect(render().parsed.inhibit_rules.map((rule) => rule.source_matchers.slice(1))).toEqual(
      INHIBITIONS.map((rule) => Object.entries(rule.sourceLabels).map(([label, value]) => `${label}="${value}"`)),
    );
  });

  test('within an SLO each burn-rate tier holds back the slower ones; the threshold alert on the same errors is told once', () => {
    const held = (source: AlertName) => inhibitedBy(source).sort();
    for (const [slo, threshold] of [
      ['APIAvailability', 'HighErrorRate'],
      ['APILatency', 'HighLatency'],
      ['SyncSuccess', 'SyncOperationFailures'],
    ] as const) {
      const tiers = [`${slo}FastBurn`, `${slo}SlowBurn`, `${slo}SteadyBurn`] as const;
      // HighErrorRate pages before the availability pages (5 minutes against a filling 1h window):
      // it holds every tier back. The other threshold alerts come after their pages, held by them.
      const thresholdFirst = threshold === 'HighErrorRate';
      expect(held(tiers[0])).toEqual([tiers[1], tiers[2], ...(thresholdFirst ? [] : [threshold])].sort());
      expect(held(tiers[1])).toEqual([tiers[2], ...(thresholdFirst ? [] : [threshold])].sort());
      if (thresholdFirst) {
        expect(held(threshold)).toEqual([...tiers].sort());
        expect(held(tiers[2])).toEqual([]);
        continue;
      }
      // The ticket (info) and the threshold alert: the more severe holds the other back; on a tie the ticket, which says the budget left.
      const ticketFirst = alertRule(threshold).severity === 'info';
      expect(held(tiers[2])).toEqual(ticketFirst ? [threshold] : []);
      expect(held(threshold).includes(tiers[2])).toBe(!ticketFirst);
    }
  });

  test('HighErrorRate keeps firing past the 5-minute windows of the pages it holds back, and clears before PostgreSQLDown, which holds it back', () => {
    const keeps = (name: AlertName) => alertRule(name).keepFiringFor?.millis ?? 0;
    // Its condition clears within STILL_FAILING_WINDOW of the errors' end, the pages' within RATE_WINDOW.
    expect(STILL_FAILING_WINDOW.millis + keeps('HighErrorRate')).toBeGreaterThan(RATE_WINDOW.millis);
    // PostgreSQL down makes the API answer 5xx: HighErrorRate fires under it and must clear first.
    expect(inhibitedBy('PostgreSQLDown')).toContain('HighErrorRate');
    expect(keeps('PostgreSQLDown')).toBeGreaterThan(STILL_FAILING_WINDOW.millis + keeps('HighErrorRate'));
  });

  test('a root cause says in its message what it holds back, within the message limit, and names nothing it does not', () => {
    const causes = ALERT_NAMES.filter((name) => alertRule(name).description.toString().includes('are held back'));
    expect(causes.sort()).toEqual(['PostgreSQLDown', 'RedisDown']);
    const sloAlerts = ALERT_NAMES.filter((name) => alertRule(name).labels?.slo !== undefined);
    for (const cause of causes) {
      const description = alertRule(cause).description;
      const text = description.toString();
      const named = ALERT_NAMES.filter((name) => new RegExp(`\\b${name}\\b`).test(text));
      const saidTooAsGroups = [
        ...(text.includes('the SLO alerts') ? sloAlerts : []),
        ...(text.includes('the sync alerts') ? sloAlerts.filter((name) => name.startsWith('SyncSuccess')) : []),
      ];
      expect({
        cause,
        notHeld: [...named, ...saidTooAsGroups].filter((name) => !inhibitedBy(cause).includes(name)),
      }).toEqual({
        cause,
        notHeld: [],
      });
      expect(named.length).toBeGreaterThan(0);
      const job = cause === 'PostgreSQLDown' ? JOB.postgresExporter : JOB.redisExporter;
      expect(description.expand({ job }).length).toBeLessThanOrEqual(MESSAGE_LIMITS.description);
    }
    expect(inhibitedBy('PostgreSQLDown')).toContain('HighErrorRate');
    expect(inhibitedBy('RedisDown')).toContain('CeleryWorkerDown');
  });

  test("Telegram failing holds the Watchdog back, whatever its labels, so the dead man's switch raises the alarm", () => {
    const onWatchdog = render().parsed.inhibit_rules.filter((rule) =>
      rule.target_matchers.some((matcher) => matcher === `alertname="${WATCHDOG}"`),
    );
    // `equal` must stay empty: the Watchdog carries no job or instance, so any equal label would never match.
    expect(onWatchdog).toEqual([
      {
        source_matchers: [`alertname="${NOTIFICATIONS_FAILING}"`, `integration="${TELEGRAM_INTEGRATION}"`],
        target_matchers: [`alertname="${WATCHDOG}"`],
        equal: [],
      },
    ]);
  });
});

describeOnProgramSets('amtool on the rendered configuration', ['amtool'], (programs) => {
  const processes = new ProcessGroup();
  let dir: string;
  const amtool = (...args: string[]) =>
    spawnSync(programs.binary('amtool'), args, { encoding: 'utf8', timeout: 10_000 });

  beforeAll(() => {
    dir = processes.tempDir('stm-amtool-');
    for (const [name, config] of [
      ['default', parseMonitoringConfig()],
      ['heartbeat', withHeartbeat()],
    ] as const) {
      const { yaml, template } = render(config, { configDir: join(dir, name) });
      writeFileSync(join(dir, `${name}.yml`), substitute(yaml));
      mkdirSync(join(dir, name, 'templates'), { recursive: true });
      writeFileSync(join(dir, name, 'templates', 'telegram.tmpl'), template);
    }
  });
  afterAll(() => processes.stopAll());

  test('check-config accepts the file Terraform writes, with its template', () => {
    const result = amtool('check-config', join(dir, 'default.yml'), join(dir, 'heartbeat.yml'));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout.match(/- 1 templates/g)).toHaveLength(2);
    expect(result.stdout).toContain(`- ${INHIBITIONS.length} inhibit rules`);
  });

  test('routes: each severity to its receiver, the Watchdog to its own, an unknown severity to the fallback', () => {
    const cases: [string[], string][] = [
      ...SEVERITIES.map((severity): [string[], string] => [
        [`alertname=Test`, `severity=${severity}`],
        telegramReceiver(severity),
      ]),
      [[`alertname=${WATCHDOG}`, `severity=${alertRule(WATCHDOG).severity}`], WATCHDOG_RECEIVER],
      [['alertname=Test', 'severity=page'], telegramReceiver(FALLBACK_SEVERITY)],
    ];
    const routed = cases.map(([labels]) =>
      amtool('config', 'routes', 'test', `--config.file=${join(dir, 'default.yml')}`, ...labels).stdout.trim(),
    );
    expect(routed).toEqual(cases.map(([, receiver]) => receiver));
  });
});
