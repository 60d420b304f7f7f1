/**
 * Every alert of the monitoring system: the 21 of SPEC.md (names, thresholds and `for` durations
 * as specified) and what a production stack also needs (Watchdog, Prometheus and Alertmanager
 * self-monitoring, restarting containers). Each has a runbook at docs/runbooks/<name>.md and
 * promtool unit tests in __tests__/rules-alert-cases.ts.
 */
import { Duration } from '../../core/duration';
import { Gauge, JOB, METRICS, ScrapeJobName, TARGET_LABELS } from '../metrics/catalog';
import { $label, $labelOr, $value, RuleGroupName, Template, alert, t } from './model';
import {
  Expr,
  absent,
  add,
  aggregateBy,
  absentOverTime,
  and,
  andAny,
  eq,
  gt,
  increase,
  lt,
  maxBy,
  not,
  offsetBy,
  or,
  overTime,
  rate,
  ratio,
  select,
  sum,
  sumBy,
  unless,
  unlessAny,
  vector,
  withLabel,
} from '../metrics/promql';
import { RECORDINGS, SYNC_TASK } from '../metrics/recordings';
import { Severity } from '../../core/severity';
import { MINIMUM_TRAFFIC, THRESHOLDS, Threshold, formatLevel, windowOf } from '../metrics/thresholds';

const { app, celery, redis, scrape, prometheus, alertmanager, cadvisor } = METRICS;

/** A threshold's level for one severity, and how it reads in a message. */
function level<S extends Severity>(threshold: Threshold<S>, severity: S): number {
  return threshold.levels[severity];
}

/** `condition`, judged only while `traffic` is above its minimum: a ratio over a handful of events is noise. */
function withTraffic<L extends string>(condition: Expr<L>, traffic: Expr<string>, minimum: { value: number }): Expr<L> {
  return and(condition, gt(traffic, minimum.value));
}

/** Target down, or (when nothing is scraped under the job at all) absent. */
function targetDown(job: ScrapeJobName): Expr<'job', 'job' | 'instance'> {
  return or(eq(select(scrape.up, { job }), 0), absent(scrape.up, { job }));
}

/**
 * A backend watched through an exporter is down when the exporter says so (`*_up == 0`) and
 * also when the exporter itself cannot be scraped: then nobody knows, which is as bad.
 */
function backendDown(backendUp: Gauge<typeof TARGET_LABELS>, exporterJob: ScrapeJobName): Expr<'job', 'job' | 'instance'> {
  return or(eq(select(backendUp), 0), eq(select(scrape.up, { job: exporterJob }), 0), absent(scrape.up, { job: exporterJob }));
}

// ---- Critical (SPEC.md) ----

export const APIDown = alert({
  name: 'APIDown',
  group: 'stock-tracker-api',
  expr: targetDown(JOB.api),
  for: Duration.minutes(1),
  severity: 'critical',
  summary: t`Stock Tracker API is down on ${$labelOr('instance', 'every target (none is scraped)')}`,
  description: t`Prometheus cannot scrape the API (job ${$label('job')}, target ${$labelOr('instance', 'none configured or discovered')}). Users cannot use Stock Tracker and no HTTP metric is collected.`,
});

export const PostgreSQLDown = alert({
  name: 'PostgreSQLDown',
  group: 'postgresql',
  expr: backendDown(METRICS.postgres.up, JOB.postgresExporter),
  for: Duration.minutes(1),
  severity: 'critical',
  summary: t`PostgreSQL is unreachable (seen by ${$labelOr('instance', 'no postgres-exporter target')})`,
  description: t`postgres-exporter reports pg_up 0, or Prometheus cannot scrape the exporter itself (job ${$label('job')}). Every API request and Celery task that touches the database fails.`,
});

export const RedisDown = alert({
  name: 'RedisDown',
  group: 'redis',
  expr: backendDown(METRICS.redis.up, JOB.redisExporter),
  for: Duration.minutes(1),
  severity: 'critical',
  summary: t`Redis is unreachable (seen by ${$labelOr('instance', 'no redis-exporter target')})`,
  description: t`redis-exporter reports redis_up 0, or Prometheus cannot scrape the exporter itself (job ${$label('job')}). Celery cannot receive or hand out tasks: syncs and Sheets exports stop.`,
});

