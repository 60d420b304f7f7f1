/**
 * Recording rules: the expensive expressions (latency percentiles, error and failure ratios,
 * host utilisation) computed once per evaluation and shared by alerts and dashboard panels.
 * Each is a catalog-like handle, so a panel queries `select(RECORDINGS.httpLatencyP95, { job: 'api' })`
 * with typed labels, exactly as it would a scraped metric.
 *
 * Names follow the `level:metric:operations` convention of the Prometheus docs.
 */
import { Duration } from '../../core/duration';
import { Histogram, LabelDoc, LabelName, METRICS, Metric } from './catalog';
import { THRESHOLDS } from './thresholds';
import {
  Expr,
  add,
  avgBy,
  histogramQuantile,
  matches,
  noneOf,
  rate,
  ratio,
  select,
  shareAbove,
  subtractFrom,
  sumBy,
} from './promql';

/** A recorded series: a gauge whose labels are exactly those the expression keeps. */
export interface Recording<L extends string = string> extends Metric<'gauge', { readonly [K in L]: LabelDoc }> {
  readonly expr: Expr<L>;
}

/**
 * Declares a recorded series. `labels` must list what `expr` keeps (the type checks it is a subset);
 * each label borrows its documentation from the catalog metric it comes from.
 */
export function record<L extends string>(
  name: string,
  help: string,
  labels: readonly L[],
  expr: Expr<L>,
): Recording<L> {
  if (!/^[a-zA-Z_]*:[a-zA-Z0-9_:]*$/.test(name)) {
    throw new Error(
      `recording rule name "${name}" must follow level:metric:operations (letters, digits, _ and at least one :)`,
    );
  }
  const docs = Object.fromEntries(
    labels.map((label) => {
      const doc = expr.metrics.map((metric) => metric.labels[label]).find((found) => found !== undefined);
      if (!doc) throw new Error(`recording rule "${name}" keeps label "${label}" that none of its metrics has`);
      return [label, doc];
    }),
  ) as { [K in L]: LabelDoc };
  return { name, type: 'gauge', help, source: 'recording', labels: docs, expr };
}

/** Window of the rates behind HTTP, database, Celery and host recordings. */
export const RATE_WINDOW = Duration.minutes(5);
/** Syncs run a few times an hour per tenant: their ratios need a longer window to mean anything. */
export const SYNC_WINDOW = Duration.minutes(15);

/** Filesystems whose fullness says nothing about the host's disks: memory-backed and container layers. */
export const EPHEMERAL_FILESYSTEM_TYPES = [
  'tmpfs',
  'ramfs',
  'devtmpfs',
  'overlay',
  'squashfs',
  'nsfs',
  'fuse.lxcfs',
] as const;

const { app, celery, node, postgres, redis } = METRICS;

/**
 * The stock sync task of Stock Tracker (src/stock_tracker/workers/tasks.py): every sync against a
 * marketplace is one run of it, on queue `sync`, so its task events count the syncs of every
 * tenant and marketplace without any code in the application.
 */
export const SYNC_TASK = 'stock_tracker.workers.tasks.sync_tenant_products';

/**
 * The `platform` of syncs judged from the sync task's events: the task runs for every marketplace,
 * so they are judged together.
 */
export const ALL_MARKETPLACES = 'all marketplaces';

function latencyQuantile(quantile: number) {
  const percentile = Math.round(quantile * 100);
  return record(
    `job:${app.httpRequestDuration.name}:p${percentile}_rate5m`,
    `${percentile}th percentile of API request duration, per job`,
    ['job'],
    histogramQuantile(quantile, app.httpRequestDuration, RATE_WINDOW, ['job']),
  );
}

/** Share of a latency histogram's observations above its threshold's level (what its alert reads). */
function slowShare<M extends Histogram>(
  name: string,
  help: string,
  threshold: { levels: { warning: number } },
  metric: M,
) {
  return record(
    name,
    help,
    ['job'],
    shareAbove(metric, threshold.levels.warning, RATE_WINDOW, ['job'] as LabelName<M>[]) as Expr<'job'>,
  );
}

const httpRequestRate = sumBy(['job'], rate(app.httpRequests, RATE_WINDOW));
/** The API's responses with a 5xx status: the errors of HighErrorRate and of the availability SLO. */
export const SERVER_ERRORS = select(app.httpRequests, { status: matches('5..') });
const appSyncRate = sumBy(['platform'], rate(app.syncOperations, SYNC_WINDOW));
/** Runs of a task that ended, well or for good (a retried run ends neither way), per second over `window`, per task. */
export function finishedTaskRate(window: Duration, matchers?: { name: string }) {
  return add(
    sumBy(['name'], rate(select(celery.tasksSucceeded, matchers), window)),
    sumBy(['name'], rate(select(celery.tasksFailed, matchers), window)),
  );
}
/** Matchers of the filesystems that say something about the host's disks (not `EPHEMERAL_FILESYSTEM_TYPES`). */
export const REAL_FILESYSTEMS = { fstype: noneOf(...EPHEMERAL_FILESYSTEM_TYPES) };

