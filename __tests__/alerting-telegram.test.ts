/**
 * The rendered alertmanager.yml and telegram.tmpl in the real Alertmanager of each program set of
 * the version matrix (testing/program-sets.ts: Debian stable's 0.25, sid's 0.33 by default), with
 * Telegram's Bot API faked on loopback: routing per severity, the message text, escaping, size,
 * retries, resolution, the Watchdog and inhibition. Timings run minutes as seconds (same tree).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  ALERT_NAMES,
  AlertName,
  INHIBITIONS,
  MESSAGE_LIMITS,
  NOTIFICATIONS_FAILING,
  SEVERITY_STYLE,
  TELEGRAM_INTEGRATION,
  WATCHDOG,
  alertRule,
  renderAlertmanagerFiles,
} from '../domain/alerting';
import { parseMonitoringConfig } from '../config/monitoring-config';
import { linkAnnotations, runbookUrl } from '../domain/rules';
import { panelUrl } from '../domain/dashboards';
import { FakeTelegram, SentMessage, TELEGRAM_MAX_MESSAGE_LENGTH } from '../testing/fake-telegram';
import { ProcessGroup, freePort, sleep, waitFor, waitForHttpOk } from '../testing/processes';
import { describeOnProgramSets } from '../testing/program-sets';

const SECRETS = {
  telegramBotToken: '123456:TEST-not-a-token',
  telegramChatIds: { critical: '-1001', warning: '-1002', info: '-1003' },
};
const EXTERNAL_URL = 'http://alertmanager.example:9093';
/** Where the rules' links point, as Prometheus would send them. */
const LINKS = { grafanaUrl: 'https://grafana.example.com' };
/** Minutes run as seconds: critical waits 167 ms and flushes every second. */
const TIMING_SCALE = 1 / 60;
/** Longer than any scaled group_wait (info: 1 s): what was not sent by then was held back. */
const QUIET_PERIOD_MS = 1_500;

interface PostableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
}

function specAlert(
  name: AlertName,
  labels: Record<string, string>,
  annotations: Record<string, string> = {},
): PostableAlert {
  return {
    labels: { alertname: name, severity: alertRule(name).severity, ...labels },
    annotations: {
      summary: `${name} on ${labels.instance}`,
      description: `Test description of ${name}.`,
      ...linkAnnotations(alertRule(name), LINKS),
      ...annotations,
    },
  };
}

const DISK = { job: 'node-exporter', instance: 'node-1:9100', mountpoint: '/var/lib/postgresql', device: '/dev/sda1' };

/** An alert as Prometheus sends it for this rule: its own annotations, printed for these labels and value. */
function ruleAlert(name: AlertName, labels: Record<string, string>, value: string): PostableAlert {
  const rule = alertRule(name);
  return {
    labels: { alertname: name, severity: rule.severity, ...labels },
    annotations: {
      summary: rule.summary.expand(labels, value),
      description: rule.description.expand(labels, value),
      ...linkAnnotations(rule, LINKS),
    },
  };
}

const about = (instance: string) => (message: SentMessage) => message.text.includes(`<code>${instance}</code>`);

/** How the template escapes a text value (it escapes `&`, `<` and `>` itself, then marks it safe). */
function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