/** The celery-exporter's job: the stack's own exporter, or the one the application runs. */
const celeryExporterUp = { job: JOB.celery } as const;

export const CeleryWorkerDown = alert({
  name: 'CeleryWorkerDown',
  group: 'celery',
  expr: or(
    lt(maxBy(['job', 'instance'], select(celery.activeWorkers, celeryExporterUp)), 1),
    // An exporter that answers without a single queue has never seen a worker (and was not told the queues).
    unless(eq(maxBy(['job', 'instance'], select(scrape.up, celeryExporterUp)), 1), aggregateBy('count', ['job', 'instance'], select(celery.activeWorkers, celeryExporterUp)), ['job', 'instance']),
    eq(select(scrape.up, celeryExporterUp), 0),
    absent(scrape.up, celeryExporterUp),
  ),
  for: Duration.minutes(2),
  severity: 'critical',
  summary: t`No Celery worker consumes any queue (seen by ${$labelOr('instance', 'no celery-exporter')})`,
  description: t`For 2 minutes no worker answered Celery's remote control on any queue, or the celery-exporter (job ${$label('job')}) could not be scraped. Stock syncs with Wildberries and Ozon and Google Sheets exports have stopped; queues grow.`,
});

export const HighErrorRate = alert({
  name: 'HighErrorRate',
  group: 'stock-tracker-api',
  expr: withTraffic(
    gt(select(RECORDINGS.httpErrorRatio), level(THRESHOLDS.httpErrorRatio, 'critical')),
    select(RECORDINGS.httpRequestRate),
    MINIMUM_TRAFFIC.httpRequestsPerSecond,
  ),
  for: Duration.minutes(5),
  severity: 'critical',
  summary: t`API ${$label('job')} answers ${$value('percent')} of requests with a 5xx error`,
  description: t`More than ${formatLevel(THRESHOLDS.httpErrorRatio, 'critical')} of the responses of job ${$label('job')} have been server errors for 5 minutes (judged only above ${String(MINIMUM_TRAFFIC.httpRequestsPerSecond.value)} requests/s). Users see failures.`,
});

export const DatabaseConnectionPoolExhausted = alert({
  name: 'DatabaseConnectionPoolExhausted',
  group: 'postgresql',
  expr: gt(select(RECORDINGS.postgresConnections), level(THRESHOLDS.postgresConnections, 'critical')),
  for: Duration.minutes(2),
  severity: 'critical',
  summary: t`PostgreSQL ${$label('instance')} has ${$value('number')} connections`,
  description: t`More than ${formatLevel(THRESHOLDS.postgresConnections, 'critical')} (server connections, all databases) on ${$label('instance')} for 2 minutes: the pool is nearly exhausted and new connections are about to be refused.`,
});

interface UsageAlertSpec<N extends string, L extends string> {
  name: N;
  group: RuleGroupName;
  severity: 'critical' | 'warning';
  usage: Expr<L>;
  threshold: Threshold<'critical' | 'warning'>;
  /** What is used up: `CPU`, `Memory`, `Disk`. */
  what: string;
  where: Template<L, never>;
  for: Duration;
}

/** A host resource above its warning or critical level (the spec's CPU, memory and disk pairs). */
function usageAlert<const N extends string, L extends string>(spec: UsageAlertSpec<N, L>) {
  return alert({
    name: spec.name,
    group: spec.group,
    expr: gt(spec.usage, level(spec.threshold, spec.severity)),
    for: spec.for,
    severity: spec.severity,
    summary: t`${spec.what} usage on ${spec.where} is ${$value('percent')}`,
    description: t`${spec.what} usage on ${spec.where} has been above ${formatLevel(spec.threshold, spec.severity)} for ${spec.for.toString()}.`,
  });
}

const host = t`${$label('instance')}`;
const filesystem = t`${$label('mountpoint')} (${$label('device')}) of ${$label('instance')}`;

