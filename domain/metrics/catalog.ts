/**
 * The metric catalog: every metric a rule or dashboard may name, with its type, help text and
 * label names. Metric names and label names are written here and nowhere else; rules and panels
 * hold a handle (`METRICS.app.httpRequests`) and build PromQL through `promql.ts`, so a
 * misspelt metric or label is a compile error instead of a silent dead alert.
 *
 * `METRICS.app` is the contract with the Stock Tracker Python service (rendered to
 * docs/METRICS.md for the application team); the other groups are the real names the pinned
 * exporters expose (checked against their captured metric lists in __tests__/fixtures).
 */
import { MetricSource } from '../../core/components';
import { SCRAPE_JOBS } from '../../core/components';

export type MetricType = 'counter' | 'gauge' | 'histogram';

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
export type LabelValue<M extends Metric, K extends LabelName<M>> =
  M['labels'][K] extends LabelDoc<infer V> ? V : string;

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

/** The labels of a metric that has none of its own. */
type NoLabels = Record<never, LabelDoc>;

function scraped<T extends MetricType>(type: T, source: MetricSource) {
  return <const D extends LabelDocs = NoLabels>(name: string, spec: MetricSpec<D>): Metric<T, D & TargetLabelDocs> => ({
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
  return {
    counter: scraped('counter', source),
    gauge: scraped('gauge', source),
    histogram: scraped('histogram', source),
  };
}

/**
 * Marketplaces Stock Tracker syncs from: the values of its `MarketplaceType` enum
 * (src/stock_tracker/database/models/tenant.py), which it writes into `platform`.
 */
export const PLATFORMS = ['wildberries', 'ozon'] as const;
export type Platform = (typeof PLATFORMS)[number];
/** How a sync ended (`status` of `sync_operations_total`, as monitoring.py's callers write it). */
export const SYNC_STATUSES = ['success', 'failure'] as const;
/** How a Google Sheets call ended: this counter says `error`, not `failure`. */
export const SHEETS_STATUSES = ['success', 'error'] as const;

const app = sourceKinds('stock-tracker');
const endpoint = label(
  "Request path with numeric ids and UUIDs replaced by `/:id` (monitoring.py's middleware), e.g. `/api/v1/products/:id`",
);
const method = label('HTTP method', ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);
const taskName = label('Celery task name, e.g. `stock_tracker.workers.tasks.sync_tenant_products`');
const platform = label('Marketplace', PLATFORMS);
/** Business metrics carry the tenant, so a seller's failing syncs or sheets can be told apart from everyone's. */
const tenantId = label('Tenant UUID (one per customer account)');

/**
 * The Stock Tracker service's own metrics: exactly what its `PrometheusMetrics` class
 * (src/stock_tracker/monitoring.py) registers, names, types, labels and buckets, held to the
 * fixture captured by running that module (__tests__/fixtures/stock-tracker/app-metrics.json,
 * tools/capture/stock-tracker-metrics.py). The API serves them on `/metrics` once the class is
 * the one imported (see README, "Connecting to Stock Tracker").
 */
const APP_METRICS = {
  httpRequests: app.counter('http_requests_total', {
    help: 'HTTP requests answered by the API',
    labels: { method, endpoint, status: label('HTTP status code, e.g. `200`, `503`') },
  }),
  httpRequestDuration: app.histogram('http_request_duration_seconds', {
    help: 'Time from request received to response sent by the API',
    labels: { method, endpoint },
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  }),
  httpRequestsInProgress: app.gauge('http_requests_in_progress', {
    help: 'Requests the API is handling right now',
    labels: { method, endpoint },
  }),
  dbConnectionsActive: app.gauge('db_connections_active', { help: 'Database connections the application holds open' }),
  dbQueryDuration: app.histogram('db_query_duration_seconds', {
    help: 'Time the application waited for a PostgreSQL query',
    labels: { operation: label('Statement kind, e.g. `select`, `insert`') },
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
  }),
  dbErrors: app.counter('db_errors_total', {
    help: 'Database errors the application saw, by error class',
    labels: { error_type: label('Exception class, e.g. `OperationalError`') },
  }),
  celeryTasks: app.counter('celery_tasks_total', {
    help: 'Celery tasks finished, as the application counts them (the celery-exporter counts them without any code)',
    labels: { task_name: taskName, status: label('How the task ended, e.g. `success`, `failure`') },
  }),
  celeryTaskDuration: app.histogram('celery_task_duration_seconds', {
    help: 'Run time of finished Celery tasks, as the application measures it',
    labels: { task_name: taskName },
    buckets: [0.1, 0.5, 1, 5, 10, 30, 60, 300, 600],
  }),
  celeryTasksInProgress: app.gauge('celery_tasks_in_progress', {
    help: 'Celery tasks running now, as the application counts them',
    labels: { task_name: taskName },
  }),
  celeryQueueLength: app.gauge('celery_queue_length', {
    help: "Tasks waiting in a Celery queue, as the application reports it (same name as the celery-exporter's, which the rules read)",
    labels: { queue_name: label('Celery queue: `sync`, `default` or `maintenance`') },
  }),
  redisOperations: app.counter('redis_operations_total', {
    help: 'Redis calls the application made, by operation and outcome',
    labels: {
      operation: label('Redis command, e.g. `get`'),
      status: label('How the call ended, e.g. `success`, `error`'),
    },
  }),
  redisOperationDuration: app.histogram('redis_operation_duration_seconds', {
    help: 'Time the application waited for a Redis call',
    labels: { operation: label('Redis command, e.g. `get`') },
    buckets: [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1],
  }),
  products: app.gauge('products_total', {
    help: 'Products whose stock is tracked, per tenant',
    labels: { tenant_id: tenantId },
  }),
  syncOperations: app.counter('sync_operations_total', {
    help: 'Stock sync runs against a marketplace, by outcome',
    labels: { platform, status: label('How the sync ended', SYNC_STATUSES), tenant_id: tenantId },
  }),
  syncDuration: app.histogram('sync_duration_seconds', {
    help: 'Run time of a stock sync against a marketplace',
    labels: { platform, tenant_id: tenantId },
    buckets: [1, 5, 10, 30, 60, 120, 300, 600],
  }),
  externalApiErrors: app.counter('api_errors_total', {
    help: 'Failed calls to a marketplace API',
    labels: { platform, error_type: label('Exception class of the failed call, e.g. `TimeoutError`') },
  }),
  sheetsOperations: app.counter('sheets_operations_total', {
    help: 'Google Sheets API calls, by operation and outcome',
    labels: {
      operation: label('Sheets call, e.g. `update`'),
      status: label('How the call ended', SHEETS_STATUSES),
      tenant_id: tenantId,
    },
  }),
  systemCpuUsage: app.gauge('system_cpu_usage_percent', {
    help: 'Host CPU use as the API process sees it (psutil); never updated by the service (the host alerts read node-exporter)',
  }),
  systemMemoryUsage: app.gauge('system_memory_usage_bytes', {
    help: 'Memory in use as the API process sees it (psutil); never updated by the service',
  }),
  systemMemoryAvailable: app.gauge('system_memory_available_bytes', {
    help: 'Memory available as the API process sees it (psutil); never updated by the service',
  }),
  systemDiskUsage: app.gauge('system_disk_usage_percent', {
    help: "Use of the API container's own `/` (psutil); never updated by the service",
  }),
  appInfo: app.gauge('stock_tracker_app_info', {
    help: 'Always 1; the labels say which release runs',
    labels: {
      version: label('Application version'),
      python_version: label('Python version string'),
      environment: label('`ENVIRONMENT` of the process'),
    },
  }),
};

const celery = sourceKinds('celery-exporter');
const celeryTask = {
  name: label('Celery task name, e.g. `stock_tracker.workers.tasks.sync_tenant_products`'),
  hostname: label("Host part of the worker's node name (`celery@<hostname>`): the worker container"),
  queue_name: label(
    'Queue of the task, known to the exporter only from `task-sent` events (`task_send_sent_event`); without them, as in Stock Tracker, `celery`',
  ),
};
const celeryQueue = { queue_name: label('Celery queue, e.g. `sync`') };
const celeryWorker = { hostname: celeryTask.hostname };

/**
 * danihodovic/celery-exporter (pinned in config/monitoring-config.ts), the exporter Stock Tracker's
 * own compose file runs. Queue and worker series come from the broker and Celery's remote control
 * and exist whatever the workers' settings; the `celery_task_*` counters come from task events,
 * which workers send only with events enabled (`-E`). Shapes from its src/exporter.py at the pinned
 * release, held to the fixtures captured from it (__tests__/fixtures/celery-exporter/).
 */
const CELERY_EXPORTER_METRICS = {
  workerUp: celery.gauge('celery_worker_up', {
    help: '1 while a worker sends heartbeats, 0 once it went offline or stopped sending them',
    labels: celeryWorker,
  }),
  workerTasksActive: celery.gauge('celery_worker_tasks_active', {
    help: 'Tasks a worker is running now (from its heartbeats)',
    labels: celeryWorker,
  }),
  queueLength: celery.gauge('celery_queue_length', {
    help: 'Messages waiting in a queue of the broker (Redis list length)',
    labels: celeryQueue,
  }),
  activeWorkers: celery.gauge('celery_active_worker_count', {
    help: "Workers consuming a queue, as they answer Celery's remote control at each scrape",
    labels: celeryQueue,
  }),
  activeProcesses: celery.gauge('celery_active_process_count', {
    help: 'Pool processes of the workers consuming a queue',
    labels: celeryQueue,
  }),
  tasksReceived: celery.counter('celery_task_received_total', {
    help: 'Tasks a worker received (task events)',
    labels: celeryTask,
  }),
  tasksStarted: celery.counter('celery_task_started_total', {
    help: 'Tasks a worker started (task events)',
    labels: celeryTask,
  }),
  tasksSucceeded: celery.counter('celery_task_succeeded_total', {
    help: 'Tasks that finished successfully (task events)',
    labels: celeryTask,
  }),
  tasksFailed: celery.counter('celery_task_failed_total', {
    help: 'Tasks that failed for good, retries exhausted (task events)',
    labels: { ...celeryTask, exception: label('Exception class the task raised') },
  }),
  tasksRetried: celery.counter('celery_task_retried_total', {
    help: 'Task runs that failed and were scheduled again (task events)',
    labels: celeryTask,
  }),
  tasksRejected: celery.counter('celery_task_rejected_total', {
    help: 'Tasks a worker rejected (task events)',
    labels: celeryTask,
  }),
  tasksRevoked: celery.counter('celery_task_revoked_total', {
    help: 'Tasks revoked before they ran (task events)',
    labels: celeryTask,
  }),
  taskRuntime: celery.histogram('celery_task_runtime', {
    help: "Run time of successful tasks (task events); buckets set by the stack's `--buckets`",
    labels: celeryTask,
    buckets: [0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 600],
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
    labels: {
      cpu: label('CPU index'),
      mode: label('CPU mode', ['idle', 'iowait', 'irq', 'nice', 'softirq', 'steal', 'system', 'user']),
    },
  }),
  memoryAvailable: node.gauge('node_memory_MemAvailable_bytes', {
    help: 'Memory available for new work without swapping',
  }),
  memoryTotal: node.gauge('node_memory_MemTotal_bytes', { help: 'Total usable memory' }),
  filesystemAvailable: node.gauge('node_filesystem_avail_bytes', {
    help: 'Filesystem space available to non-root users',
    labels: filesystem,
  }),
  filesystemSize: node.gauge('node_filesystem_size_bytes', { help: 'Filesystem size', labels: filesystem }),
  filesystemReadonly: node.gauge('node_filesystem_readonly', {
    help: 'Whether the filesystem is mounted read-only (1) or not (0)',
    labels: filesystem,
  }),
  load1: node.gauge('node_load1', { help: '1-minute load average' }),
  load5: node.gauge('node_load5', { help: '5-minute load average' }),
  load15: node.gauge('node_load15', { help: '15-minute load average' }),
  networkReceiveBytes: node.counter('node_network_receive_bytes_total', {
    help: 'Bytes received per interface',
    labels: { device: label('Network interface') },
  }),
  networkTransmitBytes: node.counter('node_network_transmit_bytes_total', {
    help: 'Bytes sent per interface',
    labels: { device: label('Network interface') },
  }),
  diskReadBytes: node.counter('node_disk_read_bytes_total', {
    help: 'Bytes read per block device',
    labels: { device: label('Block device') },
  }),
  diskWrittenBytes: node.counter('node_disk_written_bytes_total', {
    help: 'Bytes written per block device',
    labels: { device: label('Block device') },
  }),
};

const pg = sourceKinds('postgres-exporter');
const datname = label('Database name');
const POSTGRES_METRICS = {
  up: pg.gauge('pg_up', { help: '1 when the exporter could query PostgreSQL at the last scrape, else 0' }),
  activityCount: pg.gauge('pg_stat_activity_count', {
    help: 'Server connections by database and state (pg_stat_activity)',
    labels: {
      datname,
      state: label('Backend state', [
        'active',
        'idle',
        'idle in transaction',
        'idle in transaction (aborted)',
        'fastpath function call',
        'disabled',
      ]),
    },
  }),
  maxConnections: pg.gauge('pg_settings_max_connections', { help: 'The max_connections setting' }),
  databaseSize: pg.gauge('pg_database_size_bytes', { help: 'Disk space used by a database', labels: { datname } }),
  transactionsCommitted: pg.counter('pg_stat_database_xact_commit', {
    help: 'Transactions committed',
    labels: { datid: label('Database OID'), datname },
  }),
  transactionsRolledBack: pg.counter('pg_stat_database_xact_rollback', {
    help: 'Transactions rolled back',
    labels: { datid: label('Database OID'), datname },
  }),
  deadlocks: pg.counter('pg_stat_database_deadlocks', {
    help: 'Deadlocks detected',
    labels: { datid: label('Database OID'), datname },
  }),
  locks: pg.gauge('pg_locks_count', {
    help: 'Locks held, by database and mode',
    labels: { datname, mode: label('Lock mode, e.g. `accessexclusivelock`') },
  }),
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
  // cAdvisor's docker handler copies Docker's RestartCount into the label `restartcount` when above 0
  // (container/docker/handler.go, v0.47.2 l. 221-224, v0.60.5 l. 260-262); the stack's
  // -whitelisted_container_labels exports it (BaseContainerLabels: metrics/prometheus.go l. 1788-1809
  // in v0.47.2, lib/metrics/prometheus.go l. 2234-2258 in v0.60.5).
  container_label_restartcount: label(
    "Docker's `RestartCount` (restarts by the restart policy), absent while 0: a restart ends the container's series and starts new ones",
  ),
};
const CADVISOR_METRICS = {
  cpuUsageSeconds: cadvisor.counter('container_cpu_usage_seconds_total', {
    help: 'CPU time consumed by a container',
    labels: { ...container, cpu: label('CPU (`total` when not per-CPU)') },
  }),
  memoryWorkingSet: cadvisor.gauge('container_memory_working_set_bytes', {
    help: 'Memory a container actively uses',
    labels: container,
  }),
  specMemoryLimit: cadvisor.gauge('container_spec_memory_limit_bytes', {
    help: 'Memory limit of a container (0 when unlimited)',
    labels: container,
  }),
  networkReceiveBytes: cadvisor.counter('container_network_receive_bytes_total', {
    help: 'Bytes received by a container',
    labels: { ...container, interface: label('Network interface') },
  }),
  networkTransmitBytes: cadvisor.counter('container_network_transmit_bytes_total', {
    help: 'Bytes sent by a container',
    labels: { ...container, interface: label('Network interface') },
  }),
  fsReadBytes: cadvisor.counter('container_fs_reads_bytes_total', {
    help: 'Bytes a container read from disk',
    labels: { ...container, device: label('Block device') },
  }),
  fsWriteBytes: cadvisor.counter('container_fs_writes_bytes_total', {
    help: 'Bytes a container wrote to disk',
    labels: { ...container, device: label('Block device') },
  }),
  startTime: cadvisor.gauge('container_start_time_seconds', {
    help: 'Creation time of a container (Unix seconds) up to cAdvisor 0.56; from 0.57, the start of its current run',
    labels: container,
  }),
  lastSeen: cadvisor.gauge('container_last_seen', {
    help: 'Last time cAdvisor saw a container (Unix seconds)',
    labels: container,
  }),
};

const prom = sourceKinds('prometheus');
const ruleGroup = label('Rule group, `<file>;<group>`');
const PROMETHEUS_METRICS = {
  configReloadSuccessful: prom.gauge('prometheus_config_last_reload_successful', {
    help: '1 when the last configuration reload succeeded',
  }),
  ruleEvaluationFailures: prom.counter('prometheus_rule_evaluation_failures_total', {
    help: 'Rule evaluations that failed',
    labels: { rule_group: ruleGroup },
  }),
  ruleGroupIterationsMissed: prom.counter('prometheus_rule_group_iterations_missed_total', {
    help: 'Rule group evaluations skipped because the previous one ran late',
    labels: { rule_group: ruleGroup },
  }),
  tsdbCompactionsFailed: prom.counter('prometheus_tsdb_compactions_failed_total', {
    help: 'TSDB compactions that failed',
  }),
  tsdbHeadTruncationsFailed: prom.counter('prometheus_tsdb_head_truncations_failed_total', {
    help: 'TSDB head truncations that failed',
  }),
  tsdbReloadsFailed: prom.counter('prometheus_tsdb_reloads_failures_total', { help: 'TSDB block reloads that failed' }),
  tsdbWalCorruptions: prom.counter('prometheus_tsdb_wal_corruptions_total', {
    help: 'Write-ahead log corruptions found',
  }),
  tsdbHeadSeries: prom.gauge('prometheus_tsdb_head_series', { help: 'Series held in memory' }),
  serviceDiscoveryRefreshFailures: prom.counter('prometheus_sd_refresh_failures_total', {
    help: 'Refreshes of a service discovery that failed (Docker: socket unreadable, API version refused)',
    labels: { mechanism: label('Discovery mechanism, e.g. `docker`') },
  }),
  // The count of the prometheus_sd_refresh_duration_seconds summary: observed after every refresh,
  // failed ones included (discovery/refresh/refresh.go; seen on Prometheus 2.42 and 3.5.3, 5 and 5).
  serviceDiscoveryRefreshes: prom.counter('prometheus_sd_refresh_duration_seconds_count', {
    help: 'Refreshes of a service discovery, failed ones included',
    labels: { mechanism: label('Discovery mechanism, e.g. `docker`') },
  }),
  notificationsErrors: prom.counter('prometheus_notifications_errors_total', {
    help: 'Errors sending alerts to an Alertmanager',
    labels: { alertmanager: label('Alertmanager URL') },
  }),
  notificationsSent: prom.counter('prometheus_notifications_sent_total', {
    help: 'Alerts sent to an Alertmanager',
    labels: { alertmanager: label('Alertmanager URL') },
  }),
};

const am = sourceKinds('alertmanager');
const integration = label('Receiver integration, e.g. `telegram`, `webhook`');
const ALERTMANAGER_METRICS = {
  notifications: am.counter('alertmanager_notifications_total', {
    help: 'Notifications attempted, by integration',
    labels: { integration },
  }),
  notificationsFailed: am.counter('alertmanager_notifications_failed_total', {
    help: 'Notifications that failed, by integration',
    labels: { integration },
  }),
  configReloadSuccessful: am.gauge('alertmanager_config_last_reload_successful', {
    help: '1 when the last configuration reload succeeded',
  }),
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
  celery: CELERY_EXPORTER_METRICS,
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
  return metric.type === 'histogram'
    ? ['_bucket', '_sum', '_count'].map((suffix) => metric.name + suffix)
    : [metric.name];
}
