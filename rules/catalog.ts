/**
 * The metric catalog: every metric a rule or dashboard may name, with its type, help text and
 * label names. Metric names and label names are written here and nowhere else; rules and panels
 * hold a handle (`METRICS.app.httpRequests`) and build PromQL through `rules/promql.ts`, so a
 * misspelt metric or label is a compile error instead of a silent dead alert.
 *
 * `METRICS.app` is the contract with the Stock Tracker Python service (rendered to
 * docs/METRICS.md for the application team); the other groups are the real names the pinned
 * exporters expose (checked against their captured metric lists in __tests__/fixtures).
 */
import { JOB, SCRAPE_JOBS, ScrapeJobName } from '../prometheus/jobs';

export { JOB, SCRAPE_JOBS };
export type { ScrapeJobName };

export type MetricType = 'counter' | 'gauge' | 'histogram';

/** Who exposes a metric; each exporter's names are checked against that exporter's fixture. */
export const METRIC_SOURCES = [
  'stock-tracker',
  'node-exporter',
  'postgres-exporter',
  'redis-exporter',
  'cadvisor',
  'prometheus',
  'alertmanager',
  'scrape',
  'recording',
] as const;
export type MetricSource = (typeof METRIC_SOURCES)[number];

/** A label's meaning and, when the set is closed, its allowed values (typed in matchers). */
export interface LabelDoc<V extends string = string> {
  readonly help: string;
  readonly values?: readonly V[];
}
export type LabelDocs = { readonly [name: string]: LabelDoc };

/** A metric that only exists in a newer version than the Debian binary the tests capture from. */
export interface NewerOnly {
  /** The first exporter version exposing it, e.g. `0.15.0`. */
  readonly since: string;
  readonly reason: string;
}

export interface Metric<T extends MetricType = MetricType, D extends LabelDocs = LabelDocs> {
  /** The series name; for a histogram the base name (series are `<name>_bucket|_sum|_count`). */
  readonly name: string;
  readonly type: T;
  readonly help: string;
  readonly source: MetricSource;
  /** Every label the series carries, including the target labels `job` and `instance`. */
  readonly labels: D;
  readonly newerOnly?: NewerOnly;
  /**
   * A histogram's bucket upper bounds, ascending, as its exporter must configure them. A threshold
   * read as a quantile of the histogram is one of them, so the quantile is exact at the threshold
   * instead of interpolated inside a wide bucket.
   */
  readonly buckets?: readonly number[];
}

export type Counter<D extends LabelDocs = LabelDocs> = Metric<'counter', D>;
export type Gauge<D extends LabelDocs = LabelDocs> = Metric<'gauge', D>;
export type Histogram<D extends LabelDocs = LabelDocs> = Metric<'histogram', D>;

/** The label names of a metric handle, as a literal union. */
export type LabelName<M extends Metric> = Extract<keyof M['labels'], string>;
/** The values a label of a metric may take: its closed set, or any string. */
export type LabelValue<M extends Metric, K extends LabelName<M>> = M['labels'][K] extends LabelDoc<infer V> ? V : string;

/** Labels Prometheus adds to every scraped series. */
export const TARGET_LABELS = {
  job: { help: 'Scrape job the series came from', values: SCRAPE_JOBS },
  instance: { help: 'Address (host:port) of the scraped target' },
} as const satisfies LabelDocs;
type TargetLabelDocs = typeof TARGET_LABELS;

/** A label with a closed set of values. */
export function label<const V extends string>(help: string, values: readonly V[]): LabelDoc<V>;
/** A label with open values. */
export function label(help: string): LabelDoc<string>;
export function label(help: string, values?: readonly string[]): LabelDoc {
  return values ? { help, values } : { help };
}

interface MetricSpec<D extends LabelDocs> {
  help: string;
  labels?: D;
  newerOnly?: NewerOnly;
  buckets?: readonly number[];
}

function scraped<T extends MetricType>(type: T, source: MetricSource) {
  return <const D extends LabelDocs = {}>(name: string, spec: MetricSpec<D>): Metric<T, D & TargetLabelDocs> => ({
    name,
    type,
    help: spec.help,
    source,
    labels: { ...(spec.labels ?? ({} as D)), ...TARGET_LABELS },
    ...(spec.newerOnly ? { newerOnly: spec.newerOnly } : {}),
    ...(spec.buckets ? { buckets: spec.buckets } : {}),
  });
}

function sourceKinds(source: MetricSource) {
  return { counter: scraped('counter', source), gauge: scraped('gauge', source), histogram: scraped('histogram', source) };
}

