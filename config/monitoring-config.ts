/**
 * The one typed configuration of the monitoring system, its defaults, and its validation.
 * Plain TypeScript (no cdktf): `main.ts` reads raw values from the environment and cdktf context,
 * `parseMonitoringConfig` turns them into a `MonitoringConfig` or throws a `ConfigError` that
 * names every bad field and value, before any resource exists.
 *
 * Secrets (Telegram bot token and chat ids, Grafana and PostgreSQL passwords) are NOT here: they
 * are sensitive Terraform variables, supplied at deploy time and never written by synth.
 */
import { COMPONENTS, COMPONENT_DESCRIPTORS, ComponentName, componentSlug } from '../core/components';
import { HostPort } from '../core/host-port';
import { AlertingSettings, DEFAULT_ALERTING_SETTINGS, parseAlertingSettings } from './alerting-settings';
import { ByteSize } from '../core/byte-size';
import { Duration } from '../core/duration';
import { ConfigReader } from './errors';
import { checkImageRequirements } from './image-requirements';
import { Fields, NAME, withoutCredentials } from './fields';
import { BackendSettings, DEFAULT_BACKEND_SETTINGS, parseBackendSettings } from './state-backend';
import { DEFAULT_KUBERNETES_SETTINGS, KubernetesSettings, parseKubernetesSettings } from './kubernetes-settings';
import { RemoteWriteSettings, parseRemoteWriteSettings } from './remote-write';
import { DEFAULT_SLO_SETTINGS, SloSettings, checkSloRetention, parseSloSettings } from './slo-settings';
import {
  DEFAULT_DOCKER_DISK_BUDGET,
  MINIMUM_DISK_BUDGET,
  RETENTION_SHARE_OF_BUDGET,
  prometheusStorage,
} from './storage-budget';
import { SEVERITIES, Severity, isSeverity } from '../core/severity';
import { SCRAPE_JOBS } from '../core/components';

/** Where the stack deploys: containers on one Docker host, or kube-prometheus-stack on Kubernetes. */
export const TARGETS = ['docker', 'kubernetes'] as const;
export type Target = (typeof TARGETS)[number];

export interface ComponentSettings {
  /** Image reference, pinned to an exact version. */
  image: string;
  /** Port the component listens on inside the container and publishes on the host. */
  port: number;
  /** Hard memory limit of the container, in MiB. */
  memoryLimitMb: number;
}

export interface TargetsConfig {
  /** FastAPI instances exposing `/metrics` (compose service `api`, uvicorn on 8000). Default `['api:8000']`. */
  api: HostPort[];
  /**
   * A celery-exporter the application already runs (its compose file has `celery-exporter:9808`).
   * Default none: the stack runs its own, pinned (`components.celeryExporter`), on the Celery broker.
   */
  celeryExporter?: HostPort;
  /**
   * Redis database number of the Celery broker (`REDIS_URL=redis://redis:6379/0` in Stock
   * Tracker's compose file), read by the stack's own celery-exporter. Default 0.
   */
  celeryBrokerDatabase: number;
  /**
   * Queues the stack's celery-exporter reports from its first scrape (`-Q`), whether or not a
   * worker consumes them: Stock Tracker declares `sync`, `default` and `maintenance`.
   */
  celeryQueues: string[];
  /** The PostgreSQL the postgres-exporter connects to. */
  postgres: {
    host: string;
    port: number;
    database: string;
    user: string;
    sslMode: 'disable' | 'require' | 'verify-full';
  };
  /** The Redis the redis-exporter connects to. */
  redis: HostPort;
  /**
   * Redis asks for a password (`requirepass` or an ACL default user): the exporter sends the
   * `redis_password` secret. Default false.
   */
  redisRequiresPassword: boolean;
}

