/**
 * The check CLI without a stack: its options, its errors, the way checks run (time limits,
 * requirements, a throwing check), and the table and JSON it prints. The checks against real
 * servers are in check-loopback.test.ts.
 */
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { DEFAULT_CONFIG } from '../config/monitoring-config';
import {
  Check,
  CheckResult,
  HttpClient,
  buildChecks,
  failed,
  passed,
  runChecks,
  targetsFromConfig,
} from '../tools/check';
import { main, parseCliArgs } from '../tools/check/main';
import { renderJson, renderTable } from '../tools/check/report';

function capture(isTTY = false) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => err.push(text), isTTY },
      color: false,
    },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

function check(name: string, run: () => Promise<ReturnType<typeof passed>>, requires?: Check): Check {
  return { component: 'prometheus', name, run, requires };
}

describe('options', () => {
  test('defaults, and each option', () => {
    expect(parseCliArgs([])).toEqual({
      json: false,
      testTelegram: undefined,
      timeoutMs: 5_000,
      apiUrls: undefined,
      skip: [],
    });
    expect(
      parseCliArgs([
        '--json',
        '--test-telegram',
        '--severity',
        'critical',
        '--timeout',
        '800',
        '--api-url',
        'http://127.0.0.1:8000/metrics',
        '--skip',
        'cadvisor,grafana',
        '--skip',
        'api',
      ]),
    ).toEqual({
      json: true,
      testTelegram: 'critical',
      timeoutMs: 800,
      apiUrls: ['http://127.0.0.1:8000/metrics'],
      skip: ['cadvisor', 'grafana', 'api'],
    });
    expect(parseCliArgs(['--test-telegram'])).toMatchObject({ testTelegram: 'info' });
    expect(parseCliArgs(['--help'])).toBe('help');
  });

  test.each([
    [['--severity', 'page'], '--severity "page" is not one of critical, warning, info'],
    [['--severity', 'critical'], '--severity is the severity of --test-telegram: give both'],
    [['--timeout', 'soon'], '--timeout "soon" is not a whole number of milliseconds (100 or more)'],
    [
      ['--skip', 'grafna'],
      '--skip "grafna" is not a component: prometheus, alertmanager, grafana, postgresExporter, redisExporter, nodeExporter, cadvisor, celeryExporter, api, telegram',
    ],
    [['--api-url', 'api:8000'], '--api-url "api:8000" is not an http(s) URL'],
    [['--verbose'], "Unknown option '--verbose'"],
  ])('%j is a usage error: exit 2 with the reason and the usage, nothing checked', async (argv, reason) => {
    const { io, stdout, stderr } = capture();
    expect(await main(argv, {}, io, undefined)).toBe(2);
    expect(stderr()).toContain(reason);
    expect(stderr()).toContain('Usage: npm run check');
    expect(stdout()).toBe('');
  });

  test('a bad configuration is exit 2, naming the field and never the secret', async () => {
    const { io, stderr } = capture();
    const env = { PROMETHEUS_RETENTION: 'forever', TF_VAR_grafana_password: 'short' };
    expect(await main([], env, io, undefined)).toBe(2);
    expect(stderr()).toContain('PROMETHEUS_RETENTION (setting prometheus.retention): "forever"');
    expect(stderr()).toContain('TF_VAR_grafana_password');
    expect(stderr()).not.toContain('"short"');
  });
});