/** Outcomes the application reports for a unit of work. */
export const OUTCOMES = ['success', 'failure'] as const;
export const TASK_OUTCOMES = ['success', 'failure', 'retry'] as const;
/** Marketplaces Stock Tracker syncs from. */
export const PLATFORMS = ['wb', 'ozon'] as const;
export type Platform = (typeof PLATFORMS)[number];

const app = sourceKinds('stock-tracker');
const endpoint = label('Route template as declared in FastAPI (`/api/v1/products/{id}`), never the raw path');
const method = label('HTTP method', ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
const taskName = label('Celery task name (`app.tasks.sync_stocks`)');
const platform = label('Marketplace', PLATFORMS);
/** Business metrics carry the tenant, so a seller's failing syncs or sheets can be told apart from everyone's. */
const tenant = label('Tenant id (a bounded set: one per customer account)');

/** The Stock Tracker service's own metrics: what the Python app must expose. */
const APP_METRICS = {
  httpRequests: app.counter('stock_tracker_http_requests_total', {
    help: 'HTTP requests answered by the API',
    labels: { method, endpoint, status: label('HTTP status code, e.g. `200`, `503`') },
  }),
  httpRequestDuration: app.histogram('stock_tracker_http_request_duration_seconds', {
    help: 'Time from request received to response sent by the API',
    labels: { method, endpoint },
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 2.5, 5, 10],
  }),
  httpRequestsInFlight: app.gauge('stock_tracker_http_requests_in_flight', {
    help: 'Requests the API is handling right now',
  }),
  httpExceptions: app.counter('stock_tracker_http_exceptions_total', {
    help: 'Unhandled exceptions raised while serving a request, by exception class',
    labels: { endpoint, exception_type: label('Python exception class name, e.g. `TimeoutError`') },
  }),
  dbQueryDuration: app.histogram('stock_tracker_db_query_duration_seconds', {
    help: 'Time the application waited for a PostgreSQL query',
    labels: { operation: label('Statement kind', ['select', 'insert', 'update', 'delete', 'other']) },
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  }),
  celeryTasks: app.counter('stock_tracker_celery_tasks_total', {
    help: 'Celery tasks finished, by task and outcome',
    labels: { task_name: taskName, outcome: label('How the task ended', TASK_OUTCOMES) },
  }),
  celeryTaskDuration: app.histogram('stock_tracker_celery_task_duration_seconds', {
    help: 'Run time of finished Celery tasks',
    labels: { task_name: taskName },
    buckets: [0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600],
  }),
  celeryQueueLength: app.gauge('stock_tracker_celery_queue_length', {
    help: 'Tasks waiting in a Celery queue (Redis list length)',
    labels: { queue_name: label('Celery queue, e.g. `default`, `sync`') },
  }),
  celeryActiveTasks: app.gauge('stock_tracker_celery_active_tasks', {
    help: 'Tasks being executed by workers right now',
  }),
  celeryWorkers: app.gauge('stock_tracker_celery_workers', {
    help: 'Celery workers that answered the last ping',
  }),
  productsTracked: app.gauge('stock_tracker_products_tracked', {
    help: 'Products whose stock is tracked, per tenant and marketplace',
    labels: { tenant, platform },
  }),
  syncOperations: app.counter('stock_tracker_sync_operations_total', {
    help: 'Stock sync runs against a marketplace, by outcome',
    labels: { tenant, platform, outcome: label('How the sync ended', OUTCOMES) },
  }),
  syncDuration: app.histogram('stock_tracker_sync_duration_seconds', {
    help: 'Run time of a stock sync against a marketplace',
    labels: { tenant, platform },
    buckets: [1, 5, 10, 30, 60, 120, 300, 600],
  }),
  externalApiErrors: app.counter('stock_tracker_external_api_errors_total', {
    help: 'Failed calls to a marketplace API',
    labels: { tenant, platform, error_type: label('Failure class: `timeout`, `rate_limited`, `http_5xx`, `http_4xx`, `invalid_response`') },
  }),
  googleSheetsOperations: app.counter('stock_tracker_google_sheets_operations_total', {
    help: 'Google Sheets API calls, by operation and outcome',
    labels: {
      tenant,
      platform: label('Marketplace whose stock the call reads or writes', PLATFORMS),
      operation: label('Sheets call', ['read', 'write', 'create', 'format']),
      outcome: label('How the call ended', OUTCOMES),
    },
  }),
};

