/**
 * MonitoringConfig: defaults, where values come from, and a clear error for each bad value
 * (naming the field and the value) before anything is written.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, ConfigProblem } from '../config/errors';
import { ENV_FIELDS, loadMonitoringConfig } from '../config/load';
import { DEFAULT_CONFIG, RawMonitoringConfig, parseMonitoringConfig } from '../config/monitoring-config';
import { ALL_SECRETS, terraformEnvName } from '../config/secrets';
import { synthesize } from '../main';

function problemsOf(run: () => unknown): ConfigProblem[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('defaults', () => {
  test('an empty configuration is the default one', () => {
    expect(parseMonitoringConfig({})).toEqual(DEFAULT_CONFIG);
    expect(loadMonitoringConfig({})).toEqual(DEFAULT_CONFIG);
  });

  test('pin current stable releases (README "Versions" says why each), an exact tag each', () => {
    expect(Object.values(DEFAULT_CONFIG.components).map((c) => c.image)).toEqual([
      'prom/prometheus:v3.5.5',
      'prom/alertmanager:v0.34.1',
      'grafana/grafana:11.6.16',
      'quay.io/prometheuscommunity/postgres-exporter:v0.20.1',
      'oliver006/redis_exporter:v1.93.0-alpine',
      'prom/node-exporter:v1.12.1',
      'ghcr.io/google/cadvisor:v0.60.5',
      'ghcr.io/danihodovic/celery-exporter:0.12.2',
    ]);
  });

  test("match Stock Tracker's compose file: database and user stock_tracker, Celery on Redis db 0 with its three queues, no fixed network", () => {
    expect(DEFAULT_CONFIG.targets.postgres).toMatchObject({
      host: 'postgres',
      database: 'stock_tracker',
      user: 'stock_tracker',
    });
    expect(DEFAULT_CONFIG.targets).toMatchObject({
      api: ['api:8000'],
      redis: 'redis:6379',
      celeryBrokerDatabase: 0,
      celeryQueues: ['sync', 'default', 'maintenance'],
    });
    expect(DEFAULT_CONFIG.dockerNetwork).toBeUndefined();
    expect(DEFAULT_CONFIG.applicationContainer).toBe('stock-tracker-api');
  });
});

describe('sources', () => {
  test('context < MONITORING_CONFIG < named environment variables', () => {
    const config = loadMonitoringConfig(
      {
        MONITORING_CONFIG: JSON.stringify({ prometheus: { retention: '15d', scrapeInterval: '20s' } }),
        PROMETHEUS_SCRAPE_INTERVAL: '30s',
        API_TARGETS: 'api-1:8000, api-2:8000',
        DOCKER_DISCOVERY: 'false',
      },
      { prometheus: { retention: '7d', evaluationInterval: '1m' }, dockerNetwork: 'shop_default' },
    );
    expect(config.prometheus.evaluationInterval.toString()).toBe('1m');
    expect(config.prometheus.retention.toString()).toBe('15d');
    expect(config.prometheus.scrapeInterval.toString()).toBe('30s');
    expect(config.dockerNetwork).toBe('shop_default');
    expect(config.targets.api).toEqual(['api-1:8000', 'api-2:8000']);
    expect(config.dockerDiscovery.enabled).toBe(false);
  });

  test('.env.example lists every variable: settings and secrets (and CHECKPOINT_DISABLE, for cdktf)', () => {
    const example = readFileSync(join(__dirname, '..', '.env.example'), 'utf8');
    const listed = new Set([...example.matchAll(/^#? ?([A-Z][A-Za-z0-9_]+)=/gm)].map((m) => m[1]));
    const expected = [
      'CHECKPOINT_DISABLE',
      'MONITORING_CONFIG',
      ...Object.keys(ENV_FIELDS),
      ...ALL_SECRETS.map(terraformEnvName),
    ];
    expect(expected.filter((name) => !listed.has(name))).toEqual([]);
    expect([...listed].filter((name) => !expected.includes(name))).toEqual([]);
  });

  test('every named environment variable maps to a real setting', () => {
    for (const [name, field] of Object.entries(ENV_FIELDS)) {
      const raw: Record<string, unknown> = {};
      let node = raw;
      const keys = field.split('.');
      keys.slice(0, -1).forEach((key) => (node = (node[key] = {}) as Record<string, unknown>));
      node[keys[keys.length - 1]] = '\u0000not valid';
      const problems = problemsOf(() => parseMonitoringConfig(raw as RawMonitoringConfig));
      // Besides its own, only "is needed" of a setting given together with it (quiet hours' from and to).
      const section = field.replace(/\.[^.]+$/, '.');
      const others = problems.filter((p) => p.field !== field);
      expect({ name, own: problems.filter((p) => p.field === field).length }).toEqual({ name, own: 1 });
      expect(others.filter((p) => !(p.field.startsWith(section) && /^is needed/.test(p.reason)))).toEqual([]);
    }
  });
});

describe('each bad value stops with an error naming the field and the value', () => {
  const cases: [string, RawMonitoringConfig | NodeJS.ProcessEnv, 'raw' | 'env', string, unknown, RegExp][] = [
    ['negative retention', { PROMETHEUS_RETENTION: '-5d' }, 'env', 'prometheus.retention', '-5d', /is negative/],
    ['retention under 2 h', { prometheus: { retention: '1h' } }, 'raw', 'prometheus.retention', '1h', /at least 2h/],
    [
      'malformed duration',
      { prometheus: { scrapeInterval: '15 seconds' } },
      'raw',
      'prometheus.scrapeInterval',
      '15 seconds',
      /is not a duration/,
    ],
    [
      'scrape timeout above the interval',
      { prometheus: { scrapeTimeout: '20s' } },
      'raw',
      'prometheus.scrapeTimeout',
      '20s',
      /must not exceed prometheus.scrapeInterval \(15s\)/,
    ],
    [
      'unknown severity',
      { TELEGRAM_SEPARATE_CHATS: 'critical,urgent' },
      'env',
      'telegramSeparateChats',
      'urgent',
      /is not a severity \(expected one of critical, warning, info\)/,
    ],
    [
      'job name of a built-in job',
      { prometheus: { extraJobs: [{ name: 'api', targets: ['x:1'] }] } },
      'raw',
      'prometheus.extraJobs[0].name',
      'api',
      /duplicates another scrape job name/,
    ],
    [
      'duplicate extra job name',
      {
        prometheus: {
          extraJobs: [
            { name: 'nginx', targets: ['a:1'] },
            { name: 'nginx', targets: ['b:1'] },
          ],
        },
      },
      'raw',
      'prometheus.extraJobs[1].name',
      'nginx',
      /duplicates another scrape job name/,
    ],
    ['empty Telegram chat id', { TELEGRAM_ALERT_CHAT_ID: '' }, 'env', 'TELEGRAM_ALERT_CHAT_ID', '', /is empty/],
    [
      'empty Telegram chat id as a Terraform variable',
      { TF_VAR_telegram_alert_chat_id: '' },
      'env',
      'TF_VAR_telegram_alert_chat_id',
      '',
      /is empty/,
    ],
    [
      'chat id that is not a number',
      { TELEGRAM_CRITICAL_CHAT_ID: '@alerts' },
      'env',
      'TELEGRAM_CRITICAL_CHAT_ID',
      '<secret of 7 characters>',
      /expected a chat id/,
    ],
    [
      'chat id beyond a signed 64-bit integer (Alertmanager refuses it)',
      { TF_VAR_telegram_alert_chat_id: '9223372036854775808' },
      'env',
      'TF_VAR_telegram_alert_chat_id',
      '<secret of 19 characters>',
      /from -9223372036854775808 to 9223372036854775807/,
    ],
    [
      'bot token pasted with the "bot" of a Bot API URL',
      { TELEGRAM_BOT_TOKEN: 'bot' + '12345:abc' },
      'env',
      'TELEGRAM_BOT_TOKEN',
      '<secret of 12 characters>',
      /drop the "bot" prefix/,
    ],
    [
      'short Grafana password',
      { GRAFANA_PASSWORD: 'abc' },
      'env',
      'GRAFANA_PASSWORD',
      '<secret of 3 characters>',
      /at least 8 characters/,
    ],
    [
      'port out of range',
      { components: { grafana: { port: 70000 } } },
      'raw',
      'components.grafana.port',
      70000,
      /whole number from 1 to 65535/,
    ],
    [
      'two components on one port',
      { components: { cadvisor: { port: 9090 } } },
      'raw',
      'components.cadvisor.port',
      9090,
      /already used by prometheus/,
    ],
    [
      'malformed image',
      { components: { prometheus: { image: 'prom/prometheus:v2 extra' } } },
      'raw',
      'components.prometheus.image',
      'prom/prometheus:v2 extra',
      /image reference/,
    ],
    [
      'image on the moving tag latest',
      { components: { prometheus: { image: 'prom/prometheus:latest' } } },
      'raw',
      'components.prometheus.image',
      'prom/prometheus:latest',
      /is not pinned/,
    ],
    [
      'image without a tag',
      { components: { prometheus: { image: 'prom/prometheus' } } },
      'raw',
      'components.prometheus.image',
      'prom/prometheus',
      /is not pinned.*without a tag/,
    ],
    [
      'image repository in upper case (Docker refuses it)',
      { components: { prometheus: { image: 'Prom/Prometheus:v2.48.0' } } },
      'raw',
      'components.prometheus.image',
      'Prom/Prometheus:v2.48.0',
      /repository in lower case/,
    ],
    [
      'bad bind address',
      { GRAFANA_BIND_ADDRESS: '256.0.0.1' },
      'env',
      'grafana.bindAddress',
      '256.0.0.1',
      /IP address/,
    ],
    ['target without a port', { API_TARGETS: 'api' }, 'env', 'targets.api', 'api', /list of host:port/],
    [
      'duplicate target',
      { targets: { api: ['api:8000', 'api:8000'] } },
      'raw',
      'targets.api',
      ['api:8000', 'api:8000'],
      /lists "api:8000" twice/,
    ],
    [
      'misspelt setting',
      { promethues: {} },
      'raw',
      'promethues',
      undefined,
      /is not a setting \(did you mean prometheus\?/,
    ],
    [
      'misspelt nested setting',
      { prometheus: { retension: '30d' } },
      'raw',
      'prometheus.retension',
      undefined,
      /is not a setting \(did you mean retention\?/,
    ],
    ['section that is not an object', { grafana: 'admin' }, 'raw', 'grafana', undefined, /is a string, not an object/],
    [
      'discovery flag that is not a boolean',
      { DOCKER_DISCOVERY: 'yes' },
      'env',
      'dockerDiscovery.enabled',
      'yes',
      /true or false/,
    ],
    [
      'Redis password flag that is not a boolean',
      { REDIS_REQUIRES_PASSWORD: 'yes' },
      'env',
      'targets.redisRequiresPassword',
      'yes',
      /true or false/,
    ],
    [
      'MONITORING_CONFIG that is not JSON',
      { MONITORING_CONFIG: '{prometheus:' },
      'env',
      'MONITORING_CONFIG',
      undefined,
      /is not valid JSON at character 2 \(its content is not shown\)/,
    ],
  ];

  test.each(cases)('%s', (_title, input, kind, field, value, reason) => {
    const problems = problemsOf(() =>
      kind === 'raw'
        ? parseMonitoringConfig(input as RawMonitoringConfig)
        : loadMonitoringConfig(input as NodeJS.ProcessEnv),
    );
    expect(problems).toEqual([expect.objectContaining({ field, value })]);
    expect(problems[0].reason).toMatch(reason);
  });

  test('all bad values are reported at once, in one message', () => {
    const error = (() => {
      try {
        loadMonitoringConfig({
          PROMETHEUS_RETENTION: '-5d',
          TELEGRAM_SEPARATE_CHATS: 'urgent',
          GRAFANA_BIND_ADDRESS: 'my-host',
        });
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error.problems.map((p) => p.field).sort()).toEqual([
      'grafana.bindAddress',
      'prometheus.retention',
      'telegramSeparateChats',
    ]);
    expect(error.message).toContain('PROMETHEUS_RETENTION (setting prometheus.retention): "-5d" is negative');
    expect(error.message).toContain('GRAFANA_BIND_ADDRESS (setting grafana.bindAddress): "my-host"');
  });

  test('a malformed secret is reported without its content', () => {
    const secret = 'not-a-token-' + 'x'.repeat(30);
    const error = problemsOf(() => loadMonitoringConfig({ TELEGRAM_BOT_TOKEN: secret }));
    expect(JSON.stringify(error)).not.toContain(secret);
    expect(error[0]).toMatchObject({ field: 'TELEGRAM_BOT_TOKEN', value: `<secret of ${secret.length} characters>` });
  });
});

describe('nothing is written when the configuration is bad', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'stm-badconfig-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('synthesize throws before creating the output directory', async () => {
    const outdir = join(dir, 'in-process');
    await expect(synthesize({ PROMETHEUS_RETENTION: 'forever' }, { outdir })).rejects.toThrow(ConfigError);
    expect(existsSync(outdir)).toBe(false);
  });

  test('the app run directly exits 1 with the message on stderr and writes nothing', () => {
    // Run from an empty directory: the app would write cdktf.out/ there.
    const cwd = mkdtempSync(join(dir, 'direct-'));
    const root = join(__dirname, '..');
    const result = spawnSync(
      process.execPath,
      ['-r', require.resolve('ts-node/register/transpile-only'), join(root, 'main.ts')],
      {
        cwd,
        env: {
          ...withoutCdktfCli(process.env),
          TS_NODE_PROJECT: join(root, 'tsconfig.json'),
          PROMETHEUS_SCRAPE_INTERVAL: '5 min',
          TELEGRAM_SEPARATE_CHATS: 'urgent',
        },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      'PROMETHEUS_SCRAPE_INTERVAL (setting prometheus.scrapeInterval): "5 min" is not a duration',
    );
    expect(result.stderr).toContain(
      'TELEGRAM_SEPARATE_CHATS (setting telegramSeparateChats): "urgent" is not a severity',
    );
    expect(readdirSync(cwd)).toEqual([]);
  });
});

/** `env` without what the cdktf CLI sets for the app it runs. */
function withoutCdktfCli(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { CDKTF_OUTDIR: _outdir, ...rest } = env;
  return rest;
}