export interface PrometheusSettings {
  scrapeInterval: Duration;
  evaluationInterval: Duration;
  /**
   * Must stay above the slowest exporter's answer while its backend is down (postgres_exporter
   * takes about 1 s), or "database down" turns into "exporter target down".
   */
  scrapeTimeout: Duration;
  /** How long samples are kept (`--storage.tsdb.retention.time`). Default 30d. */
  retention: Duration;
  /**
   * Disk Prometheus may fill, in Prometheus' size notation (`10GB`, powers of 2). Default: 10GiB on
   * Docker (its volume shares the host's disk); on Kubernetes the size of its volume
   * (`kubernetes.prometheusVolumeSize`), which in turn follows a budget given alone.
   */
  diskBudget: ByteSize;
  /**
   * Largest size of the TSDB before its oldest blocks go (`--storage.tsdb.retention.size`;
   * `prometheusSpec.retentionSize` on Kubernetes), whichever of it and `retention` comes first.
   * Default 80 % of `diskBudget` (see storage-budget.ts), at most the budget.
   */
  retentionSize: ByteSize;
  /**
   * Turns on Prometheus' admin API (`--web.enable-admin-api`; `prometheusSpec.enableAdminAPI`),
   * which `npm run backup` takes its TSDB snapshot through. Default false: the API also deletes
   * series, for anyone who reaches Prometheus' port, the application's containers included.
   * Refused on the Docker target unless `bindAddress` is loopback (Prometheus serves it on every
   * address it listens on).
   */
  adminApi: boolean;
  /** Scrape jobs beyond the built-in nine (for example an nginx exporter); names must be unique. */
  extraJobs: ExtraScrapeJob[];
}

export interface ExtraScrapeJob {
  name: string;
  targets: HostPort[];
  metricsPath: string;
}

/** Prometheus' discovery of labelled application containers through the Docker API. */
export interface DockerDiscoverySettings {
  enabled: boolean;
  /** The Docker socket on the host, mounted read-only into the Prometheus container. */
  socketPath: string;
  /**
   * Group that owns the socket on the host (`getent group docker`): Prometheus runs as `nobody`
   * and needs this group to read the socket.
   */
  socketGroupId: number;
  refreshInterval: Duration;
}

export interface GrafanaSettings {
  /** Host address Grafana's port is published on; `0.0.0.0` exposes it (it has its own login). */
  bindAddress: string;
  adminUser: string;
  /** Folder the dashboards are provisioned into. */
  folderTitle: string;
  /**
   * Where Terraform's Grafana provider reaches Grafana. Default: the published port on the bind
   * address (127.0.0.1 when Grafana is published on 0.0.0.0).
   */
  url?: string;
  /**
   * Where people open Grafana, from a phone too (a reverse proxy's https URL): every alert's
   * `dashboard_url`, the panel link of its Telegram message, starts with it. Default
   * `http://localhost:<components.grafana.port>`, which only an SSH tunnel reaches.
   */
  publicUrl: string;
}

export interface MonitoringConfig {
  /** Name of the Terraform stack (and of its directory under `cdktf.out/stacks/`). */
  stackName: string;
  /** Docker host (default) or Kubernetes cluster; the same rules, routing and dashboards go to either. */
  target: Target;
  /** Docker daemon the stack deploys to. */
  dockerHost: string;
  /**
   * The application's existing Docker network; every container joins it. Default: found at synth
   * from `applicationContainer` (Stock Tracker's compose network is `<project>_stock-tracker-network`,
   * and the project is named after the directory it was started from).
   */
  dockerNetwork?: string;
  /** A container of the application whose network the stack joins when `dockerNetwork` is not set. */
  applicationContainer: string;
  /** Prefix of container and volume names, so several stacks can share a host. */
  namePrefix: string;
  /** Host address Prometheus, Alertmanager and the exporters publish on (they have no auth). */
  bindAddress: string;
  /**
   * Allows a `bindAddress` other than loopback: Prometheus, Alertmanager and the exporters have no
   * login, so anyone who reaches the address reads every metric and can silence every alert.
   */
  publishWithoutAuth: boolean;
  components: Record<ComponentName, ComponentSettings>;
  prometheus: PrometheusSettings;
  dockerDiscovery: DockerDiscoverySettings;
  grafana: GrafanaSettings;
  targets: TargetsConfig;
  /**
   * Severities that get a chat of their own (a `telegram_<severity>_chat_id` variable);
   * the others go to `TELEGRAM_ALERT_CHAT_ID`.
   */
  telegramSeparateChats: Severity[];
  /** Alertmanager's timings, external URL and Watchdog heartbeat (see alerting-settings.ts). */
  alerting: AlertingSettings;
  /** The service level objectives the burn-rate alerts and the error-budget dashboard follow (see slo-settings.ts). */
  slo: SloSettings;
  /** Where Terraform keeps the state: local file (default), S3 or PostgreSQL (see state-backend.ts). */
  backend: BackendSettings;
  /** The cluster and release of the Kubernetes target (see kubernetes-settings.ts). */
  kubernetes: KubernetesSettings;
  /** Long-term store every sample is also sent to (Kubernetes target); none by default. */
  remoteWrite?: RemoteWriteSettings;
}