const node = sourceKinds('node-exporter');
const filesystem = {
  device: label('Block device, e.g. `/dev/sda1`'),
  fstype: label('Filesystem type, e.g. `ext4`, `tmpfs`, `overlay`'),
  mountpoint: label('Mount point, e.g. `/`'),
};
const NODE_METRICS = {
  cpuSeconds: node.counter('node_cpu_seconds_total', {
    help: 'Seconds each CPU spent in each mode',
    labels: { cpu: label('CPU index'), mode: label('CPU mode', ['idle', 'iowait', 'irq', 'nice', 'softirq', 'steal', 'system', 'user']) },
  }),
  memoryAvailable: node.gauge('node_memory_MemAvailable_bytes', { help: 'Memory available for new work without swapping' }),
  memoryTotal: node.gauge('node_memory_MemTotal_bytes', { help: 'Total usable memory' }),
  filesystemAvailable: node.gauge('node_filesystem_avail_bytes', { help: 'Filesystem space available to non-root users', labels: filesystem }),
  filesystemSize: node.gauge('node_filesystem_size_bytes', { help: 'Filesystem size', labels: filesystem }),
  load1: node.gauge('node_load1', { help: '1-minute load average' }),
  load5: node.gauge('node_load5', { help: '5-minute load average' }),
  load15: node.gauge('node_load15', { help: '15-minute load average' }),
  networkReceiveBytes: node.counter('node_network_receive_bytes_total', { help: 'Bytes received per interface', labels: { device: label('Network interface') } }),
  networkTransmitBytes: node.counter('node_network_transmit_bytes_total', { help: 'Bytes sent per interface', labels: { device: label('Network interface') } }),
  diskReadBytes: node.counter('node_disk_read_bytes_total', { help: 'Bytes read per block device', labels: { device: label('Block device') } }),
  diskWrittenBytes: node.counter('node_disk_written_bytes_total', { help: 'Bytes written per block device', labels: { device: label('Block device') } }),
};

const pg = sourceKinds('postgres-exporter');
const datname = label('Database name');
const POSTGRES_METRICS = {
  up: pg.gauge('pg_up', { help: '1 when the exporter could query PostgreSQL at the last scrape, else 0' }),
  activityCount: pg.gauge('pg_stat_activity_count', {
    help: 'Server connections by database and state (pg_stat_activity)',
    labels: { datname, state: label('Backend state', ['active', 'idle', 'idle in transaction', 'idle in transaction (aborted)', 'fastpath function call', 'disabled']) },
  }),
  maxConnections: pg.gauge('pg_settings_max_connections', { help: 'The max_connections setting' }),
  databaseSize: pg.gauge('pg_database_size_bytes', { help: 'Disk space used by a database', labels: { datname } }),
  transactionsCommitted: pg.counter('pg_stat_database_xact_commit', { help: 'Transactions committed', labels: { datid: label('Database OID'), datname } }),
  transactionsRolledBack: pg.counter('pg_stat_database_xact_rollback', { help: 'Transactions rolled back', labels: { datid: label('Database OID'), datname } }),
  deadlocks: pg.counter('pg_stat_database_deadlocks', { help: 'Deadlocks detected', labels: { datid: label('Database OID'), datname } }),
  locks: pg.gauge('pg_locks_count', { help: 'Locks held, by database and mode', labels: { datname, mode: label('Lock mode, e.g. `accessexclusivelock`') } }),
};

const redis = sourceKinds('redis-exporter');
const REDIS_METRICS = {
  up: redis.gauge('redis_up', { help: '1 when the exporter could talk to Redis at the last scrape, else 0' }),
  memoryUsed: redis.gauge('redis_memory_used_bytes', { help: 'Memory allocated by Redis' }),
  memoryMax: redis.gauge('redis_memory_max_bytes', { help: 'The maxmemory setting (0 when unlimited)' }),
  connectedClients: redis.gauge('redis_connected_clients', { help: 'Client connections' }),
  commandsProcessed: redis.counter('redis_commands_processed_total', { help: 'Commands processed' }),
  keyspaceHits: redis.counter('redis_keyspace_hits_total', { help: 'Successful key lookups' }),
  keyspaceMisses: redis.counter('redis_keyspace_misses_total', { help: 'Failed key lookups' }),
  evictedKeys: redis.counter('redis_evicted_keys_total', { help: 'Keys evicted because of maxmemory' }),
};

