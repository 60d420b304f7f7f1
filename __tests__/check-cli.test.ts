/**
 * The check CLI without a stack: its options, its errors, the way checks run (time limits,
 * requirements, a throwing check), and the table and JSON it prints. The checks against real
 * servers are in check-loopback.test.ts.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { DEFAULT_CONFIG } from '../config/monitoring-config';
import { COMPONENTS, COMPONENT_DESCRIPTORS } from '../core/components';
import { freePort } from '../testing/processes';
import { StockTrackerSimulator } from '../testing/simulator';
import {
  CHECK_COMPONENTS,
  COMPONENT_LABELS,
  Check,
  CheckResult,
  HEALTH_ENDPOINTS,
  HttpClient,
  allPassed,
  buildChecks,
  failed,
  passed,
  runChecks,
  targetsFromConfig,
  unreachable,
} from '../tools/check';
import { USAGE, main, parseCliArgs } from '../tools/check/main';
import { MARK, renderJson, renderTable } from '../tools/check/report';
import { GUIDE_PATH } from '../tools/guide/render-guide';

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

  test('--skip takes the names the table prints, in any case, as well as the internal keys; the usage lists the table names', () => {
    expect(
      parseCliArgs(['--skip', 'postgres-exporter,cAdvisor', '--skip', 'API,telegram,PROMETHEUS,postgresExporter']),
    ).toMatchObject({
      skip: ['postgresExporter', 'cadvisor', 'api', 'telegram', 'prometheus'],
    });
    for (const component of CHECK_COMPONENTS) {
      expect(parseCliArgs(['--skip', COMPONENT_LABELS[component]])).toMatchObject({ skip: [component] });
      expect(parseCliArgs(['--skip', component])).toMatchObject({ skip: [component] });
    }
    expect(USAGE.replace(/\s+/g, ' ')).toContain(
      'Prometheus, Alertmanager, Grafana, postgres-exporter, redis-exporter, node-exporter, cAdvisor, celery-exporter, API, Telegram',
    );
    expect(USAGE.split('\n').filter((line) => line.length > 100)).toEqual([]);
  });

  test.each([
    [['--severity', 'page'], '--severity "page" is not one of critical, warning, info'],
    [['--severity', 'critical'], '--severity is the severity of --test-telegram: give both'],
    [['--timeout', 'soon'], '--timeout "soon" is not a whole number of milliseconds (100 or more)'],
    [
      ['--skip', 'grafna'],
      '--skip "grafna" is not a component: Prometheus, Alertmanager, Grafana, postgres-exporter, redis-exporter, node-exporter, cAdvisor, celery-exporter, API, Telegram',
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

  test('skipping every component checks nothing: exit 2 with the reason, never a pass', async () => {
    const { io, stdout, stderr } = capture();
    const everything = CHECK_COMPONENTS.map((component) => COMPONENT_LABELS[component]).join(',');
    expect(await main(['--skip', everything], {}, io, undefined)).toBe(2);
    expect(stderr()).toContain(
      'nothing to check: --skip Prometheus, Alertmanager, Grafana, postgres-exporter, redis-exporter, node-exporter, cAdvisor, celery-exporter, API, Telegram leaves out every check',
    );
    expect(stdout()).toBe('');
    // Telegram has checks only with --test-telegram: skipping every other component leaves none either.
    const others = capture();
    const allButTelegram = CHECK_COMPONENTS.filter((component) => component !== 'telegram').join(',');
    expect(await main(['--skip', allButTelegram], {}, others.io, undefined)).toBe(2);
    expect(others.stderr()).toContain('nothing to check');
    // Whoever renders no results says so, and does not call it a pass.
    expect(renderTable([], { color: false, elapsedMs: 0 })).toBe('✘ nothing was checked');
    expect(JSON.parse(renderJson([]))).toMatchObject({ ok: false, passed: 0, failed: 0, notChecked: 0 });
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

test("the guide's check section documents the three states, the exit codes and the names --skip takes", () => {
  const guide = readFileSync(GUIDE_PATH, 'utf8');
  const start = guide.indexOf('## Is it working? `npm run check`');
  const section = guide.slice(start, guide.indexOf('\n## ', start + 1));
  for (const status of ['passed', 'failed', 'not-checked'] as const)
    expect(section).toContain(`| ${MARK[status]} | ${status.replace('-', ' ')} | \`${status}\` |`);
  for (const code of [0, 1, 2]) expect(section).toMatch(new RegExp(`^\\| ${code} \\| `, 'm'));
  for (const component of CHECK_COMPONENTS) expect(section).toContain(`\`${COMPONENT_LABELS[component]}\``);
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

/** A Prometheus that answers `/api/v1/targets` and `/api/v1/query` with what a test gives it, and records what it was asked. */
async function fakePrometheus(activeTargets: object[], series: string[]) {
  const asked: string[] = [];
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://prometheus');
    asked.push(url.pathname === '/api/v1/query' ? (url.searchParams.get('query') ?? '') : url.pathname);
    const data =
      url.pathname === '/api/v1/targets'
        ? { activeTargets }
        : { resultType: 'vector', result: series.map((name) => ({ metric: { __name__: name }, value: [0, '1'] })) };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', data }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    asked,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe('the API, which this host may not reach', () => {
  const apiTarget = (health: string, lastError = '') => ({
    scrapePool: 'api',
    scrapeUrl: 'http://api:8000/metrics',
    labels: { job: 'api', instance: 'api:8000' },
    health,
    lastError,
  });
  const otherJob = { ...apiTarget('down', 'refused'), scrapePool: 'celery', labels: { instance: 'celery:9808' } };

  /** The API checks of the default configuration (`api:8000`, which this host cannot resolve) with Prometheus at `prometheusUrl`. */
  async function apiResults(prometheusUrl: string, apiUrls?: string[]) {
    const targets = targetsFromConfig(DEFAULT_CONFIG, {}, apiUrls);
    targets.urls.prometheus = prometheusUrl;
    const checks = buildChecks(targets, { timeoutMs: 2_000 }).filter((c) => c.component === 'api');
    return runChecks(checks);
  }

  test('api:8000 not resolvable from here: judged through Prometheus, which scrapes it, and the detail says so', async () => {
    const prometheus = await fakePrometheus(
      [otherJob, apiTarget('up')],
      ['http_requests_total', 'http_request_duration_seconds_bucket', 'http_request_duration_seconds_count'],
    );
    try {
      const [result] = await apiResults(prometheus.url);
      expect(result).toMatchObject({ name: 'answers /metrics (api:8000)', status: 'passed' });
      expect(result.detail).toBe(
        "judged through Prometheus, as this host gets no answer from api:8000 (host not found from here (api)): api:8000 up, answers with 2 of the 22 metrics of monitoring.py's PrometheusMetrics",
      );
      expect(prometheus.asked[0]).toBe('/api/v1/targets');
      expect(prometheus.asked[1]).toMatch(
        /^count by \(__name__\) \(\{job="api",instance=~`api:8000`,__name__=~`\(http_requests_total\|/,
      );
    } finally {
      await prometheus.close();
    }
  });

  test('judged through Prometheus: a target down fails with its last error; one without the metrics fails as an uninstrumented API does', async () => {
    const down = await fakePrometheus(
      [apiTarget('down', 'Get "http://api:8000/metrics": dial tcp: connection refused')],
      [],
    );
    const bare = await fakePrometheus([apiTarget('up')], []);
    try {
      const [result] = await apiResults(down.url);
      expect(result).toMatchObject({ status: 'failed' });
      expect(result.detail).toBe(
        'judged through Prometheus, as this host gets no answer from api:8000 (host not found from here (api)): api:8000 down: Get "http://api:8000/metrics": dial tcp: connection refused',
      );
      const [uninstrumented] = await apiResults(bare.url);
      expect(uninstrumented).toMatchObject({ status: 'failed' });
      expect(uninstrumented.detail).toMatch(/: api:8000 up, answers, but with none of the 22 metrics/);
    } finally {
      await down.close();
      await bare.close();
    }
  });

  test('neither the API nor Prometheus answers: not checked, saying to pass --api-url; an --api-url is judged as given, never through Prometheus', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const [result] = await apiResults(closed);
    expect(result).toMatchObject({ status: 'not-checked', unreachable: 'api:8000' });
    expect(result.detail).toBe(
      'not checked: api:8000: host not found from here (api), and Prometheus gives no answer either: pass --api-url with the address the API is published on',
    );

    const prometheus = await fakePrometheus([apiTarget('up')], ['http_requests_total']);
    try {
      const given = `http://127.0.0.1:${await freePort()}/metrics`;
      const [direct] = await apiResults(prometheus.url, [given]);
      expect(direct).toMatchObject({ status: 'failed', unreachable: new URL(given).host });
      expect(direct.detail).toBe(`GET ${given}: connection refused (is it running, on this port?)`);
      expect(prometheus.asked).toEqual([]);
    } finally {
      await prometheus.close();
    }
  });
});

describe("the celery-exporter's endpoint tells whether it reaches the broker", () => {
  /** The endpoint check of the celery-exporter, against the simulator's (which emulates it: 500 on /metrics without its broker). */
  async function celeryExporterResult(broker?: string) {
    const simulator = await StockTrackerSimulator.start(broker === undefined ? {} : { redis: broker });
    try {
      const targets = targetsFromConfig(DEFAULT_CONFIG, {});
      targets.urls.celeryExporter = `http://${simulator.address('celeryExporter')}`;
      const check = buildChecks(targets, { timeoutMs: 2_000 }).find((c) => c.component === 'celeryExporter');
      const health = await new HttpClient(2_000).get(`${targets.urls.celeryExporter}/health`);
      return { check, result: (await runChecks(check ? [check] : []))[0], health: health.status };
    } finally {
      await simulator.stop();
    }
  }

  test('it asks /metrics (its /health stays 200 without the broker), and judges that it answers 200 with celery_ series', async () => {
    expect(HEALTH_ENDPOINTS.celeryExporter.path).toBe('/metrics');
    // The container's own healthcheck still asks /health: alive is not the same as working.
    expect(COMPONENT_DESCRIPTORS.celeryExporter.healthcheck.path).toBe('/health');
    const { check, result } = await celeryExporterResult();
    expect(check?.name).toBe('answers /metrics');
    expect(result.status).toBe('passed');
    expect(result.detail).toMatch(/^answers with \d+ celery_ series: reaches the Celery broker; 1 worker up$/);
  });

  test('without its broker: failed, saying so, while /health still answers 200', async () => {
    const closed = `127.0.0.1:${await freePort()}`;
    const { result, health } = await celeryExporterResult(closed);
    expect(health).toBe(200);
    expect(result.status).toBe('failed');
    expect(result.detail).toMatch(
      /answered 500: kombu\.exceptions\.OperationalError: Error connecting to the broker: it cannot reach the Celery broker \(the celery-exporter answers 500 on \/metrics without it\)$/,
    );
  });

  test('an answer without celery_ series is not the celery-exporter; one with the families but no samples reaches the broker', () => {
    const judge = HEALTH_ENDPOINTS.celeryExporter.judge;
    expect(judge?.('# TYPE go_goroutines gauge\ngo_goroutines 8\n')).toEqual(
      failed('answers, but without celery_ series: is it the celery-exporter?'),
    );
    expect(
      judge?.(
        '# HELP celery_worker_up Indicates if a worker has recently sent a heartbeat.\n# TYPE celery_worker_up gauge\n',
      ),
    ).toEqual(passed('answers: reaches the Celery broker; no celery_ series yet (no worker or queue seen)'));
    expect(judge?.('celery_worker_up{hostname="worker"} 1.0\ncelery_queue_length{queue_name="sync"} 0.0\n')).toEqual(
      passed('answers with 2 celery_ series: reaches the Celery broker; 1 worker up'),
    );
  });
});

describe('running checks', () => {
  test('results keep the order of the checks, a throwing check fails with its message, a failed requirement leaves its dependents not checked', async () => {
    const gate = check('answers', async () => failed('connection refused'));
    const dependent = check('depends', async () => passed('never run'), gate);
    const results = await runChecks([
      gate,
      dependent,
      check('depends on one not checked', async () => passed('never run either'), dependent),
      check('throws', async () => {
        throw new Error('boom');
      }),
      check('fine', async () => passed('ok')),
    ]);
    expect(results.map(({ name, status, ok, detail }) => ({ name, status, ok, detail }))).toEqual([
      { name: 'answers', status: 'failed', ok: false, detail: 'connection refused' },
      { name: 'depends', status: 'not-checked', ok: false, detail: 'not checked: "Prometheus answers" failed' },
      {
        name: 'depends on one not checked',
        status: 'not-checked',
        ok: false,
        detail: 'not checked: "Prometheus depends" was not checked',
      },
      { name: 'throws', status: 'failed', ok: false, detail: 'boom' },
      { name: 'fine', status: 'passed', ok: true, detail: 'ok' },
    ]);
    expect(allPassed(results)).toBe(false);
    expect(allPassed(results.slice(-1))).toBe(true);
    // Nothing checked proves nothing.
    expect(allPassed([])).toBe(false);
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
    { component: 'prometheus', name: 'answers /-/ready', status: 'passed', ok: true, detail: 'ready', durationMs: 3 },
    {
      component: 'nodeExporter',
      name: 'answers /metrics',
      status: 'failed',
      ok: false,
      detail: 'connection refused',
      durationMs: 1,
    },
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
    expect(JSON.parse(renderJson(results))).toEqual({
      ok: false,
      passed: 1,
      failed: 1,
      notChecked: 0,
      checks: results,
    });
  });

  test('checks not checked have their own mark and count; those of a component not checked for one reason are one row', async () => {
    const down = check('answers /-/ready', async () => unreachable('127.0.0.1:9090', 'connection refused'));
    const behind = ['configuration loaded', 'rule groups loaded', 'firing alerts'].map((name) =>
      check(name, async () => passed('never run'), down),
    );
    const telegram: Check = {
      component: 'telegram',
      name: 'test alert (info) accepted',
      run: async () => passed('never run'),
      requires: down,
    };
    const fine: Check = { component: 'api', name: 'answers /metrics', run: async () => passed('22 metrics') };
    const results = await runChecks([down, ...behind, fine, telegram]);
    expect(renderTable(results, { color: false, elapsedMs: 100 }).split('\n')).toEqual([
      '✘ Prometheus  answers /-/ready            connection refused',
      '– Prometheus  3 checks                    not checked: "Prometheus answers /-/ready" failed',
      '✔ API         answers /metrics            22 metrics',
      '– Telegram    test alert (info) accepted  not checked: "Prometheus answers /-/ready" failed',
      '',
      '✘ 1 passed, 1 failed, 4 not checked in 0.1 s',
    ]);
    expect(renderTable(results, { color: true, elapsedMs: 0 })).toContain('\x1b[2m–\x1b[0m Prometheus');
    const json = JSON.parse(renderJson(results));
    expect({ ok: json.ok, passed: json.passed, failed: json.failed, notChecked: json.notChecked }).toEqual({
      ok: false,
      passed: 1,
      failed: 1,
      notChecked: 4,
    });
    expect(json.checks.map((c: CheckResult) => c.status)).toEqual([
      'failed',
      'not-checked',
      'not-checked',
      'not-checked',
      'passed',
      'not-checked',
    ]);
    expect(json.nothingAnswers).toBeUndefined();
  });

  test('nothing deployed: one line first names the addresses tried, then one failure per component and one row for what was not checked; exit 1', async () => {
    // Every component on a port where nothing listens; the API at its default, api:8000, which this host cannot resolve.
    const components = Object.fromEntries(
      await Promise.all(COMPONENTS.map(async (component) => [component, { port: await freePort() }])),
    );
    const { io, stdout } = capture();
    const env = { MONITORING_CONFIG: JSON.stringify({ components }) };
    expect(await main(['--skip', 'cadvisor'], env, io, undefined)).toBe(1);
    const lines = stdout().trimEnd().split('\n');
    const at = (component: keyof typeof components) => `127.0.0.1:${components[component].port}`;
    expect(lines[0]).toBe(
      `nothing answers on ${at('prometheus')} (Prometheus), ${at('alertmanager')} (Alertmanager), ${at('grafana')} (Grafana), ` +
        `${at('postgresExporter')} (postgres-exporter), ${at('redisExporter')} (redis-exporter), ${at('nodeExporter')} (node-exporter), ` +
        `${at('celeryExporter')} (celery-exporter), api:8000 (API): is the stack deployed?`,
    );
    const rows = lines.slice(2, -2);
    // One failure per component that gave no answer; the checks behind Prometheus, Alertmanager and Grafana one row each.
    expect(rows.filter((line) => line.startsWith('✘')).length).toBeLessThanOrEqual(COMPONENTS.length);
    expect(rows.filter((line) => line.startsWith('–')).map((line) => line.split(/ {2,}/).slice(0, 2))).toEqual(
      expect.arrayContaining([
        ['– Prometheus', expect.stringMatching(/^\d+ checks$/)],
        ['– Alertmanager', '4 checks'],
        ['– Grafana', '2 checks'],
      ]),
    );
    expect(lines[lines.length - 1]).toMatch(/^✘ 0 passed, \d+ failed, \d+ not checked in \d+\.\d s$/);

    const json = capture();
    expect(await main(['--json', '--skip', 'cadvisor'], env, json.io, undefined)).toBe(1);
    const report = JSON.parse(json.stdout());
    expect(report).toMatchObject({ ok: false, passed: 0, nothingAnswers: lines[0] });
    expect(report.notChecked).toBeGreaterThan(report.failed);
  });
});