/** What a user may give: any subset, durations as Prometheus strings, lists as arrays or comma lists. */
export type RawMonitoringConfig = DeepPartial<Record<keyof MonitoringConfig, unknown>> & Record<string, unknown>;
type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> | unknown : T[K] };

export const DEFAULT_CONFIG: MonitoringConfig = {
  stackName: 'stock-tracker-monitoring',
  target: 'docker',
  dockerHost: 'unix:///var/run/docker.sock',
  applicationContainer: 'stock-tracker-api',
  namePrefix: 'stock-tracker',
  bindAddress: '127.0.0.1',
  publishWithoutAuth: false,
  components: Object.fromEntries(
    COMPONENTS.map((name) => {
      const { image, port, memoryLimitMb } = COMPONENT_DESCRIPTORS[name];
      return [name, { image, port, memoryLimitMb }];
    }),
  ) as Record<ComponentName, ComponentSettings>,
  prometheus: {
    scrapeInterval: Duration.seconds(15),
    evaluationInterval: Duration.seconds(15),
    scrapeTimeout: Duration.seconds(10),
    retention: Duration.days(30),
    diskBudget: DEFAULT_DOCKER_DISK_BUDGET,
    retentionSize: DEFAULT_DOCKER_DISK_BUDGET.share(RETENTION_SHARE_OF_BUDGET),
    adminApi: false,
    extraJobs: [],
  },
  dockerDiscovery: {
    enabled: true,
    socketPath: '/var/run/docker.sock',
    socketGroupId: 999,
    refreshInterval: Duration.seconds(30),
  },
  grafana: {
    bindAddress: '127.0.0.1',
    adminUser: 'admin',
    folderTitle: 'Stock Tracker',
    publicUrl: `http://localhost:${COMPONENT_DESCRIPTORS.grafana.port}`,
  },
  targets: {
    api: ['api:8000'],
    celeryBrokerDatabase: 0,
    celeryQueues: ['sync', 'default', 'maintenance'],
    postgres: { host: 'postgres', port: 5432, database: 'stock_tracker', user: 'stock_tracker', sslMode: 'disable' },
    redis: 'redis:6379',
    redisRequiresPassword: false,
  },
  telegramSeparateChats: [],
  alerting: DEFAULT_ALERTING_SETTINGS,
  slo: DEFAULT_SLO_SETTINGS,
  backend: DEFAULT_BACKEND_SETTINGS,
  kubernetes: DEFAULT_KUBERNETES_SETTINGS,
};

type SectionParser<K extends keyof MonitoringConfig> = (raw: unknown, fields: Fields) => MonitoringConfig[K];

function parseComponents(raw: unknown, fields: Fields): Record<ComponentName, ComponentSettings> {
  const given = fields.section('components', raw);
  fields.onlyKnownKeys('components', given, COMPONENTS);
  const components = Object.fromEntries(
    COMPONENTS.map((name) => {
      const defaults = DEFAULT_CONFIG.components[name];
      const value = fields.section(`components.${name}`, given[name]);
      fields.onlyKnownKeys(`components.${name}`, value, Object.keys(defaults));
      const settings: ComponentSettings = {
        image: fields.image(`components.${name}.image`, value.image, defaults.image),
        port: fields.integer(`components.${name}.port`, value.port, defaults.port, 1, 65_535),
        memoryLimitMb: fields.integer(
          `components.${name}.memoryLimitMb`,
          value.memoryLimitMb,
          defaults.memoryLimitMb,
          16,
          65_536,
        ),
      };
      return [name, settings];
    }),
  ) as Record<ComponentName, ComponentSettings>;
  const seen = new Map<number, ComponentName>();
  for (const name of COMPONENTS) {
    const other = seen.get(components[name].port);
    if (other) fields.reader.problem(`components.${name}.port`, components[name].port, `is already used by ${other}`);
    seen.set(components[name].port, name);
  }
  return components;
}