describeOnProgramSets('real Alertmanager to a fake Telegram Bot API', ['prometheus-alertmanager'], (programs) => {
  const processes = new ProcessGroup();
  let telegram: FakeTelegram;
  let alertmanager: string;

  async function post(alerts: PostableAlert[]): Promise<void> {
    const response = await fetch(`${alertmanager}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts),
    });
    expect(response.status).toBe(200);
  }

  beforeAll(async () => {
    telegram = await FakeTelegram.start();
    const dir = processes.tempDir('stm-alertmanager-');
    const config = parseMonitoringConfig({
      alerting: { externalUrl: EXTERNAL_URL, watchdogHeartbeatUrl: `${telegram.url}/heartbeat` },
    });
    for (const file of renderAlertmanagerFiles(config.alerting, SECRETS, {
      configDir: dir,
      timeScale: TIMING_SCALE,
      telegramApiUrl: telegram.url,
    })) {
      mkdirSync(dirname(join(dir, file.path)), { recursive: true });
      writeFileSync(join(dir, file.path), file.content);
    }
    alertmanager = `http://127.0.0.1:${await freePort()}`;
    processes.start('alertmanager', programs.binary('prometheus-alertmanager'), [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=${alertmanager.slice('http://'.length)}`,
      `--web.external-url=${EXTERNAL_URL}`,
      '--cluster.listen-address=',
    ]);
    await waitForHttpOk(`${alertmanager}/-/ready`);
  });

  afterAll(async () => {
    await processes.stopAll();
    await telegram?.stop();
  });

  afterEach(() => {
    // Every message Alertmanager sent in the test was valid Telegram HTML.
    expect(telegram.attempts.filter((m) => m.status !== 500).flatMap((m) => m.problems)).toEqual([]);
  });

  test('each severity reaches its own chat, with the message people read', async () => {
    await post([
      { ...ruleAlert('CriticalDiskUsage', DISK, '96.2%'), startsAt: '2025-03-14T09:26:00Z' },
      specAlert('CeleryQueueBacklog', { instance: 'celery-1:9808', queue_name: 'sync' }),
      specAlert('SyncOperationFailures', { instance: 'celery-2:9808', platform: 'ozon' }),
    ]);
    const [critical] = await telegram.waitForDelivered('critical', about('node-1:9100'));
    const [warning] = await telegram.waitForDelivered('warning', about('celery-1:9808'));
    const [info] = await telegram.waitForDelivered('info', about('celery-2:9808'));

    expect([critical.chatId, warning.chatId, info.chatId]).toEqual(['-1001', '-1002', '-1003']);
    expect(critical.token).toBe(SECRETS.telegramBotToken);
    expect([critical.parseMode, critical.disableNotification, info.disableNotification]).toEqual(['HTML', false, true]);
    expect(critical.text).toBe(
      [
        '🔴 <b>FIRING</b> · CRITICAL',
        '<b>CriticalDiskUsage</b> · <code>node-1:9100</code> · 1 firing',
        '',
        '▸ <b>Disk usage on /var/lib/postgresql (/dev/sda1) of node-1:9100 is 96.2%</b>',
        'Disk usage on /var/lib/postgresql (/dev/sda1) of node-1:9100 has been above 95% for 2m.',
        'mount <code>/var/lib/postgresql</code>',
        '🕒 2025-03-14 09:26 UTC',
        '',
        `📖 <a href="${runbookUrl('CriticalDiskUsage')}">Runbook</a>` +
          ` · 📈 <a href="${panelUrl(alertRule('CriticalDiskUsage').panel, LINKS.grafanaUrl)}">Panel</a>` +
          ` · 🔕 <a href="${EXTERNAL_URL}/#/silences/new?filter=%7Balertname%3D%22CriticalDiskUsage%22%2Cinstance%3D%22node-1%3a9100%22%7D">Silence</a>`,
      ].join('\n'),
    );
    expect(warning.text).toMatch(
      new RegExp(`^${SEVERITY_STYLE.warning.emoji} <b>FIRING</b> · WARNING\n<b>CeleryQueueBacklog</b>`),
    );
    expect(warning.text).toContain('queue <code>sync</code>');
    expect(info.text).toMatch(
      new RegExp(`^${SEVERITY_STYLE.info.emoji} <b>FIRING</b> · INFO\n<b>SyncOperationFailures</b>`),
    );
    expect(info.text).toContain('platform <code>ozon</code>');
  });

  test('label values and annotations are HTML-escaped; odd values stay out of links', async () => {
    const instance = '<edge & "co">:9100';
    await post([specAlert('HighMemoryUsage', { instance }, { description: 'Memory > 85% for <5m> & rising' })]);
    const [message] = await telegram.waitForDelivered('escaped', about('&lt;edge &amp; "co"&gt;:9100'));
    expect(message.text).toContain('Memory &gt; 85% for &lt;5m&gt; &amp; rising');
    expect(message.text).toContain('filter=%7Balertname%3D%22HighMemoryUsage%22%7D');
  });

  test('a group of 50 alerts is summarised under 4096 characters', async () => {
    const queues = Array.from({ length: 50 }, (_, i) => `sync-${String(i).padStart(2, '0')}`);
    await post(
      queues.map((queue, i) =>
        ruleAlert('CeleryQueueBacklog', { instance: 'celery-50:9808', queue_name: queue }, String(101 + i)),
      ),
    );
    const [message] = await telegram.waitForDelivered('50 alerts', about('celery-50:9808'));
    expect(message.text).toContain('· 50 firing');
    expect(message.text.match(/▸ /g)).toHaveLength(MESSAGE_LIMITS.alertsShown);
    expect(message.text).toContain(`… and ${50 - MESSAGE_LIMITS.alertsShown} more`);
    expect([...message.text].length).toBeLessThan(TELEGRAM_MAX_MESSAGE_LENGTH);
  });

  test('even 50 alerts with every value at its longest and worst to escape fit, firing and resolved', async () => {
    const plainAtLimit = ':'.repeat(MESSAGE_LIMITS.filterValue); // plain, so it goes into the link too, each ":" as %3a
    const worst: PostableAlert[] = Array.from({ length: 50 }, (_, i) => ({
      labels: {
        alertname: plainAtLimit,
        severity: 'critical',
        instance: plainAtLimit,
        queue_name: `${'"&'.repeat(100)}${i}`,
        platform: 'Ω'.repeat(100),
        mountpoint: '&'.repeat(100),
      },
      annotations: {
        summary: '&'.repeat(500),
        description: '<'.repeat(1000),
        runbook_url: `https://example.org/${'a'.repeat(MESSAGE_LIMITS.url - 'https://example.org/'.length)}`,
        dashboard_url: `https://example.org/${'d'.repeat(MESSAGE_LIMITS.url - 'https://example.org/'.length)}`,
      },
    }));
    await post(worst);
    const [firing] = await telegram.waitForDelivered('worst case', about(plainAtLimit));
    await post(worst.map((alert) => ({ ...alert, endsAt: new Date().toISOString() })));
    const [resolved] = await telegram.waitForDelivered(
      'worst case resolved',
      (m) => about(plainAtLimit)(m) && m.text.includes('RESOLVED'),
    );
    for (const message of [firing, resolved]) {
      expect([...message.text].length).toBeLessThan(TELEGRAM_MAX_MESSAGE_LENGTH);
      // Alertmanager did not have to cut it (its cut ends the text with "…" wherever it falls), and every link is in.
      expect(message.text).toMatch(
        />Runbook<\/a> · 📈 <a href="https:\/\/example\.org\/d{180}">Panel<\/a> · 🔕 <a [^>]+>Silence<\/a>$/,
      );
    }
  });

  test('when Telegram answers 500 twice and then 200, the message is delivered once', async () => {
    const instance = 'retry-probe:1';
    telegram.failNext([500, 500], about(instance));
    await post([specAlert('HighErrorRate', { instance })]);
    await telegram.waitForDelivered('after retries', about(instance));
    await sleep(QUIET_PERIOD_MS);
    expect(telegram.attempts.filter(about(instance)).map((m) => m.status)).toEqual([500, 500, 200]);
  });

  test('a resolved alert sends a resolved message', async () => {
    const instance = 'resolve-probe:1';
    const alert = specAlert('CriticalMemoryUsage', { instance });
    await post([alert]);
    await telegram.waitForDelivered('firing', about(instance));
    const endsAt = new Date().toISOString();
    await post([{ ...alert, endsAt }]);
    const [resolved] = await telegram.waitForDelivered(
      'resolved',
      (m) => about(instance)(m) && m.text.includes('RESOLVED'),
    );
    expect(resolved.chatId).toBe(SECRETS.telegramChatIds.critical);
    expect(resolved.text).toMatch(
      /^✅ <b>RESOLVED<\/b> · CRITICAL\n<b>CriticalMemoryUsage<\/b> · <code>resolve-probe:1<\/code> · 1 resolved\n/,
    );
    expect(resolved.text).toMatch(/\n🕒 \d{4}-\d\d-\d\d \d\d:\d\d UTC → \d{4}-\d\d-\d\d \d\d:\d\d UTC\n/);
  });

  test("every alert's resolved message says it resolved, gives the value as when it fired, and leaves the description out", async () => {
    // Every label some summary or description prints (a rule's own labels are a subset); each alert its
    // own job and instance, so no inhibition between same things holds one back.
    const printed = {
      queue_name: 'sync',
      platform: 'ozon',
      name: 'sync_tenant_products',
      mountpoint: '/',
      device: 'sda1',
      fstype: 'ext4',
      // Not telegram: AlertmanagerNotificationsFailing for telegram would hold the Watchdog back.
      integration: 'webhook',
      rule_group: 'host',
      operation: 'update',
      image: 'stock-tracker-api:1',
      mechanism: 'docker',
    };
    const names = ALERT_NAMES.filter((name) => name !== WATCHDOG);
    const alertOf = (name: AlertName) => {
      const i = names.indexOf(name);
      return ruleAlert(name, { ...printed, job: `resolve-${i}`, instance: `resolved-${i}:1` }, '91.5');
    };
    // The causes that hold back alerts on any thing (one database, one Redis) go each in a round of its own.
    const globalCauses = new Set(INHIBITIONS.filter((i) => i.sameThing.length === 0).map((i) => i.source));
    const rounds = [names.filter((name) => !globalCauses.has(name)), ...[...globalCauses].map((name) => [name])];
    const wrong: string[] = [];
    for (const round of rounds) {
      const alerts = round.map(alertOf);
      const isOurs = (m: SentMessage) => alerts.some((alert) => about(alert.labels.instance)(m));
      const before = telegram.delivered.filter((m) => isOurs(m) && m.text.includes('RESOLVED')).length;
      await post(alerts);
      await telegram.waitForDelivered(
        'every firing message',
        (m) => isOurs(m) && m.text.includes('FIRING'),
        alerts.length,
      );
      const endsAt = new Date().toISOString();
      await post(alerts.map((alert) => ({ ...alert, endsAt })));
      await telegram.waitForDelivered(
        'every resolved message',
        (m) => isOurs(m) && m.text.includes('RESOLVED'),
        before + alerts.length,
      );
      for (const alert of alerts) {
        const name = alert.labels.alertname;
        const message = telegram.delivered.find((m) => about(alert.labels.instance)(m) && m.text.includes('RESOLVED'));
        const problems = [
          ...(message?.text.includes(`▸ <b>Resolved: ${name}</b>`) ? [] : ['does not say it resolved']),
          ...(message?.text.includes(`when it fired: ${escapeHtml(alert.annotations.summary).slice(0, 40)}`)
            ? []
            : ['does not give the summary as when it fired']),
          ...(message?.text.includes(escapeHtml(alert.annotations.description).slice(0, MESSAGE_LIMITS.description - 1))
            ? ['shows the description, which states the firing condition as current']
            : []),
        ];
        wrong.push(...problems.map((problem) => `${name}: ${problem}`));
      }
    }
    expect(wrong).toEqual([]);
  });

  test('the Watchdog beats the heartbeat URL and never reaches Telegram', async () => {
    await post([
      { labels: { alertname: WATCHDOG, severity: alertRule(WATCHDOG).severity }, annotations: { summary: 'Watchdog' } },
    ]);
    const beat = await waitFor(
      'a Watchdog heartbeat',
      async () => telegram.otherRequests.find((r) => r.path === '/heartbeat'),
      5_000,
      50,
    );
    expect(JSON.parse(beat.body)).toMatchObject({ receiver: 'watchdog', commonLabels: { alertname: 'Watchdog' } });
    expect(telegram.attempts.filter((m) => m.text.includes(`<b>${WATCHDOG}</b>`))).toEqual([]);
  });

  test('only Telegram failing holds the Watchdog back: a failing heartbeat webhook does not', async () => {
    const alertmanagerLabels = { job: 'alertmanager', instance: 'alertmanager-1:9093' };
    const failing = (integration: string) => specAlert(NOTIFICATIONS_FAILING, { ...alertmanagerLabels, integration });
    const watchdog = specAlert(WATCHDOG, { instance: 'watchdog-probe:1' });
    const status = async () =>
      (
        (await (await fetch(`${alertmanager}/api/v2/alerts?filter=instance%3D%22watchdog-probe%3A1%22`)).json()) as {
          status: { state: string; inhibitedBy: string[] };
        }[]
      )[0]?.status;
    const ended = (alert: PostableAlert) => ({ ...alert, endsAt: new Date().toISOString() });

    await post([failing(TELEGRAM_INTEGRATION), watchdog]);
    await waitFor('the Watchdog held back', async () => (await status())?.state === 'suppressed', 5_000);
    await post([ended(failing(TELEGRAM_INTEGRATION))]);
    await waitFor('the Watchdog active again', async () => (await status())?.state === 'active', 5_000);

    await post([failing('webhook')]);
    await sleep(QUIET_PERIOD_MS);
    // From 0.28 the status also lists `mutedBy` (time intervals muting the alert, api/v2/openapi.yaml).
    expect(await status()).toMatchObject({ state: 'active', inhibitedBy: [], silencedBy: [] });
    await post([failing('webhook'), watchdog].map(ended));
  });

  // Last: its sources with no label in common inhibit their targets everywhere while they fire.
  test('inhibition holds back what a firing cause explains, and nothing else', async () => {
    const alerts = INHIBITIONS.flatMap((rule, i) => {
      const thing = { job: `inhibit-${i}`, instance: `inhibit-${i}:9100`, mountpoint: '/' };
      const elsewhere = { job: `inhibit-${i}-other`, instance: `inhibit-${i}-other:9100`, mountpoint: '/other' };
      return [
        specAlert(rule.source, { ...thing, ...rule.sourceLabels }),
        ...rule.targets.map((target) => specAlert(target, thing)),
        // The same alert on another thing is not explained by this source.
        ...(rule.sameThing.length > 0 ? rule.targets.map((target) => specAlert(target, elsewhere)) : []),
      ];
    });
    const held = alerts.filter((target) => alerts.some((source) => inhibits(source, target)));
    const sent = alerts.filter((alert) => !held.includes(alert));
    expect(held.length).toBeGreaterThan(0);
    expect(
      sent.some((alert) => INHIBITIONS.some((rule) => rule.targets.includes(alert.labels.alertname as AlertName))),
    ).toBe(true);

    await post(alerts);
    const isAbout = (alert: PostableAlert) => (m: SentMessage) =>
      about(alert.labels.instance)(m) && m.text.includes(`<b>${alert.labels.alertname}</b>`);
    for (const alert of sent)
      await telegram.waitForDelivered(`${alert.labels.alertname} on ${alert.labels.instance}`, isAbout(alert));
    await sleep(QUIET_PERIOD_MS);
    expect(held.filter((alert) => telegram.attempts.some(isAbout(alert)))).toEqual([]);

    const states = (await (await fetch(`${alertmanager}/api/v2/alerts`)).json()) as {
      labels: Record<string, string>;
      status: { inhibitedBy: string[] };
    }[];
    const inhibitedNow = states
      .filter((s) => s.labels.instance?.startsWith('inhibit-') && s.status.inhibitedBy.length > 0)
      .map((s) => `${s.labels.alertname}@${s.labels.instance}`);
    expect(inhibitedNow.sort()).toEqual(held.map((a) => `${a.labels.alertname}@${a.labels.instance}`).sort());

    await post(alerts.map((alert) => ({ ...alert, endsAt: new Date().toISOString() })));
  });
});

/** Alertmanager's inhibition, as INHIBITIONS declares it: the expected outcome, computed apart from the YAML. */
function inhibits(source: PostableAlert, target: PostableAlert): boolean {
  return INHIBITIONS.some(
    (rule) =>
      source.labels.alertname === rule.source &&
      Object.entries(rule.sourceLabels).every(([label, value]) => source.labels[label] === value) &&
      rule.targets.includes(target.labels.alertname as AlertName) &&
      rule.sameThing.every((label) => (source.labels[label] ?? '') === (target.labels[label] ?? '')),
  );
}