export const RECORDINGS = {
  httpRequestRate: record('job:http_requests:rate5m', 'API requests per second, per job', ['job'], httpRequestRate),
  httpRequestRateByStatus: record(
    'job_status:http_requests:rate5m',
    'API requests per second, per job and status',
    ['job', 'status'],
    sumBy(['job', 'status'], rate(app.httpRequests, RATE_WINDOW)),
  ),
  httpErrorRatio: record(
    'job:http_requests_errors:ratio_rate5m',
    'Share of API responses with a 5xx status, per job (0 when none failed; absent without traffic)',
    ['job'],
    ratio(sumBy(['job'], rate(SERVER_ERRORS, RATE_WINDOW)), httpRequestRate, {
      absentNumeratorIsZero: true,
    }),
  ),
  httpLatencyP50: latencyQuantile(0.5),
  httpLatencyP95: latencyQuantile(0.95),
  httpLatencyP99: latencyQuantile(0.99),
  httpSlowRatio: slowShare(
    'job:http_requests_slow:ratio_rate5m',
    'Share of API requests slower than the HighLatency level, per job (above 5 %, p95 is above the level)',
    THRESHOLDS.httpLatencyP95,
    app.httpRequestDuration,
  ),
  dbQueryLatencyP95: record(
    'job:db_query_duration_seconds:p95_rate5m',
    '95th percentile of database query duration, per job (never above the highest bucket, 1 s)',
    ['job'],
    histogramQuantile(0.95, app.dbQueryDuration, RATE_WINDOW, ['job']),
  ),
  dbSlowRatio: slowShare(
    'job:db_queries_slow:ratio_rate5m',
    'Share of database queries slower than the SlowDatabaseQueries level, per job',
    THRESHOLDS.dbQueryLatencyP95,
    app.dbQueryDuration,
  ),
  celeryTaskRate: record(
    'name:celery_tasks_finished:rate5m',
    'Celery task runs that ended (succeeded, or failed for good) per second, per task (task events)',
    ['name'],
    finishedTaskRate(RATE_WINDOW),
  ),
  celeryFailureRatio: record(
    'name:celery_tasks_failures:ratio_rate5m',
    'Share of ended Celery task runs that failed for good, per task (task events; retries are not failures)',
    ['name'],
    ratio(sumBy(['name'], rate(celery.tasksFailed, RATE_WINDOW)), finishedTaskRate(RATE_WINDOW), {
      absentNumeratorIsZero: true,
    }),
  ),
  syncRate: record(
    'platform:sync_operations:rate15m',
    "Stock syncs per second, per marketplace (the application's counters)",
    ['platform'],
    appSyncRate,
  ),
  syncFailureRatio: record(
    'platform:sync_operations_failures:ratio_rate15m',
    "Share of stock syncs that failed, per marketplace (the application's counters)",
    ['platform'],
    ratio(sumBy(['platform'], rate(select(app.syncOperations, { status: 'failure' }), SYNC_WINDOW)), appSyncRate, {
      absentNumeratorIsZero: true,
    }),
  ),
  syncTaskFailureRatio: record(
    'name:celery_tasks_failures:ratio_rate15m',
    'Share of stock sync task runs that failed for good, all marketplaces (task events of the sync task)',
    ['name'],
    ratio(
      sumBy(['name'], rate(select(celery.tasksFailed, { name: SYNC_TASK }), SYNC_WINDOW)),
      finishedTaskRate(SYNC_WINDOW, { name: SYNC_TASK }),
      { absentNumeratorIsZero: true },
    ),
  ),
  syncDurationP95: record(
    'platform:sync_duration_seconds:p95_rate15m',
    '95th percentile of stock sync duration, per marketplace',
    ['platform'],
    histogramQuantile(0.95, app.syncDuration, SYNC_WINDOW, ['platform']),
  ),
  cpuUtilisation: record(
    'instance:node_cpu_utilisation:rate5m',
    'Share of CPU time not idle, averaged over all cores, per host',
    ['instance'],
    subtractFrom(1, avgBy(['instance'], rate(select(node.cpuSeconds, { mode: 'idle' }), RATE_WINDOW))),
  ),
  memoryUtilisation: record(
    'instance:node_memory_utilisation:ratio',
    'Share of host memory not available for new work, per host',
    ['job', 'instance'],
    subtractFrom(1, ratio(select(node.memoryAvailable), select(node.memoryTotal))),
  ),
  filesystemUtilisation: record(
    'instance_mountpoint:node_filesystem_utilisation:ratio',
    'Share of each real (not tmpfs/overlay) filesystem in use, as non-root users see it',
    ['job', 'instance', 'device', 'fstype', 'mountpoint'],
    subtractFrom(
      1,
      ratio(select(node.filesystemAvailable, REAL_FILESYSTEMS), select(node.filesystemSize, REAL_FILESYSTEMS)),
    ),
  ),
  postgresConnections: record(
    'instance:pg_stat_activity_count:sum',
    'PostgreSQL server connections (all databases and states), per exporter instance',
    ['instance'],
    sumBy(['instance'], select(postgres.activityCount)),
  ),
  redisMemoryUtilisation: record(
    'instance:redis_memory_utilisation:ratio',
    'Redis memory used as a share of maxmemory (absent when maxmemory is unlimited)',
    ['job', 'instance'],
    ratio(select(redis.memoryUsed), select(redis.memoryMax)),
  ),
} as const;