function parseExtraJobs(raw: unknown, fields: Fields): ExtraScrapeJob[] {
  if (raw === undefined) return DEFAULT_CONFIG.prometheus.extraJobs;
  if (!Array.isArray(raw)) {
    fields.reader.problem('prometheus.extraJobs', raw, 'is not a list of {name, targets, metricsPath}');
    return [];
  }
  const taken = new Set<string>(SCRAPE_JOBS);
  return raw.map((item, i) => {
    const field = `prometheus.extraJobs[${i}]`;
    const job = fields.section(field, item);
    fields.onlyKnownKeys(field, job, ['name', 'targets', 'metricsPath']);
    const name = fields.string(`${field}.name`, job.name ?? '', '', NAME, 'a job name (letters, digits, . _ -)');
    if (name && taken.has(name)) fields.reader.problem(`${field}.name`, name, 'duplicates another scrape job name');
    taken.add(name);
    return {
      name,
      targets: fields.hostPorts(`${field}.targets`, job.targets ?? '', []),
      metricsPath: fields.string(
        `${field}.metricsPath`,
        job.metricsPath,
        '/metrics',
        /^\/\S*$/,
        'a path starting with /',
      ),
    };
  });
}

/**
 * The shortest scrape and evaluation interval and scrape timeout: below a second every exporter is
 * scraped faster than it refreshes, and Prometheus spends its CPU on scraping.
 */
const SHORTEST_INTERVAL = Duration.seconds(1);

function parsePrometheus(raw: unknown, fields: Fields): PrometheusSettings {
  const d = DEFAULT_CONFIG.prometheus;
  const given = fields.section('prometheus', raw);
  fields.onlyKnownKeys('prometheus', given, Object.keys(d));
  const settings: PrometheusSettings = {
    scrapeInterval: fields.duration(
      'prometheus.scrapeInterval',
      given.scrapeInterval,
      d.scrapeInterval,
      SHORTEST_INTERVAL,
    ),
    evaluationInterval: fields.duration(
      'prometheus.evaluationInterval',
      given.evaluationInterval,
      d.evaluationInterval,
      SHORTEST_INTERVAL,
    ),
    // Not given: Prometheus' own default, 10s, but never above the interval (as Prometheus does).
    scrapeTimeout: fields.duration('prometheus.scrapeTimeout', given.scrapeTimeout, d.scrapeTimeout, SHORTEST_INTERVAL),
    retention: fields.duration('prometheus.retention', given.retention, d.retention, Duration.hours(2)),
    diskBudget: fields.byteSize('prometheus.diskBudget', given.diskBudget, d.diskBudget, MINIMUM_DISK_BUDGET),
    retentionSize: fields.byteSize(
      'prometheus.retentionSize',
      given.retentionSize,
      d.retentionSize,
      ByteSize.mebibytes(1),
    ),
    adminApi: fields.boolean('prometheus.adminApi', given.adminApi, d.adminApi),
    extraJobs: parseExtraJobs(given.extraJobs, fields),
  };
  if (given.scrapeTimeout === undefined && settings.scrapeTimeout.compare(settings.scrapeInterval) > 0) {
    return { ...settings, scrapeTimeout: settings.scrapeInterval };
  }
  if (settings.scrapeTimeout.compare(settings.scrapeInterval) > 0) {
    fields.reader.problem(
      'prometheus.scrapeTimeout',
      settings.scrapeTimeout.toString(),
      `must not exceed prometheus.scrapeInterval (${settings.scrapeInterval})`,
    );
  }
  return settings;
}

function parseDockerDiscovery(raw: unknown, fields: Fields): DockerDiscoverySettings {
  const d = DEFAULT_CONFIG.dockerDiscovery;
  const given = fields.section('dockerDiscovery', raw);
  fields.onlyKnownKeys('dockerDiscovery', given, Object.keys(d));
  return {
    enabled: fields.boolean('dockerDiscovery.enabled', given.enabled, d.enabled),
    socketPath: fields.string(
      'dockerDiscovery.socketPath',
      given.socketPath,
      d.socketPath,
      /^\/\S+$/,
      'an absolute path',
    ),
    socketGroupId: fields.integer(
      'dockerDiscovery.socketGroupId',
      given.socketGroupId,
      d.socketGroupId,
      0,
      2_147_483_647,
    ),
    refreshInterval: fields.duration(
      'dockerDiscovery.refreshInterval',
      given.refreshInterval,
      d.refreshInterval,
      Duration.seconds(1),
      {
        limit: Duration.seconds(150),
        why: 'ServiceDiscoveryFailing judges the share of refreshes that failed in 5 minutes: it needs two of them',
      },
    ),
  };
}

