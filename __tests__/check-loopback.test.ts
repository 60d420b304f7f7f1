/**
 * `npm run check` against real servers: the loopback stack of testing/loopback-stack.ts (real
 * Prometheus, Alertmanager, exporters, Redis, PostgreSQL, the app simulator and the fake Telegram
 * API) with the project's own rendered files. Grafana is not installable here: its checks run
 * against a small fake that serves the three endpoints they call. cAdvisor is not either: the
 * loopback stack has none, so its checks are skipped (as `--skip cadvisor` does).
 *
 * Also runs every PromQL example of docs/MONITORING_GUIDE.md against the real Prometheus.
 */
import { execFile } from 'node:child_process';
import { IncomingMessage, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { MonitoringConfig, RawMonitoringConfig, parseMonitoringConfig } from '../config/monitoring-config';
import { COMPONENTS, JOB } from '../core/components';
import { LoopbackStack, THIS_MACHINE_ALERTS, loopbackBinaries } from '../testing/loopback-stack';
import { describeWithBinaries, freePort, waitFor } from '../testing/processes';
import { CheckResult, CheckTargets, TEST_ALERT_NAME, buildChecks, runChecks, targetsFromConfig } from '../tools/check';
import { PrometheusApi } from '../clients/prometheus';
import { WATCHDOG } from '../domain/alerting';
import { main } from '../tools/check/main';
import { PROMQL_EXAMPLES } from '../tools/guide/promql-examples';

const GRAFANA_PASSWORD = 'loopback-grafana-password';
const ROOT = join(__dirname, '..');

/** The few Grafana endpoints the checks call, answering as Grafana 11.6 does; it refuses a wrong login. */
class FakeGrafana {
  private constructor(private readonly server: ReturnType<typeof createServer>) {}

  static async start(
    config: MonitoringConfig,
    dashboards: CheckTargets['expected']['dashboards'],
  ): Promise<FakeGrafana> {
    const login = `Basic ${Buffer.from(`${config.grafana.adminUser}:${GRAFANA_PASSWORD}`).toString('base64')}`;
    const server = createServer((request: IncomingMessage, response: ServerResponse) => {
      const reply = (status: number, body: unknown) =>
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      const url = new URL(request.url ?? '/', 'http://grafana');
      if (url.pathname === '/api/health') return reply(200, { commit: 'fake', database: 'ok', version: '11.6.16' });
      if (request.headers.authorization !== login) return reply(401, { message: 'Invalid username or password' });
      if (url.pathname === '/api/datasources/uid/prometheus/health')
        return reply(200, { status: 'OK', message: 'Successfully queried the Prometheus API.' });
      if (url.pathname === '/api/search' && url.searchParams.get('type') === 'dash-db') {
        return reply(
          200,
          dashboards.map(({ uid, title }) => ({
            uid,
            title,
            type: 'dash-db',
            folderTitle: config.grafana.folderTitle,
          })),
        );
      }
      return reply(404, { message: 'Not found' });
    });
    await new Promise<void>((resolve) => server.listen(config.components.grafana.port, '127.0.0.1', resolve));
    return new FakeGrafana(server);
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server.close(resolve));
  }
}

function row(results: CheckResult[], name: string): CheckResult {
  const found = results.find((result) => result.name === name);
  if (!found) throw new Error(`no check named "${name}" in: ${results.map((r) => r.name).join(', ')}`);
  return found;
}

/** How long a loopback stack may take to be healthy again after a fault, on a busy 2-core machine. */
const HEALTHY_WITHIN_MS = 60_000;

function failures(results: CheckResult[]): string[] {
  return results.filter((result) => !result.ok).map((result) => `${result.component} ${result.name}: ${result.detail}`);
}