const cadvisor = sourceKinds('cadvisor');
const container = {
  name: label('Docker container name (empty for cgroups that are not containers)'),
  image: label('Container image'),
  id: label('cgroup path'),
};
const CADVISOR_METRICS = {
  cpuUsageSeconds: cadvisor.counter('container_cpu_usage_seconds_total', { help: 'CPU time consumed by a container', labels: { ...container, cpu: label('CPU (`total` when not per-CPU)') } }),
  memoryWorkingSet: cadvisor.gauge('container_memory_working_set_bytes', { help: 'Memory a container actively uses', labels: container }),
  specMemoryLimit: cadvisor.gauge('container_spec_memory_limit_bytes', { help: 'Memory limit of a container (0 when unlimited)', labels: container }),
  networkReceiveBytes: cadvisor.counter('container_network_receive_bytes_total', { help: 'Bytes received by a container', labels: { ...container, interface: label('Network interface') } }),
  networkTransmitBytes: cadvisor.counter('container_network_transmit_bytes_total', { help: 'Bytes sent by a container', labels: { ...container, interface: label('Network interface') } }),
  fsReadBytes: cadvisor.counter('container_fs_reads_bytes_total', { help: 'Bytes a container read from disk', labels: { ...container, device: label('Block device') } }),
  fsWriteBytes: cadvisor.counter('container_fs_writes_bytes_total', { help: 'Bytes a container wrote to disk', labels: { ...container, device: label('Block device') } }),
  startTime: cadvisor.gauge('container_start_time_seconds', { help: 'Start time of a container (Unix seconds); it changes when the container restarts', labels: container }),
  lastSeen: cadvisor.gauge('container_last_seen', { help: 'Last time cAdvisor saw a container (Unix seconds)', labels: container }),
};

const prom = sourceKinds('prometheus');
const ruleGroup = label('Rule group, `<file>;<group>`');
const PROMETHEUS_METRICS = {
  configReloadSuccessful: prom.gauge('prometheus_config_last_reload_successful', { help: '1 when the last configuration reload succeeded' }),
  ruleEvaluationFailures: prom.counter('prometheus_rule_evaluation_failures_total', { help: 'Rule evaluations that failed', labels: { rule_group: ruleGroup } }),
  ruleGroupIterationsMissed: prom.counter('prometheus_rule_group_iterations_missed_total', { help: 'Rule group evaluations skipped because the previous one ran late', labels: { rule_group: ruleGroup } }),
  tsdbCompactionsFailed: prom.counter('prometheus_tsdb_compactions_failed_total', { help: 'TSDB compactions that failed' }),
  tsdbHeadTruncationsFailed: prom.counter('prometheus_tsdb_head_truncations_failed_total', { help: 'TSDB head truncations that failed' }),
  tsdbReloadsFailed: prom.counter('prometheus_tsdb_reloads_failures_total', { help: 'TSDB block reloads that failed' }),
  tsdbWalCorruptions: prom.counter('prometheus_tsdb_wal_corruptions_total', { help: 'Write-ahead log corruptions found' }),
  tsdbHeadSeries: prom.gauge('prometheus_tsdb_head_series', { help: 'Series held in memory' }),
  notificationsErrors: prom.counter('prometheus_notifications_errors_total', { help: 'Errors sending alerts to an Alertmanager', labels: { alertmanager: label('Alertmanager URL') } }),
  notificationsSent: prom.counter('prometheus_notifications_sent_total', { help: 'Alerts sent to an Alertmanager', labels: { alertmanager: label('Alertmanager URL') } }),
};

const am = sourceKinds('alertmanager');
const integration = label('Receiver integration, e.g. `telegram`, `webhook`');
const ALERTMANAGER_METRICS = {
  notifications: am.counter('alertmanager_notifications_total', { help: 'Notifications attempted, by integration', labels: { integration } }),
  notificationsFailed: am.counter('alertmanager_notifications_failed_total', { help: 'Notifications that failed, by integration', labels: { integration } }),
  configReloadSuccessful: am.gauge('alertmanager_config_last_reload_successful', { help: '1 when the last configuration reload succeeded' }),
};

const SCRAPE_METRICS = {
  up: scraped('gauge', 'scrape')('up', { help: '1 when the last scrape of the target succeeded, 0 when it failed' }),
};

/** Every metric handle, grouped by who exposes it. */
export const METRICS = {
  app: APP_METRICS,
  node: NODE_METRICS,
  postgres: POSTGRES_METRICS,
  redis: REDIS_METRICS,
  cadvisor: CADVISOR_METRICS,
  prometheus: PROMETHEUS_METRICS,
  alertmanager: ALERTMANAGER_METRICS,
  scrape: SCRAPE_METRICS,
} as const;

export type MetricGroup = keyof typeof METRICS;

/** All catalog metrics, in catalog order. */
export function allMetrics(): Metric[] {
  return Object.values(METRICS).flatMap((group) => Object.values(group) as Metric[]);
}

/** The series names a metric produces: a histogram's `_bucket`, `_sum` and `_count`, else its name. */
export function seriesNames(metric: Metric): string[] {
  return metric.type === 'histogram' ? ['_bucket', '_sum', '_count'].map((suffix) => metric.name + suffix) : [metric.name];
}