function parseGrafana(raw: unknown, fields: Fields): GrafanaSettings {
  const d = DEFAULT_CONFIG.grafana;
  const given = fields.section('grafana', raw);
  fields.onlyKnownKeys('grafana', given, ['bindAddress', 'adminUser', 'folderTitle', 'url', 'publicUrl']);
  return {
    bindAddress: fields.address('grafana.bindAddress', given.bindAddress, d.bindAddress),
    adminUser: fields.string('grafana.adminUser', given.adminUser, d.adminUser, NAME, 'a user name'),
    folderTitle: fields.string('grafana.folderTitle', given.folderTitle, d.folderTitle),
    url:
      given.url === undefined
        ? undefined
        : fields.url('grafana.url', given.url, '', /^https?:\/\/\S+$/, 'an http:// or https:// URL'),
    publicUrl: fields.publicUrl('grafana.publicUrl', given.publicUrl, d.publicUrl, 'https://grafana.example.com'),
  };
}

function parseTargets(raw: unknown, fields: Fields): TargetsConfig {
  const d = DEFAULT_CONFIG.targets;
  const given = fields.section('targets', raw);
  fields.onlyKnownKeys('targets', given, [...Object.keys(d), 'celeryExporter']);
  const postgres = fields.section('targets.postgres', given.postgres);
  fields.onlyKnownKeys('targets.postgres', postgres, Object.keys(d.postgres));
  return {
    // None is allowed (`none`): Docker discovery may find the API's containers by their labels.
    api: given.api === 'none' ? [] : fields.hostPorts('targets.api', given.api, d.api, 0),
    celeryExporter:
      given.celeryExporter === undefined
        ? undefined
        : fields.hostPort('targets.celeryExporter', given.celeryExporter, ''),
    celeryBrokerDatabase: fields.integer(
      'targets.celeryBrokerDatabase',
      given.celeryBrokerDatabase,
      d.celeryBrokerDatabase,
      0,
      15,
    ),
    celeryQueues: fields.list('targets.celeryQueues', given.celeryQueues, d.celeryQueues, NAME, 'queue names'),
    postgres: {
      host: fields.string('targets.postgres.host', postgres.host, d.postgres.host, NAME, 'a host name'),
      port: fields.integer('targets.postgres.port', postgres.port, d.postgres.port, 1, 65_535),
      database: fields.string(
        'targets.postgres.database',
        postgres.database,
        d.postgres.database,
        NAME,
        'a database name',
      ),
      user: fields.string('targets.postgres.user', postgres.user, d.postgres.user, NAME, 'a user name'),
      sslMode: fields.oneOf('targets.postgres.sslMode', postgres.sslMode, d.postgres.sslMode, [
        'disable',
        'require',
        'verify-full',
      ]),
    },
    redis: fields.hostPort('targets.redis', given.redis, d.redis),
    redisRequiresPassword: fields.boolean(
      'targets.redisRequiresPassword',
      given.redisRequiresPassword,
      d.redisRequiresPassword,
    ),
  };
}

function parseSeverities(raw: unknown, fields: Fields): Severity[] {
  const names = fields.list(
    'telegramSeparateChats',
    raw,
    DEFAULT_CONFIG.telegramSeparateChats,
    /./,
    SEVERITIES.join('|'),
  );
  const unknown = names.filter((name) => !isSeverity(name));
  for (const name of unknown) {
    fields.reader.problem(
      'telegramSeparateChats',
      name,
      `is not a severity (expected one of ${SEVERITIES.join(', ')})`,
    );
  }
  return names.filter(isSeverity);
}

/**
 * Forum topics are one chat's: not with separate chats. (The Docker target's Alertmanager must know
 * `message_thread_id`: an image requirement, config/image-requirements.ts.)
 */
function checkTelegramTopics(
  config: Pick<MonitoringConfig, 'alerting' | 'telegramSeparateChats'>,
  reader: ConfigReader,
): void {
  const topics = Object.keys(config.alerting.telegramTopics);
  if (topics.length === 0) return;
  if (config.telegramSeparateChats.length > 0) {
    reader.problem(
      'alerting.telegramTopics',
      topics.join(','),
      `are topics of the one alert chat, while telegramSeparateChats (${config.telegramSeparateChats.join(',')}) gives severities chats of their own: choose one`,
    );
  }
}