export const CriticalCPUUsage = usageAlert({
  name: 'CriticalCPUUsage',
  group: 'host',
  severity: 'critical',
  usage: select(RECORDINGS.cpuUtilisation),
  threshold: THRESHOLDS.cpuUsage,
  what: 'CPU',
  where: host,
  for: Duration.minutes(2),
});

export const CriticalMemoryUsage = usageAlert({
  name: 'CriticalMemoryUsage',
  group: 'host',
  severity: 'critical',
  usage: select(RECORDINGS.memoryUtilisation),
  threshold: THRESHOLDS.memoryUsage,
  what: 'Memory',
  where: host,
  for: Duration.minutes(2),
});

export const CriticalDiskUsage = usageAlert({
  name: 'CriticalDiskUsage',
  group: 'host',
  severity: 'critical',
  usage: select(RECORDINGS.filesystemUtilisation),
  threshold: THRESHOLDS.diskUsage,
  what: 'Disk',
  where: filesystem,
  for: Duration.minutes(2),
});

// ---- Warning (SPEC.md) ----

/** `q` as an operator reads it: `p95`. */
function percentile(threshold: { quantile?: number }): string {
  return `p${Math.round((threshold.quantile ?? 0) * 100)}`;
}

/** The share above a latency level at which the quantile crosses it: 5 % for a p95. */
function tailShare(threshold: { quantile?: number }): number {
  if (threshold.quantile === undefined) throw new Error('a latency alert needs a threshold with a quantile');
  return Number((1 - threshold.quantile).toFixed(6));
}

export const HighLatency = alert({
  name: 'HighLatency',
  group: 'stock-tracker-api',
  expr: withTraffic(
    gt(select(RECORDINGS.httpSlowRatio), tailShare(THRESHOLDS.httpLatencyP95)),
    select(RECORDINGS.httpRequestRate),
    MINIMUM_TRAFFIC.httpRequestsPerSecond,
  ),
  for: Duration.minutes(5),
  severity: 'warning',
  summary: t`API ${$label('job')} ${percentile(THRESHOLDS.httpLatencyP95)} latency is above ${formatLevel(THRESHOLDS.httpLatencyP95, 'warning')}: ${$value('percent')} of requests are slower`,
  description: t`For 5 minutes more than ${String(tailShare(THRESHOLDS.httpLatencyP95) * 100)}% of the requests of job ${$label('job')} took longer than ${formatLevel(THRESHOLDS.httpLatencyP95, 'warning')} (a bucket bound of the API's histogram, so read exactly).`,
});

export const SlowDatabaseQueries = alert({
  name: 'SlowDatabaseQueries',
  group: 'stock-tracker-api',
  expr: gt(select(RECORDINGS.dbSlowRatio), tailShare(THRESHOLDS.dbQueryLatencyP95)),
  for: Duration.minutes(5),
  severity: 'warning',
  summary: t`Database queries from ${$label('job')} are slow: ${$value('percent')} take longer than ${formatLevel(THRESHOLDS.dbQueryLatencyP95, 'warning')}`,
  description: t`For 5 minutes the ${percentile(THRESHOLDS.dbQueryLatencyP95)} of PostgreSQL query time measured by job ${$label('job')} has been above ${formatLevel(THRESHOLDS.dbQueryLatencyP95, 'warning')}. API latency and task durations follow.`,
});

export const HighDatabaseConnections = alert({
  name: 'HighDatabaseConnections',
  group: 'postgresql',
  expr: gt(select(RECORDINGS.postgresConnections), level(THRESHOLDS.postgresConnections, 'warning')),
  for: Duration.minutes(5),
  severity: 'warning',
  summary: t`PostgreSQL ${$label('instance')} has ${$value('number')} connections`,
  description: t`More than ${formatLevel(THRESHOLDS.postgresConnections, 'warning')} (server connections, all databases) on ${$label('instance')} for 5 minutes; at ${formatLevel(THRESHOLDS.postgresConnections, 'critical')} the pool is exhausted.`,
});

