/**
 * The one typed configuration of the monitoring system, its defaults, and its validation.
 * Plain TypeScript (no cdktf): `main.ts` reads raw values from the environment and cdktf context,
 * `parseMonitoringConfig` turns them into a `MonitoringConfig` or throws a `ConfigError` that
 * names every bad field and value, before any resource exists.
 *
 * Secrets (Telegram bot token and chat ids, Grafana and PostgreSQL passwords) are NOT here: they
 * are sensitive Terraform variables, supplied at deploy time and never written by synth.
 */
import { Duration } from './duration';
import { ConfigReader } from './errors';
import { SEVERITIES, Severity, isSeverity } from '../rules/severity';

export const COMPONENTS = [
  'prometheus',
  'alertmanager',
  'grafana',
  'postgresExporter',
  'redisExporter',
  'nodeExporter',
  'cadvisor',
] as const;
export type ComponentName = (typeof COMPONENTS)[number];

export interface ComponentSettings {
  /** Image reference, pinned to an exact version. */
  image: string;
  /** Port the component listens on inside the container and publishes on the host. */
  port: number;
  /** Hard memory limit of the container, in MiB. */
  memoryLimitMb: number;
}

/** A `host:port` the Prometheus container reaches on the application's network. */
export type HostPort = string;

export interface TargetsConfig {
  /** FastAPI instances exposing `/metrics`. Default `['api:8000']`. */
  api: HostPort[];
  /** Celery worker metrics endpoints known up front; more are found by Docker discovery. */
  celeryWorkers: HostPort[];
  /** The PostgreSQL the postgres-exporter connects to. */
  postgres: { host: string; port: number; database: string; user: string; sslMode: 'disable' | 'require' | 'verify-full' };
  /** The Redis the redis-exporter connects to. */
  redis: HostPort;
}

export interface PrometheusSettings {
  scrapeInterval: Duration;
  evaluationInterval: Duration;
  /**
   * Must stay above the slowest exporter's answer while its backend is down (postgres_exporter
   * takes about 1 s), or "database down" turns into "exporter target down".
   */
  scrapeTimeout: Duration;
  retention: Duration;
}

export interface GrafanaSettings {
  /** Host address Grafana's port is published on; `0.0.0.0` exposes it (it has its own login). */
  bindAddress: string;
  adminUser: string;
  /** Folder the dashboards are provisioned into. */
  folderTitle: string;
}

export interface MonitoringConfig {
  /** Name of the Terraform stack (and of its directory under `cdktf.out/stacks/`). */
  stackName: string;
  /** Docker daemon the stack deploys to. */
  dockerHost: string;
  /** The application's existing Docker network; every container joins it. */
  dockerNetwork: string;
  /** Prefix of container and volume names, so several stacks can share a host. */
  namePrefix: string;
  /** Host address Prometheus, Alertmanager and the exporters publish on (they have no auth). */
  bindAddress: string;
  components: Record<ComponentName, ComponentSettings>;
  prometheus: PrometheusSettings;
  grafana: GrafanaSettings;
  targets: TargetsConfig;
  /**
   * Severities that get a chat of their own (a `telegram_<severity>_chat_id` variable);
   * the others go to `TELEGRAM_ALERT_CHAT_ID`.
   */
  telegramSeparateChats: Severity[];
}

/** What a user may give: any subset, durations as Prometheus strings, lists as arrays or comma lists. */
export type RawMonitoringConfig = DeepPartial<Record<keyof MonitoringConfig, unknown>> & Record<string, unknown>;
type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> | unknown : T[K] };

export const DEFAULT_CONFIG: MonitoringConfig = {
  stackName: 'stock-tracker-monitoring',
  dockerHost: 'unix:///var/run/docker.sock',
  dockerNetwork: 'stock-tracker_default',
  namePrefix: 'stock-tracker',
  bindAddress: '127.0.0.1',
  components: {
    prometheus: { image: 'prom/prometheus:v2.48.0', port: 9090, memoryLimitMb: 2048 },
    alertmanager: { image: 'prom/alertmanager:v0.26.0', port: 9093, memoryLimitMb: 256 },
    grafana: { image: 'grafana/grafana:10.2.2', port: 3000, memoryLimitMb: 512 },
    postgresExporter: { image: 'quay.io/prometheuscommunity/postgres-exporter:v0.15.0', port: 9187, memoryLimitMb: 128 },
    redisExporter: { image: 'oliver006/redis_exporter:v1.55.0', port: 9121, memoryLimitMb: 128 },
    nodeExporter: { image: 'prom/node-exporter:v1.7.0', port: 9100, memoryLimitMb: 128 },
    cadvisor: { image: 'gcr.io/cadvisor/cadvisor:v0.47.2', port: 8080, memoryLimitMb: 256 },
  },
  prometheus: {
    scrapeInterval: Duration.seconds(15),
    evaluationInterval: Duration.seconds(15),
    scrapeTimeout: Duration.seconds(10),
    retention: Duration.days(30),
  },
  grafana: { bindAddress: '127.0.0.1', adminUser: 'admin', folderTitle: 'Stock Tracker' },
  targets: {
    api: ['api:8000'],
    celeryWorkers: ['celery-worker:9808'],
    postgres: { host: 'postgres', port: 5432, database: 'stock_tracker', user: 'postgres', sslMode: 'disable' },
    redis: 'redis:6379',
  },
  telegramSeparateChats: [],
};