/** A stack name: the directory under `cdktf.out/stacks/` and the default state file name. */
const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** The component with the longest container name suffix. */
const LONGEST_SLUG_COMPONENT = [...COMPONENTS].sort((a, b) => componentSlug(b).length - componentSlug(a).length)[0];
/** Containers are reached by name on the application network: `<prefix>-<component>` is a DNS label (at most 63). */
const NAME_PREFIX_MAX = 63 - 1 - componentSlug(LONGEST_SLUG_COMPONENT).length;
const NAME_PREFIX = new RegExp(`^[A-Za-z0-9][A-Za-z0-9_-]{0,${NAME_PREFIX_MAX - 1}}$`);

/**
 * One parser per top-level setting. Adding a section = a field in `MonitoringConfig`, its default
 * in `DEFAULT_CONFIG` and its parser here (the mapped type makes a missing parser a compile error).
 */
const SECTIONS: { [K in keyof MonitoringConfig]-?: SectionParser<K> } = {
  stackName: (raw, f) =>
    f.string('stackName', raw, DEFAULT_CONFIG.stackName, STACK_NAME, 'letters, digits, _ and -, at most 64'),
  target: (raw, f) => f.oneOf('target', raw, DEFAULT_CONFIG.target, TARGETS),
  dockerHost: (raw, f) => {
    // tcp:// takes no user information, and ssh:// a user but no password (keys do that).
    if (typeof raw === 'string' && /^(tcp:\/\/[^/]*@|ssh:\/\/[^/@]*:[^/]*@)/.test(raw.trim())) {
      f.reader.problem(
        'dockerHost',
        withoutCredentials(raw),
        'carries credentials: they would be written into the synthesized files',
      );
      return DEFAULT_CONFIG.dockerHost;
    }
    return f.string(
      'dockerHost',
      raw,
      DEFAULT_CONFIG.dockerHost,
      /^(unix|tcp|ssh):\/\/\S+$/,
      'unix://, tcp:// or ssh:// URL',
    );
  },

  dockerNetwork: (raw, f) =>
    raw === undefined ? undefined : f.string('dockerNetwork', raw, '', NAME, 'a Docker network name'),
  applicationContainer: (raw, f) =>
    f.string('applicationContainer', raw, DEFAULT_CONFIG.applicationContainer, NAME, 'a container name'),
  namePrefix: (raw, f) =>
    f.string(
      'namePrefix',
      raw,
      DEFAULT_CONFIG.namePrefix,
      NAME_PREFIX,
      `letters, digits, _ and -, at most ${NAME_PREFIX_MAX} (the longest container name, ${containerName({ namePrefix: '<prefix>' }, LONGEST_SLUG_COMPONENT)}, must stay a DNS label of at most 63)`,
    ),
  bindAddress: (raw, f) => f.address('bindAddress', raw, DEFAULT_CONFIG.bindAddress),
  publishWithoutAuth: (raw, f) => f.boolean('publishWithoutAuth', raw, DEFAULT_CONFIG.publishWithoutAuth),
  components: parseComponents,
  prometheus: parsePrometheus,
  dockerDiscovery: parseDockerDiscovery,
  grafana: parseGrafana,
  targets: parseTargets,
  telegramSeparateChats: parseSeverities,
  alerting: parseAlertingSettings,
  slo: parseSloSettings,
  backend: parseBackendSettings,
  kubernetes: parseKubernetesSettings,
  remoteWrite: parseRemoteWriteSettings,
};

/**
 * Settings that depend on the target: remote write is rendered only by the Kubernetes target, the
 * Redis password only by the Docker target's redis-exporter, and on Kubernetes `namePrefix` starts
 * object names.
 */