export const RedisHighMemoryUsage = alert({
  name: 'RedisHighMemoryUsage',
  group: 'redis',
  expr: gt(select(RECORDINGS.redisMemoryUtilisation), level(THRESHOLDS.redisMemoryUsage, 'warning')),
  for: Duration.minutes(5),
  severity: 'warning',
  summary: t`Redis ${$label('instance')} uses ${$value('percent')} of its maxmemory`,
  description: t`Redis memory on ${$label('instance')} has been above ${formatLevel(THRESHOLDS.redisMemoryUsage, 'warning')} of maxmemory for 5 minutes. At the limit Redis evicts keys or refuses writes, and Celery loses or rejects tasks.`,
});

export const RedisEvictingKeys = alert({
  name: 'RedisEvictingKeys',
  group: 'redis',
  expr: gt(increase(redis.evictedKeys, windowOf(THRESHOLDS.redisEvictions)), level(THRESHOLDS.redisEvictions, 'warning')),
  for: Duration.seconds(0),
  severity: 'warning',
  summary: t`Redis ${$label('instance')} evicted ${$value('number')} keys in 5 minutes`,
  description: t`Redis is at its maxmemory and evicts keys to make room. It is also the Celery broker: an evicted key can be a whole queue of waiting tasks, lost without any error.`,
});

export const CeleryQueueBacklog = alert({
  name: 'CeleryQueueBacklog',
  group: 'celery',
  expr: gt(maxBy(['queue_name'], select(celery.queueLength, celeryExporterUp)), level(THRESHOLDS.celeryQueueLength, 'warning')),
  for: Duration.minutes(10),
  severity: 'warning',
  summary: t`Celery queue ${$label('queue_name')} has ${$value('number')} tasks waiting`,
  description: t`More than ${formatLevel(THRESHOLDS.celeryQueueLength, 'warning')} waiting in queue ${$label('queue_name')} for 10 minutes: no worker consumes it, or the workers do not keep up.`,
});

export const CeleryHighFailureRate = alert({
  name: 'CeleryHighFailureRate',
  group: 'celery',
  expr: withTraffic(
    gt(select(RECORDINGS.celeryFailureRatio), level(THRESHOLDS.celeryFailureRatio, 'warning')),
    select(RECORDINGS.celeryTaskRate),
    MINIMUM_TRAFFIC.celeryTasksPerSecond,
  ),
  for: Duration.minutes(5),
  severity: 'warning',
  summary: t`Celery task ${$label('name')} fails ${$value('percent')} of the time`,
  description: t`More than ${formatLevel(THRESHOLDS.celeryFailureRatio, 'warning')} of the runs of ${$label('name')} have failed for good for 5 minutes (task events; judged only above ${String(MINIMUM_TRAFFIC.celeryTasksPerSecond.value)} tasks/s).`,
});

export const HighCPUUsage = usageAlert({
  name: 'HighCPUUsage',
  group: 'host',
  severity: 'warning',
  usage: select(RECORDINGS.cpuUtilisation),
  threshold: THRESHOLDS.cpuUsage,
  what: 'CPU',
  where: host,
  for: Duration.minutes(5),
});

export const HighMemoryUsage = usageAlert({
  name: 'HighMemoryUsage',
  group: 'host',
  severity: 'warning',
  usage: select(RECORDINGS.memoryUtilisation),
  threshold: THRESHOLDS.memoryUsage,
  what: 'Memory',
  where: host,
  for: Duration.minutes(5),
});

export const HighDiskUsage = usageAlert({
  name: 'HighDiskUsage',
  group: 'host',
  severity: 'warning',
  usage: select(RECORDINGS.filesystemUtilisation),
  threshold: THRESHOLDS.diskUsage,
  what: 'Disk',
  where: filesystem,
  for: Duration.minutes(5),
});

// ---- Business (info, SPEC.md) ----

/** What the sync alerts say of their marketplace when they judge the sync task, which runs for all of them. */
const ALL_MARKETPLACES = 'all marketplaces';