describeWithBinaries(
  'npm run check against the real Prometheus and Alertmanager on loopback',
  loopbackBinaries(),
  () => {
    let stack: LoopbackStack;
    let grafana: FakeGrafana;
    /** The configuration an operator would have for this stack: its ports, the simulator's API. */
    let raw: RawMonitoringConfig;
    let targets: CheckTargets;
    const env = { GRAFANA_PASSWORD };
    const checksOf = (options: Parameters<typeof buildChecks>[1] = {}) =>
      buildChecks(targets, { timeoutMs: 3_000, skip: ['cadvisor'], ...options });
    /**
     * Waits (bounded: 60 s, for a loaded machine) until every check passes; on timeout the error
     * names the checks still failing.
     */
    const waitHealthy = (what: string) =>
      waitFor(
        what,
        async () => (await stackFailures(await runChecks(checksOf()))).length === 0,
        HEALTHY_WITHIN_MS,
        500,
      ).catch(async (error: Error) => {
        throw new Error(`${error.message}\n${(await stackFailures(await runChecks(checksOf()))).join('\n')}`);
      });
    /**
     * The failing checks but "firing alerts" when only this machine's own alerts fire: the loopback
     * node-exporter reads the real host, and a busy CI machine fires HighCPUUsage for real.
     */
    const stackFailures = async (results: CheckResult[]): Promise<string[]> => {
      const firingRow = results.find((r) => r.component === 'prometheus' && r.name === 'firing alerts');
      const firing = (await new PrometheusApi(stack.url('prometheus')).alerts()).filter(
        (alert) => alert.state === 'firing' && alert.labels.alertname !== WATCHDOG,
      );
      const onlyThisMachine = firing.every((alert) => THIS_MACHINE_ALERTS.has(alert.labels.alertname));
      return failures(results.filter((result) => !(onlyThisMachine && result === firingRow)));
    };

    beforeAll(async () => {
      stack = await LoopbackStack.start();
      const port = (address: string) => Number(address.split(':')[1]);
      raw = {
        // Each component where the stack runs it; Grafana (faked below) and cAdvisor on ports of their own.
        components: Object.fromEntries(
          await Promise.all(
            COMPONENTS.map(async (component) => {
              if (component === 'celeryExporter')
                return [component, { port: port(stack.simulatorAddress('celeryExporter')) }];
              return [component, { port: stack.has(component) ? port(stack.address(component)) : await freePort() }];
            }),
          ),
        ),
        targets: { api: [stack.simulatorAddress('api')] },
      };
      const config = parseMonitoringConfig(raw);
      targets = targetsFromConfig(config, env);
      // Prometheus here scrapes no Grafana (the fake serves no metrics) and no cAdvisor.
      targets.expected.jobs = targets.expected.jobs.filter((job) => job !== JOB.grafana && job !== JOB.cadvisor);
      grafana = await FakeGrafana.start(config, targets.expected.dashboards);
      // A fresh stack: wait (bounded) until every target was scraped and the Watchdog reached Alertmanager.
      await waitHealthy('a healthy loopback stack');
    }, 120_000);

    afterAll(async () => {
      await stack?.stop();
      await grafana?.stop();
    });

    test('every check passes on the healthy stack, Grafana included (fake), and says what it saw', async () => {
      const results = await runChecks(checksOf());
      expect(await stackFailures(results)).toEqual([]);
      expect(row(results, 'targets of job postgres-exporter').detail).toBe(
        `1/1 up (${stack.address('postgresExporter')})`,
      );
      expect(row(results, 'rule groups loaded').detail).toMatch(/^8\/8 groups/);
      expect(row(results, 'active alerts').detail).toMatch(/^Watchdog received/);
      expect(row(results, 'receivers').detail).toBe('telegram-critical, telegram-warning, telegram-info, watchdog');
      expect(results.filter((r) => r.component === 'postgresExporter')[0].detail).toBe(
        'answers; pg_up 1: reaches PostgreSQL',
      );
      // The simulated celery-exporter answers /metrics only while it reaches its broker, this stack's Redis.
      expect(results.filter((r) => r.component === 'celeryExporter')[0]).toMatchObject({
        name: 'answers /metrics',
        detail: expect.stringMatching(/^answers with \d+ celery_ series: reaches the Celery broker; 1 worker up$/),
      });
      expect(row(results, `dashboards in folder "Stock Tracker"`).detail).toMatch(/^3\/3: /);
      expect(row(results, 'metrics from Stock Tracker API').detail).toMatch(/^\d+\/22 catalog metrics/);
      expect(row(results, 'metrics from celery-exporter').detail).toMatch(/^13\/13 catalog metrics/);
      expect(row(results, 'request metrics of job api').detail).toBe(`${stack.simulatorAddress('api')}: 3/3 present`);
      expect(results.some((r) => r.component === 'cadvisor' || r.about === 'cadvisor')).toBe(false);
    });

    test('the CLI: a table on stdout, progress on stderr, exit 0; --json for machines; no secret printed', async () => {
      // Asynchronously: the simulated API answers from this process, so it must keep running meanwhile.
      const run = (args: string[]) =>
        new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
          const child = execFile(
            'npm',
            ['run', '-s', 'check', '--', ...args],
            { cwd: ROOT, env: { ...process.env, ...env, MONITORING_CONFIG: JSON.stringify(raw) }, timeout: 30_000 },
            (_error, stdout, stderr) => resolve({ status: child.exitCode, stdout, stderr }),
          );
        });
      // Prometheus scrapes no Grafana here, so the CLI skips it (its checks ran against the fake above).
      const table = await run(['--skip', 'cadvisor,grafana']);
      expect({ status: table.status, stderr: table.stderr.includes('checking 0/'), stdout: table.stdout }).toEqual({
        status: 0,
        stderr: true,
        stdout: expect.any(String),
      });
      expect(table.stdout).toMatch(/^✔ Prometheus +answers \/-\/ready/m);
      expect(table.stdout).toMatch(/✔ \d+ passed, 0 failed in \d+\.\d s/);
      expect(table.stdout).not.toMatch(/Grafana|cAdvisor/);

      const json = await run(['--json', '--skip', 'cadvisor,grafana']);
      expect(json.status).toBe(0);
      const report = JSON.parse(json.stdout) as { ok: boolean; passed: number; failed: number; checks: CheckResult[] };
      expect({ ok: report.ok, failed: report.failed }).toEqual({ ok: true, failed: 0 });
      expect(report.checks.length).toBe(report.passed);
      expect(`${table.stdout}${table.stderr}${json.stdout}${json.stderr}`).not.toContain(GRAFANA_PASSWORD);
    });

    test('--test-telegram: Alertmanager accepts the test alert, routes it by severity, and the message arrives', async () => {
      const [result] = await runChecks(
        checksOf({ testTelegram: 'critical' }).filter((check) => check.component === 'telegram'),
      );
      expect(result).toMatchObject({ ok: true, name: 'test alert (critical) accepted' });
      expect(result.detail).toMatch(
        /^accepted and routed to telegram-critical: the message follows after the group wait \(10s\)$/,
      );
      const [message] = await stack.telegram.waitForDelivered('the test alert', (sent) =>
        sent.text.includes(TEST_ALERT_NAME),
      );
      expect(String(message.chatId)).toBe(stack.secrets.telegramChatIds.critical);
    });

    test('an API this host cannot resolve (api:8000, a name on the application network) is judged through the real Prometheus, which scrapes it', async () => {
      const apiChecksOf = (given: CheckTargets) =>
        buildChecks(given, { timeoutMs: 3_000 }).filter((c) => c.component === 'api');
      const [direct] = await runChecks(apiChecksOf(targets));
      const unresolvable = { ...targets, apiMetricsUrls: ['http://api:8000/metrics'], apiThroughPrometheus: true };
      const [result] = await runChecks(apiChecksOf(unresolvable));
      expect(direct).toMatchObject({
        status: 'passed',
        detail: expect.stringMatching(/^answers with \d+ of the 22 metrics/),
      });
      expect(result).toMatchObject({ name: 'answers /metrics (api:8000)', status: 'passed' });
      // Prometheus scrapes the simulator, not api:8000: every target of job api is judged, and holds what the API serves.
      expect(result.detail).toBe(
        `judged through Prometheus, as this host gets no answer from api:8000 (host not found from here (api)): ${stack.simulatorAddress('api')} up, ${direct.detail}`,
      );
    });

    test('a wrong Grafana password fails the checks that need it, without showing it', async () => {
      const wrong = targetsFromConfig(parseMonitoringConfig(raw), { GRAFANA_PASSWORD: 'not-the-password' });
      const results = await runChecks(
        buildChecks(wrong, {
          skip: [
            'prometheus',
            'alertmanager',
            'api',
            'postgresExporter',
            'redisExporter',
            'nodeExporter',
            'cadvisor',
            'celeryExporter',
          ],
        }),
      );
      expect(results.map((r) => [r.name, r.ok])).toEqual([
        ['answers /api/health', true],
        ['Prometheus data source works', false],
        ['dashboards in folder "Stock Tracker"', false],
      ]);
      expect(row(results, 'Prometheus data source works').detail).toBe(
        'the admin login was refused: is the password the one Grafana has?',
      );
      expect(JSON.stringify(results)).not.toContain('not-the-password');
    });

    test('every PromQL example of the guide runs on the real Prometheus; those not filtering return series', async () => {
      const api = new PrometheusApi(targets.urls.prometheus);
      const evaluate = () =>
        Promise.all(
          PROMQL_EXAMPLES.map(async (example) => ({
            example,
            result: await api.query(example.expr.text).catch((error: Error) => error),
          })),
        );
      const outcomes = await evaluate();
      expect(
        outcomes
          .filter(({ result }) => result instanceof Error)
          .map(({ example, result }) => `${example.question}: ${result}`),
      ).toEqual([]);
      // An example answers once each metric it reads has two samples (a counter's first event can be
      // recent): series that existed two scrapes ago.
      const present = new Set(
        (await api.query('count by (__name__) ({__name__=~".+"} offset 3s)')).map((sample) => sample.metric.__name__),
      );
      const hasData = (name: string) => ['', '_count', '_bucket'].some((suffix) => present.has(name + suffix));
      const filtering = 3; // the precedence of a comparison: `up == 0` answers nothing on a healthy stack
      const shouldAnswer = PROMQL_EXAMPLES.filter(
        (example) => example.expr.precedence !== filtering && example.expr.metrics.every((m) => hasData(m.name)),
      );
      expect(shouldAnswer.length).toBeGreaterThan(20);
      const silent = (await evaluate()).filter(
        ({ example, result }) => shouldAnswer.includes(example) && (result as unknown[]).length === 0,
      );
      expect(silent.map(({ example }) => example.question)).toEqual([]);
    });

    test('a stopped exporter fails its endpoint and its job, naming the target and why; the CLI exits 1', async () => {
      await stack.stopComponent('nodeExporter');
      try {
        const results = await waitFor(
          'Prometheus to see node-exporter down',
          async () => {
            const current = await runChecks(checksOf());
            return !row(current, 'targets of job node-exporter').ok && current;
          },
          15_000,
          500,
        );
        const address = stack.address('nodeExporter');
        expect(row(results, 'targets of job node-exporter').detail).toMatch(
          new RegExp(`^0/1 up; ${address} down: .*connection refused`),
        );
        expect(results.find((r) => r.component === 'nodeExporter')?.detail).toBe(
          `GET http://${address}/metrics: connection refused (is it running, on this port?)`,
        );
        expect((await stackFailures(results)).map((line) => line.split(':')[0])).toEqual([
          'prometheus targets of job node-exporter',
          'prometheus metrics from node-exporter',
          'nodeExporter answers /metrics',
        ]);

        const output: string[] = [];
        const io = {
          stdout: { write: (text: string) => output.push(text) },
          stderr: { write: () => true },
          color: false,
        };
        const code = await main(
          ['--skip', 'cadvisor,grafana'],
          { ...env, MONITORING_CONFIG: JSON.stringify(raw) },
          io,
          undefined,
        );
        expect(code).toBe(1);
        expect(output.join('')).toMatch(/^✘ Prometheus +targets of job node-exporter +0\/1 up; /m);
      } finally {
        await stack.startComponent('nodeExporter');
      }
    });

    test('an API that serves only process metrics, as Stock Tracker does today: the contract report names what is missing and what goes blind', async () => {
      await stack.simulator.inject({ apiUninstrumented: true });
      try {
        const results = await waitFor(
          'Prometheus to scrape the uninstrumented API',
          async () => {
            const current = await runChecks(checksOf());
            return !row(current, 'request metrics of job api').ok && current;
          },
          15_000,
          500,
        );
        const api = stack.simulatorAddress('api');
        expect(row(results, 'request metrics of job api').detail).toBe(
          `${api}: 0/3 present; missing all: http_requests_total, http_request_duration_seconds, http_requests_in_progress; blind: HighErrorRate, HighLatency and 4 panels`,
        );
        expect(row(results, 'business metrics of job api').detail).toMatch(
          new RegExp(`^${api}: 0/5 present; missing all: .*; blind: GoogleSheetsAPIErrors and \\d+ panels$`),
        );
        // The celery-exporter keeps its task events: not blind.
        expect(row(results, 'Celery task events of job celery').ok).toBe(true);
      } finally {
        await stack.simulator.inject({ apiUninstrumented: false });
      }
    });

    test('a stopped Alertmanager is one failure and one "not checked" row for the checks behind it, not five failures; the CLI exits 1', async () => {
      // The test before leaves alerts of its uninstrumented API for a while: start from a healthy stack (bounded).
      await waitHealthy('the stack healthy before stopping Alertmanager');
      await stack.stopComponent('alertmanager');
      try {
        const results = await runChecks(checksOf());
        const address = stack.address('alertmanager');
        const alertmanager = results.filter((r) => r.component === 'alertmanager');
        expect(alertmanager.map((r) => [r.name, r.status])).toEqual([
          ['answers /-/ready', 'failed'],
          ['configuration loaded', 'not-checked'],
          ['receivers', 'not-checked'],
          ['silences', 'not-checked'],
          ['active alerts', 'not-checked'],
        ]);
        expect(alertmanager[0]).toMatchObject({
          unreachable: address,
          detail: `GET http://${address}/-/ready: connection refused (is it running, on this port?)`,
        });
        expect(new Set(alertmanager.slice(1).map((r) => r.detail))).toEqual(
          new Set(['not checked: "Alertmanager answers /-/ready" failed']),
        );
        // Nothing else is left unchecked; besides the endpoint only Prometheus' view of its target may fail.
        expect(results.filter((r) => r.status === 'not-checked' && r.component !== 'alertmanager')).toEqual([]);
        expect(
          await stackFailures(
            results.filter((r) => r.component !== 'alertmanager' && r.name !== 'targets of job alertmanager'),
          ),
        ).toEqual([]);

        const output: string[] = [];
        const io = {
          stdout: { write: (text: string) => output.push(text) },
          stderr: { write: () => true },
          color: false,
        };
        const code = await main(
          ['--skip', 'cAdvisor,Grafana'],
          { ...env, MONITORING_CONFIG: JSON.stringify(raw) },
          io,
          undefined,
        );
        const table = output.join('');
        expect(code).toBe(1);
        expect(table).not.toMatch(/^nothing answers/);
        expect(table.split('\n').filter((line) => line.startsWith('–'))).toEqual([
          expect.stringMatching(/^– Alertmanager +4 checks +not checked: "Alertmanager answers \/-\/ready" failed$/),
        ]);
        // 1 or 2 failed (the endpoint, and Prometheus' view of it once scraped); 3 while this machine's own alerts fire.
        expect(table).toMatch(/^✘ \d+ passed, [123] failed, 4 not checked in \d+\.\d s$/m);
      } finally {
        await stack.startComponent('alertmanager');
        // Bounded: the Watchdog is re-sent within the resend delay; later runs of this file find a healthy stack.
        await waitHealthy('the stack healthy again');
      }
    }, 180_000);
  },
);