export function checkTarget(
  config: Pick<MonitoringConfig, 'target' | 'namePrefix' | 'remoteWrite' | 'targets'>,
  reader: ConfigReader,
): void {
  if (config.remoteWrite && config.target !== 'kubernetes') {
    reader.problem(
      'remoteWrite.url',
      config.remoteWrite.url,
      `applies only when target is kubernetes (it is ${config.target})`,
    );
  }
  if (config.targets.redisRequiresPassword && config.target === 'kubernetes') {
    reader.problem(
      'targets.redisRequiresPassword',
      true,
      "applies only when target is docker: on kubernetes the application's own redis-exporter talks to Redis",
    );
  }
  if (config.target === 'kubernetes' && !/^[a-z0-9]([-a-z0-9]{0,28}[a-z0-9])?$/.test(config.namePrefix)) {
    reader.problem(
      'namePrefix',
      config.namePrefix,
      'is not valid when target is kubernetes: it starts object names, so lower-case letters, digits and - (at most 30)',
    );
  }
}

/** Whether `address` reaches only this host. */
export function isLoopback(address: string): boolean {
  const ipv6 = address.toLowerCase();
  return /^127\./.test(address) || /^(0{0,4}:){7}0{0,3}1$/.test(ipv6) || ipv6 === '::1' || /^::ffff:127\./.test(ipv6);
}

/** Prometheus, Alertmanager and the exporters answer anyone who reaches them: published beyond loopback only on request. */
function checkPublishing(
  config: Pick<MonitoringConfig, 'bindAddress' | 'publishWithoutAuth' | 'target'>,
  reader: ConfigReader,
): void {
  // The Kubernetes target publishes nothing on the host: bindAddress does not apply there.
  if (config.target === 'kubernetes' || isLoopback(config.bindAddress) || config.publishWithoutAuth) return;
  reader.problem(
    'bindAddress',
    config.bindAddress,
    'publishes Prometheus, Alertmanager and the exporters beyond this host, and they have no login: anyone who reaches the address reads every metric and can silence every alert. ' +
      'Keep 127.0.0.1 (reach them through an SSH tunnel or a proxy with a login), or set MONITORING_PUBLISH_WITHOUT_AUTH=true (publishWithoutAuth) if a firewall guards the address',
  );
}

/**
 * Prometheus serves its admin API on every address it listens on (one HTTP server for all its
 * listeners, and its web configuration applies to every path alike): on the Docker target the
 * published port carries it too, so it is allowed only while that port stays on loopback. (It
 * also reaches every container on Prometheus' networks; the guide says so.)
 */
function checkAdminApiPublishing(
  config: Pick<MonitoringConfig, 'bindAddress' | 'prometheus' | 'target'>,
  reader: ConfigReader,
): void {
  // The Kubernetes target publishes nothing on the host: its Service is the exposure (the guide says which).
  if (config.target === 'kubernetes' || !config.prometheus.adminApi || isLoopback(config.bindAddress)) return;
  reader.problem(
    'prometheus.adminApi',
    true,
    `is refused with bindAddress "${config.bindAddress}": the admin API (which deletes series) would be published beyond this host on Prometheus' port, for anyone who reaches the address. ` +
      'Keep bindAddress at 127.0.0.1 while the admin API is on (MONITORING_BIND_ADDRESS), or leave PROMETHEUS_ADMIN_API off and back up without Prometheus (npm run backup -- --skip prometheus)',
  );
}

/** Whether the user gave `key` of a raw section. */
function given(section: unknown, key: string): boolean {
  return typeof section === 'object' && section !== null && (section as Record<string, unknown>)[key] !== undefined;
}

/**
 * The disk budget, the retention size and the Kubernetes volume, each given or following the others
 * (storage-budget.ts); a retention size above the budget, or a budget above the volume, is a problem.
 */
function withPrometheusStorage(config: MonitoringConfig, raw: RawMonitoringConfig, reader: ConfigReader) {
  const storage = prometheusStorage(
    config.target,
    { ...config.prometheus, prometheusVolumeSize: config.kubernetes.prometheusVolumeSize },
    {
      diskBudget: given(raw.prometheus, 'diskBudget'),
      retentionSize: given(raw.prometheus, 'retentionSize'),
      prometheusVolumeSize: given(raw.kubernetes, 'prometheusVolumeSize'),
    },
    reader,
  );
  return {
    ...config,
    prometheus: { ...config.prometheus, diskBudget: storage.diskBudget, retentionSize: storage.retentionSize },
    kubernetes: { ...config.kubernetes, prometheusVolumeSize: storage.prometheusVolumeSize },
  };
}