export const SyncOperationFailures = alert({
  name: 'SyncOperationFailures',
  group: 'business',
  // Per marketplace from the application's counters where it exposes them, else from the sync task's events.
  expr: or(
    gt(select(RECORDINGS.syncFailureRatio), level(THRESHOLDS.syncFailureRatio, 'info')),
    unlessAny(withLabel(maxBy([], gt(select(RECORDINGS.syncTaskFailureRatio), level(THRESHOLDS.syncFailureRatio, 'info'))), 'platform', ALL_MARKETPLACES), select(RECORDINGS.syncRate)),
  ),
  for: Duration.minutes(15),
  severity: 'info',
  summary: t`${$value('percent')} of stock syncs with ${$label('platform')} fail`,
  description: t`More than ${formatLevel(THRESHOLDS.syncFailureRatio, 'info')} of the stock syncs against ${$label('platform')} have failed for 15 minutes: sellers' sheets show stale stock.`,
});

const syncSilence = Duration.seconds(level(THRESHOLDS.syncSilence, 'info'));

/**
 * `condition`, once Prometheus has been scraping `job` for a whole `window`. On a shorter history
 * (a first deploy, a wiped volume) a window-long silence or absence only means the history is short.
 */
function withWholeWindow<L extends string>(condition: Expr<L>, job: ScrapeJobName, window: Duration): Expr<L> {
  return andAny(condition, offsetBy(select(scrape.up, { job }), window));
}

/** Syncs that ended in the window: the application's count where it exposes one, else the sync task's runs. */
const syncsEnded = or(
  sum(increase(app.syncOperations, syncSilence)),
  add(sum(increase(select(celery.tasksSucceeded, { name: SYNC_TASK }), syncSilence)), sum(increase(select(celery.tasksFailed, { name: SYNC_TASK }), syncSilence))),
);

export const NoSyncActivity = alert({
  name: 'NoSyncActivity',
  group: 'business',
  expr: withWholeWindow(
    or(
      eq(syncsEnded, 0),
      // Task events arrive, yet not one of them was a sync: the exporter has no sync series to count.
      unlessAny(andAny(absentOverTime(celery.tasksReceived, syncSilence, { name: SYNC_TASK }), gt(sum(increase(celery.tasksReceived, syncSilence)), 0)), select(app.syncOperations)),
    ),
    JOB.celery,
    syncSilence,
  ),
  for: Duration.seconds(0),
  severity: 'info',
  summary: t`No stock sync has run for ${formatLevel(THRESHOLDS.syncSilence, 'info')}`,
  description: t`No sync against any marketplace ended (well or not) in the last ${formatLevel(THRESHOLDS.syncSilence, 'info')}. Stock Tracker's beat schedules none: check what triggers them (the API's sync endpoint, schedule_tenant_syncs), the workers and the sync queue.`,
});

export const GoogleSheetsAPIErrors = alert({
  name: 'GoogleSheetsAPIErrors',
  group: 'business',
  expr: gt(
    sumBy(['operation'], increase(select(app.sheetsOperations, { status: 'error' }), windowOf(THRESHOLDS.googleSheetsFailures))),
    level(THRESHOLDS.googleSheetsFailures, 'info'),
  ),
  for: Duration.minutes(5),
  severity: 'info',
  summary: t`Google Sheets ${$label('operation')} calls are failing (${$value('number')} in 15 min)`,
  description: t`More than ${String(level(THRESHOLDS.googleSheetsFailures, 'info'))} Google Sheets ${$label('operation')} calls failed in 15 minutes, for 5 minutes: sellers' sheets are not updated.`,
});

// ---- Monitoring the monitoring ----

export const Watchdog = alert({
  name: 'Watchdog',
  group: 'monitoring',
  expr: vector(1),
  for: Duration.seconds(0),
  severity: 'none',
  summary: t`Alerting pipeline heartbeat`,
  description: t`Always firing, on purpose: while it reaches Alertmanager and the dead man's switch, Prometheus evaluates rules and can deliver alerts. Its absence is the alarm.`,
});

export const TargetDown = alert({
  name: 'TargetDown',
  group: 'monitoring',
  expr: eq(select(scrape.up), 0),
  for: Duration.minutes(5),
  severity: 'warning',
  summary: t`Scrape target ${$label('instance')} of job ${$label('job')} is down`,
  description: t`Prometheus has failed to scrape ${$label('instance')} (job ${$label('job')}) for 5 minutes: its metrics, and the alerts built on them, are blind.`,
});