const HOST_PORT = /^[A-Za-z0-9_.-]+:\d{1,5}$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Reads typed values out of raw input, recording a problem (field + value) for each bad one. */
class Fields {
  constructor(private readonly reader: ConfigReader) {}

  string(field: string, value: unknown, fallback: string, pattern?: RegExp, expected?: string): string {
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || value.trim() === '' || (pattern && !pattern.test(value))) {
      this.reader.problem(field, value, `is not valid: expected ${expected ?? 'a non-empty string'}`);
      return fallback;
    }
    return value;
  }

  duration(field: string, value: unknown, fallback: Duration, min: Duration = Duration.millis(1)): Duration {
    if (value === undefined) return fallback;
    if (Duration.isDuration(value)) return value;
    const parsed = this.reader.attempt(field, value, undefined, () => {
      if (typeof value !== 'string') throw new Error('is not a duration (expected a string such as 15s, 5m, 30d)');
      return Duration.parse(value);
    });
    if (parsed && parsed.compare(min) < 0) {
      this.reader.problem(field, value, `is too short: must be at least ${min}`);
      return fallback;
    }
    return parsed ?? fallback;
  }

  integer(field: string, value: unknown, fallback: number, min: number, max: number): number {
    if (value === undefined) return fallback;
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
      this.reader.problem(field, value, `is not valid: expected a whole number from ${min} to ${max}`);
      return fallback;
    }
    return n;
  }

  list(field: string, value: unknown, fallback: string[], pattern: RegExp, expected: string): string[] {
    if (value === undefined) return fallback;
    const items = typeof value === 'string' ? value.split(',').map((s) => s.trim()).filter(Boolean) : value;
    if (!Array.isArray(items) || items.some((item) => typeof item !== 'string' || !pattern.test(item))) {
      this.reader.problem(field, value, `is not valid: expected a list of ${expected}`);
      return fallback;
    }
    const duplicate = items.find((item, i) => items.indexOf(item) !== i);
    if (duplicate !== undefined) {
      this.reader.problem(field, value, `lists "${duplicate}" twice`);
      return fallback;
    }
    return items as string[];
  }

  oneOf<T extends string>(field: string, value: unknown, fallback: T, allowed: readonly T[]): T {
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.reader.problem(field, value, `is not one of ${allowed.join(', ')}`);
      return fallback;
    }
    return value as T;
  }

  address(field: string, value: unknown, fallback: string): string {
    const text = this.string(field, value, fallback, IPV4, 'an IPv4 address such as 127.0.0.1');
    if (text.split('.').some((octet) => Number(octet) > 255)) {
      this.reader.problem(field, value, 'is not valid: expected an IPv4 address such as 127.0.0.1');
      return fallback;
    }
    return text;
  }
}

function section(raw: unknown, field: string, reader: ConfigReader): Record<string, unknown> {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    reader.problem(field, raw, 'is not an object');
    return {};
  }
  return raw as Record<string, unknown>;
}

function parseComponents(raw: unknown, reader: ConfigReader, fields: Fields): Record<ComponentName, ComponentSettings> {
  const given = section(raw, 'components', reader);
  for (const name of Object.keys(given)) {
    if (!(COMPONENTS as readonly string[]).includes(name)) {
      reader.problem(`components.${name}`, given[name], `is not a component (expected one of ${COMPONENTS.join(', ')})`);
    }
  }
  const components = Object.fromEntries(
    COMPONENTS.map((name) => {
      const defaults = DEFAULT_CONFIG.components[name];
      const value = section(given[name], `components.${name}`, reader);
      return [
        name,
        {
          image: fields.string(`components.${name}.image`, value.image, defaults.image, /^[^\s:]+(:[^\s:]+)?$/, 'an image reference such as prom/prometheus:v2.48.0'),
          port: fields.integer(`components.${name}.port`, value.port, defaults.port, 1, 65_535),
          memoryLimitMb: fields.integer(`components.${name}.memoryLimitMb`, value.memoryLimitMb, defaults.memoryLimitMb, 16, 65_536),
        },
      ];
    }),
  ) as Record<ComponentName, ComponentSettings>;
  const seen = new Map<number, ComponentName>();
  for (const name of COMPONENTS) {
    const other = seen.get(components[name].port);
    if (other) reader.problem(`components.${name}.port`, components[name].port, `is already used by ${other}`);
    seen.set(components[name].port, name);
  }
  return components;
}