/**
 * Defaults that follow other settings, applied only to what was not given: each target keeps its
 * own stack and state (a Kubernetes deploy with the Docker target's stack name would plan against
 * the Docker state, and destroy it), and Alertmanager's external URL (the silence links in every
 * message) and Grafana's public URL (the panel links) are on the ports they are published on.
 */
function derivedDefaults(config: MonitoringConfig, raw: RawMonitoringConfig): MonitoringConfig {
  const alerting = given(raw.alerting, 'externalUrl')
    ? config.alerting
    : { ...config.alerting, externalUrl: `http://localhost:${config.components.alertmanager.port}` };
  const grafana = given(raw.grafana, 'publicUrl')
    ? config.grafana
    : { ...config.grafana, publicUrl: `http://localhost:${config.components.grafana.port}` };
  if (config.target !== 'kubernetes') return { ...config, alerting, grafana };
  return {
    ...config,
    alerting,
    grafana,
    stackName: raw.stackName === undefined ? `${DEFAULT_CONFIG.stackName}-kubernetes` : config.stackName,
    backend:
      config.backend.type === 'pg' && !given(raw.backend, 'schemaName')
        ? { ...config.backend, schemaName: 'terraform_remote_state_kubernetes' }
        : config.backend,
  };
}

/** Validates raw input against the defaults; throws `ConfigError` listing every bad field. */
export function parseMonitoringConfig(raw: RawMonitoringConfig = {}): MonitoringConfig {
  const reader = new ConfigReader();
  const fields = new Fields(reader);
  fields.onlyKnownKeys('', raw, Object.keys(SECTIONS));
  const entries = (Object.keys(SECTIONS) as (keyof MonitoringConfig)[]).map((key) => [
    key,
    SECTIONS[key](raw[key], fields),
  ]);
  const config = Object.fromEntries(entries.filter(([, value]) => value !== undefined)) as MonitoringConfig;
  checkTarget(config, reader);
  checkPublishing(config, reader);
  checkAdminApiPublishing(config, reader);
  checkSloRetention(config.slo, config.prometheus.retention, reader);
  checkImageRequirements(config, reader);
  checkTelegramTopics(config, reader);
  const withStorage = withPrometheusStorage(config, raw, reader);
  reader.done();
  return derivedDefaults(withStorage, raw);
}

/**
 * The application's Docker network, once known: given, or found by main.ts
 * (`withApplicationNetwork`) before the Docker stack is built. Throws while it is not.
 */
export function applicationNetwork(config: Pick<MonitoringConfig, 'dockerNetwork'>): string {
  if (config.dockerNetwork === undefined)
    throw new Error(
      'dockerNetwork is not known yet: main.ts finds it (withApplicationNetwork) before building the Docker stack',
    );
  return config.dockerNetwork;
}

/** Container (and Docker DNS) name of a component: `<namePrefix>-<component-in-kebab-case>`. */
export function containerName(config: Pick<MonitoringConfig, 'namePrefix'>, component: ComponentName): string {
  return `${config.namePrefix}-${componentSlug(component)}`;
}

/**
 * Where the Docker host reaches a component: its published port on the bind address (loopback when
 * published on 0.0.0.0), or for Grafana the configured `grafana.url`.
 */
export function publishedUrl(
  config: Pick<MonitoringConfig, 'bindAddress' | 'components' | 'grafana'>,
  component: ComponentName,
): string {
  if (component === 'grafana' && config.grafana.url) return config.grafana.url;
  const bindAddress = component === 'grafana' ? config.grafana.bindAddress : config.bindAddress;
  return `http://${hostReaching(bindAddress)}:${config.components[component].port}`;
}

/**
 * Where this host reaches what listens (or is published) on `bindAddress`, as the host part of a
 * URL: loopback for every address (`0.0.0.0`, `::`), an IPv6 address bracketed.
 */
export function hostReaching(bindAddress: string): string {
  const host = bindAddress === '0.0.0.0' ? '127.0.0.1' : bindAddress === '::' ? '::1' : bindAddress;
  return host.includes(':') ? `[${host}]` : host;
}

/** `host:port` as a listen flag or URL takes it: an IPv6 address bracketed. */
export function listenAddress(address: string, port: number): string {
  return `${address.includes(':') ? `[${address}]` : address}:${port}`;
}

/** Whether `bindAddress` stands for every address of the host. */
export function isWildcardAddress(bindAddress: string): boolean {
  return bindAddress === '0.0.0.0' || bindAddress === '::';
}