export const PrometheusRuleEvaluationFailures = alert({
  name: 'PrometheusRuleEvaluationFailures',
  group: 'monitoring',
  expr: gt(increase(prometheus.ruleEvaluationFailures, Duration.minutes(5)), 0),
  for: Duration.minutes(5),
  severity: 'critical',
  summary: t`Prometheus fails to evaluate rules of ${$label('rule_group')}`,
  description: t`${$value('number')} rule evaluations of group ${$label('rule_group')} failed on ${$label('instance')} in 5 minutes: alerts of that group may never fire.`,
});

export const PrometheusConfigReloadFailed = alert({
  name: 'PrometheusConfigReloadFailed',
  group: 'monitoring',
  expr: eq(select(prometheus.configReloadSuccessful), 0),
  for: Duration.minutes(10),
  severity: 'warning',
  summary: t`Prometheus ${$label('instance')} could not load its configuration`,
  description: t`The last configuration reload of ${$label('instance')} failed: it still runs the previous configuration, and will not start again if restarted.`,
});

const tsdbWindow = Duration.hours(3);
export const PrometheusTSDBFailures = alert({
  name: 'PrometheusTSDBFailures',
  group: 'monitoring',
  expr: or(
    or(gt(increase(prometheus.tsdbCompactionsFailed, tsdbWindow), 0), gt(increase(prometheus.tsdbHeadTruncationsFailed, tsdbWindow), 0)),
    gt(increase(prometheus.tsdbReloadsFailed, tsdbWindow), 0),
    gt(increase(prometheus.tsdbWalCorruptions, tsdbWindow), 0),
  ),
  for: Duration.seconds(0),
  severity: 'warning',
  summary: t`Prometheus ${$label('instance')} storage (TSDB) reports failures`,
  description: t`Compactions, head truncations or block reloads failed, or the WAL is corrupted, on ${$label('instance')} in the last 3 hours: disk fills up or data is lost.`,
});

const notificationLabels = ['job', 'instance', 'integration'] as const;
const notificationWindow = Duration.minutes(15);
export const AlertmanagerNotificationsFailing = alert({
  name: 'AlertmanagerNotificationsFailing',
  group: 'monitoring',
  expr: gt(
    ratio(
      sumBy(notificationLabels, rate(alertmanager.notificationsFailed, notificationWindow)),
      sumBy(notificationLabels, rate(alertmanager.notifications, notificationWindow)),
    ),
    level(THRESHOLDS.alertmanagerNotificationFailureRatio, 'critical'),
  ),
  for: Duration.minutes(5),
  severity: 'critical',
  summary: t`Alertmanager ${$label('instance')} fails to deliver ${$value('percent')} of ${$label('integration')} notifications`,
  description: t`More than ${formatLevel(THRESHOLDS.alertmanagerNotificationFailureRatio, 'critical')} of the notifications to ${$label('integration')} failed in the last 15 minutes: on-call is not being told about alerts. Look at Alertmanager's UI and logs.`,
});

export const AlertmanagerConfigReloadFailed = alert({
  name: 'AlertmanagerConfigReloadFailed',
  group: 'monitoring',
  expr: eq(select(alertmanager.configReloadSuccessful), 0),
  for: Duration.minutes(10),
  severity: 'warning',
  summary: t`Alertmanager ${$label('instance')} could not load its configuration`,
  description: t`The last configuration reload of ${$label('instance')} failed: it still routes with the previous configuration.`,
});

export const ContainerRestarting = alert({
  name: 'ContainerRestarting',
  group: 'containers',
  expr: gt(overTime('changes', select(cadvisor.startTime, { name: not('') }), windowOf(THRESHOLDS.containerRestarts)), level(THRESHOLDS.containerRestarts, 'warning')),
  for: Duration.seconds(0),
  severity: 'warning',
  summary: t`Container ${$label('name')} restarted ${$value('number')} times in 15 minutes`,
  description: t`Container ${$label('name')} (image ${$label('image')}) restarted more than ${String(level(THRESHOLDS.containerRestarts, 'warning'))} times in 15 minutes: it is crash-looping.`,
});