/** Validates raw input against the defaults; throws `ConfigError` listing every bad field. */
export function parseMonitoringConfig(raw: RawMonitoringConfig = {}): MonitoringConfig {
  const reader = new ConfigReader();
  const fields = new Fields(reader);
  const d = DEFAULT_CONFIG;
  const known = new Set(Object.keys(d));
  for (const key of Object.keys(raw)) {
    if (!known.has(key)) reader.problem(key, raw[key], `is not a setting (expected one of ${[...known].join(', ')})`);
  }

  const prometheus = section(raw.prometheus, 'prometheus', reader);
  const grafana = section(raw.grafana, 'grafana', reader);
  const targets = section(raw.targets, 'targets', reader);
  const postgres = section(targets.postgres, 'targets.postgres', reader);

  const config: MonitoringConfig = {
    stackName: fields.string('stackName', raw.stackName, d.stackName, NAME, 'letters, digits, . _ -'),
    dockerHost: fields.string('dockerHost', raw.dockerHost, d.dockerHost, /^(unix|tcp|ssh):\/\/\S+$/, 'unix://, tcp:// or ssh:// URL'),
    dockerNetwork: fields.string('dockerNetwork', raw.dockerNetwork, d.dockerNetwork, NAME, 'a Docker network name'),
    namePrefix: fields.string('namePrefix', raw.namePrefix, d.namePrefix, NAME, 'letters, digits, . _ -'),
    bindAddress: fields.address('bindAddress', raw.bindAddress, d.bindAddress),
    components: parseComponents(raw.components, reader, fields),
    prometheus: {
      scrapeInterval: fields.duration('prometheus.scrapeInterval', prometheus.scrapeInterval, d.prometheus.scrapeInterval),
      evaluationInterval: fields.duration('prometheus.evaluationInterval', prometheus.evaluationInterval, d.prometheus.evaluationInterval),
      scrapeTimeout: fields.duration('prometheus.scrapeTimeout', prometheus.scrapeTimeout, d.prometheus.scrapeTimeout),
      retention: fields.duration('prometheus.retention', prometheus.retention, d.prometheus.retention, Duration.hours(2)),
    },
    grafana: {
      bindAddress: fields.address('grafana.bindAddress', grafana.bindAddress, d.grafana.bindAddress),
      adminUser: fields.string('grafana.adminUser', grafana.adminUser, d.grafana.adminUser, NAME, 'a user name'),
      folderTitle: fields.string('grafana.folderTitle', grafana.folderTitle, d.grafana.folderTitle),
    },
    targets: {
      api: fields.list('targets.api', targets.api, d.targets.api, HOST_PORT, 'host:port'),
      celeryWorkers: fields.list('targets.celeryWorkers', targets.celeryWorkers, d.targets.celeryWorkers, HOST_PORT, 'host:port'),
      postgres: {
        host: fields.string('targets.postgres.host', postgres.host, d.targets.postgres.host, NAME, 'a host name'),
        port: fields.integer('targets.postgres.port', postgres.port, d.targets.postgres.port, 1, 65_535),
        database: fields.string('targets.postgres.database', postgres.database, d.targets.postgres.database, NAME, 'a database name'),
        user: fields.string('targets.postgres.user', postgres.user, d.targets.postgres.user, NAME, 'a user name'),
        sslMode: fields.oneOf('targets.postgres.sslMode', postgres.sslMode, d.targets.postgres.sslMode, ['disable', 'require', 'verify-full']),
      },
      redis: fields.string('targets.redis', targets.redis, d.targets.redis, HOST_PORT, 'host:port'),
    },
    telegramSeparateChats: fields.list('telegramSeparateChats', raw.telegramSeparateChats, d.telegramSeparateChats, /./, SEVERITIES.join('|')) as Severity[],
  };

  for (const severity of config.telegramSeparateChats) {
    if (!isSeverity(severity)) reader.problem('telegramSeparateChats', severity, `is not a severity (expected one of ${SEVERITIES.join(', ')})`);
  }
  const { scrapeInterval, scrapeTimeout } = config.prometheus;
  if (scrapeTimeout.compare(scrapeInterval) > 0) {
    reader.problem('prometheus.scrapeTimeout', scrapeTimeout.toString(), `must not exceed prometheus.scrapeInterval (${scrapeInterval})`);
  }
  reader.done();
  return config;
}