describe('targets from the configuration', () => {
  test('published ports on loopback, the API at its targets, the password from either variable', () => {
    const config = { ...DEFAULT_CONFIG, bindAddress: '0.0.0.0' };
    const targets = targetsFromConfig(config, { TF_VAR_grafana_password: 'from-terraform-var' });
    expect(targets.urls).toMatchObject({
      prometheus: 'http://127.0.0.1:9090',
      alertmanager: 'http://127.0.0.1:9093',
      grafana: 'http://127.0.0.1:3000',
      cadvisor: 'http://127.0.0.1:8080',
    });
    expect(targets.apiMetricsUrls).toEqual(['http://api:8000/metrics']);
    expect(targets.grafanaAuth).toEqual({ user: 'admin', password: 'from-terraform-var' });
    expect(
      targetsFromConfig(config, { GRAFANA_PASSWORD: 'operator', TF_VAR_grafana_password: 'terraform' }).grafanaAuth
        ?.password,
    ).toBe('operator');
    expect(targetsFromConfig(config, {}).grafanaAuth).toBeUndefined();
  });

  test('expectations come from the typed rules, routing and dashboards', () => {
    const { expected } = targetsFromConfig(DEFAULT_CONFIG, {});
    expect(expected.jobs).toHaveLength(9);
    expect(expected.ruleGroups).toContain('stock-tracker-api');
    expect(expected.receivers).toEqual(['telegram-critical', 'telegram-warning', 'telegram-info', 'watchdog']);
    expect(expected.groupWait).toEqual({ critical: '10s', warning: '30s', info: '1m' });
    expect(expected.dashboards.length).toBeGreaterThanOrEqual(2);
  });

  test('--skip drops a component and the checks about it; without a password the Grafana checks say which variable to set', async () => {
    const targets = targetsFromConfig(DEFAULT_CONFIG, {});
    const names = buildChecks(targets, { skip: ['cadvisor'] }).map((c) => `${c.component}: ${c.name}`);
    expect(names.filter((name) => /cadvisor|cAdvisor/.test(name))).toEqual([]);
    const grafana = buildChecks(targets).filter((c) => c.component === 'grafana' && c.requires);
    const outcomes = await Promise.all(grafana.map((c) => c.run()));
    expect(outcomes).toEqual(
      grafana.map(() => failed('needs the admin password: set GRAFANA_PASSWORD or TF_VAR_grafana_password')),
    );
  });
});

describe('running checks', () => {
  test('results keep the order of the checks, a throwing check fails with its message, a failed requirement skips its dependents', async () => {
    const gate = check('answers', async () => failed('connection refused'));
    const results = await runChecks([
      gate,
      check('depends', async () => passed('never run'), gate),
      check('throws', async () => {
        throw new Error('boom');
      }),
      check('fine', async () => passed('ok')),
    ]);
    expect(results.map(({ name, ok, detail }) => ({ name, ok, detail }))).toEqual([
      { name: 'answers', ok: false, detail: 'connection refused' },
      { name: 'depends', ok: false, detail: 'not checked: answers failed' },
      { name: 'throws', ok: false, detail: 'boom' },
      { name: 'fine', ok: true, detail: 'ok' },
    ]);
  });

  test('at most `concurrency` checks run at once, and progress is told as each starts', async () => {
    let running = 0;
    let most = 0;
    const slow = (name: string) =>
      check(name, async () => {
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 20));
        running--;
        return passed(name);
      });
    const started: string[] = [];
    await runChecks(['a', 'b', 'c', 'd', 'e'].map(slow), {
      concurrency: 2,
      onStart: (c, finished, total) => started.push(`${c.name} ${finished}/${total}`),
    });
    expect(most).toBe(2);
    expect(started[0]).toBe('a 0/5');
    expect(started).toHaveLength(5);
  });

  test('every request has a time limit', async () => {
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/-/ready`;
    try {
      const started = Date.now();
      await expect(new HttpClient(200).get(url)).rejects.toThrow(`GET ${url}: no answer within 200 ms`);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('output', () => {
  const results: CheckResult[] = [
    { component: 'prometheus', name: 'answers /-/ready', ok: true, detail: 'ready', durationMs: 3 },
    { component: 'nodeExporter', name: 'answers /metrics', ok: false, detail: 'connection refused', durationMs: 1 },
  ];

  test('a table with a mark per check, green and red on a terminal', () => {
    const plain = renderTable(results, { color: false, elapsedMs: 1234 });
    expect(plain.split('\n')).toEqual([
      '✔ Prometheus     answers /-/ready  ready',
      '✘ node-exporter  answers /metrics  connection refused',
      '',
      '✘ 1 passed, 1 failed in 1.2 s',
    ]);
    const coloured = renderTable(results, { color: true, elapsedMs: 0 });
    expect(coloured).toContain('\x1b[32m✔\x1b[0m Prometheus');
    expect(coloured).toContain('\x1b[31m✘\x1b[0m node-exporter');
  });

  test('JSON for machines', () => {
    expect(JSON.parse(renderJson(results))).toEqual({ ok: false, passed: 1, failed: 1, checks: results });
  });
});
