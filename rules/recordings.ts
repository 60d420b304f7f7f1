/**
 * Recording rules: the expensive expressions (latency percentiles, error and failure ratios,
 * host utilisation) computed once per evaluation and shared by alerts and dashboard panels.
 * Each is a catalog-like handle, so a panel queries `select(RECORDINGS.httpLatencyP95, { job: 'api' })`
 * with typed labels, exactly as it would a scraped metric.
 *
 * Names follow the `level:metric:operations` convention of the Prometheus docs.
 */
import { Duration } from '../config/duration';
import { LabelDoc, METRICS, Metric } from './catalog';
import {
  Expr,
  avgBy,
  histogramQuantile,
  matches,
  noneOf,
  oneOf,
  rate,
  ratio,
  select,
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
export function record<L extends string>(name: string, help: string, labels: readonly L[], expr: Expr<L>): Recording<L> {
  if (!/^[a-zA-Z_]*:[a-zA-Z0-9_:]*$/.test(name)) {
    throw new Error(`recording rule name "${name}" must follow level:metric:operations (letters, digits, _ and at least one :)`);
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
export const EPHEMERAL_FILESYSTEM_TYPES = ['tmpfs', 'ramfs', 'devtmpfs', 'overlay', 'squashfs', 'nsfs', 'fuse.lxcfs'] as const;

const { app, node, postgres, redis } = METRICS;

function latencyQuantile(quantile: number) {
  const percentile = Math.round(quantile * 100);
  return record(
    `job:${app.httpRequestDuration.name}:p${percentile}_rate5m`,
    `${percentile}th percentile of API request duration, per job`,
    ['job'],
    histogramQuantile(quantile, app.httpRequestDuration, RATE_WINDOW, ['job']),
  );
}

const httpRequestRate = sumBy(['job'], rate(app.httpRequests, RATE_WINDOW));
const finishedTasks = select(app.celeryTasks, { outcome: oneOf('success', 'failure') });
const syncRate = sumBy(['platform'], rate(app.syncOperations, SYNC_WINDOW));
const activeFilesystems = { fstype: noneOf(...EPHEMERAL_FILESYSTEM_TYPES) };

export const RECORDINGS = {
  httpRequestRate: record('job:stock_tracker_http_requests:rate5m', 'API requests per second, per job', ['job'], httpRequestRate),
  httpRequestRateByStatus: record(
    'job_status:stock_tracker_http_requests:rate5m',
    'API requests per second, per job and status',
    ['job', 'status'],
    sumBy(['job', 'status'], rate(app.httpRequests, RATE_WINDOW)),
  ),
  httpErrorRatio: record(
    'job:stock_tracker_http_requests_errors:ratio_rate5m',
    'Share of API responses with a 5xx status, per job (0 when none failed; absent without traffic)',
    ['job'],
    ratio(sumBy(['job'], rate(select(app.httpRequests, { status: matches('5..') }), RATE_WINDOW)), httpRequestRate, {
      absentNumeratorIsZero: true,
    }),
  ),
  httpLatencyP50: latencyQuantile(0.5),
  httpLatencyP95: latencyQuantile(0.95),
  httpLatencyP99: latencyQuantile(0.99),
  dbQueryLatencyP95: record(
    'job:stock_tracker_db_query_duration_seconds:p95_rate5m',
    '95th percentile of database query duration, per job',
    ['job'],
    histogramQuantile(0.95, app.dbQueryDuration, RATE_WINDOW, ['job']),
  ),
  celeryTaskRate: record(
    'task_name:stock_tracker_celery_tasks:rate5m',
    'Finished (succeeded or failed) Celery tasks per second, per task',
    ['task_name'],
    sumBy(['task_name'], rate(finishedTasks, RATE_WINDOW)),
  ),
  celeryFailureRatio: record(
    'task_name:stock_tracker_celery_tasks_failures:ratio_rate5m',
    'Share of finished Celery tasks that failed, per task (retries not counted)',
    ['task_name'],
    ratio(
      sumBy(['task_name'], rate(select(app.celeryTasks, { outcome: 'failure' }), RATE_WINDOW)),
      sumBy(['task_name'], rate(finishedTasks, RATE_WINDOW)),
      { absentNumeratorIsZero: true },
    ),
  ),
  syncRate: record('platform:stock_tracker_sync_operations:rate15m', 'Stock syncs per second, per marketplace', ['platform'], syncRate),
  syncFailureRatio: record(
    'platform:stock_tracker_sync_operations_failures:ratio_rate15m',
    'Share of stock syncs that failed, per marketplace',
    ['platform'],
    ratio(sumBy(['platform'], rate(select(app.syncOperations, { outcome: 'failure' }), SYNC_WINDOW)), syncRate, { absentNumeratorIsZero: true }),
  ),
  syncDurationP95: record(
    'platform:stock_tracker_sync_duration_seconds:p95_rate15m',
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
    subtractFrom(1, ratio(select(node.filesystemAvailable, activeFilesystems), select(node.filesystemSize, activeFilesystems))),
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

export type RecordingName = keyof typeof RECORDINGS;

export function allRecordings(): Recording[] {
  return Object.values(RECORDINGS) as Recording[];
}
