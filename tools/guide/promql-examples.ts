/**
 * The PromQL a person on call types, as typed data: every example is built from catalog handles,
 * recordings and the helpers of domain/metrics/promql.ts, so a renamed metric or label is a compile error
 * here too. docs/MONITORING_GUIDE.md shows them (`npm run docs:guide`), the check tests run each
 * against the real Prometheus, and the e2e harness can import the same list.
 */
import { Duration } from '../../core/duration';
import {
  EPHEMERAL_FILESYSTEM_TYPES,
  Expr,
  METRICS,
  RECORDINGS,
  SYNC_TASK,
  THRESHOLDS,
  add,
  containerRestarts,
  div,
  eq,
  formatLevel,
  gt,
  histogramQuantile,
  increase,
  maxBy,
  noneOf,
  not,
  overTime,
  rate,
  ratio,
  select,
  sum,
  sumBy,
} from '../../domain/metrics';
import { JOB } from '../../core/components';

export const EXAMPLE_SECTIONS = [
  'API',
  'Celery',
  'Business',
  'PostgreSQL',
  'Redis',
  'Host',
  'Containers',
  'The monitoring itself',
] as const;
export type ExampleSection = (typeof EXAMPLE_SECTIONS)[number];

export interface PromqlExample {
  section: ExampleSection;
  /** The question it answers, as the person on call asks it. */
  question: string;
  expr: Expr<string>;
  /** How to read the answer. */
  reading: string;
}

const { app, celery, node, postgres, redis, cadvisor, prometheus, alertmanager, scrape } = METRICS;
const minutes = Duration.minutes;
const FIVE_MINUTES = minutes(5);
const HOUR = Duration.hours(1);
const realFilesystems = { fstype: noneOf(...EPHEMERAL_FILESYSTEM_TYPES) };

function example(section: ExampleSection, question: string, expr: Expr<string>, reading: string): PromqlExample {
  return { section, question, expr, reading };
}

export const PROMQL_EXAMPLES: readonly PromqlExample[] = [
  example(
    'API',
    'Is every API instance scraped?',
    select(scrape.up, { job: JOB.api }),
    '1 per instance that answered its last scrape, 0 for one that did not (APIDown).',
  ),
  example(
    'API',
    'Requests per second, by status',
    select(RECORDINGS.httpRequestRateByStatus, { job: JOB.api }),
    'A rise of `5xx` or a drop of `2xx` to zero is the first sign of trouble.',
  ),
  example(
    'API',
    'Share of 5xx responses',
    select(RECORDINGS.httpErrorRatio),
    `Above ${formatLevel(THRESHOLDS.httpErrorRatio, 'critical')} for 5 minutes fires HighErrorRate; absent when there is no traffic.`,
  ),
  example(
    'API',
    'Which endpoints are slow? (p95 per route, seconds)',
    histogramQuantile(0.95, app.httpRequestDuration, FIVE_MINUTES, ['endpoint']),
    `HighLatency looks at all routes together (more than 5% slower than ${formatLevel(THRESHOLDS.httpLatencyP95, 'warning')}); this splits it by route.`,
  ),
  example(
    'API',
    'Share of requests slower than the HighLatency level',
    select(RECORDINGS.httpSlowRatio),
    `Above 5% means the p95 is above ${formatLevel(THRESHOLDS.httpLatencyP95, 'warning')}, read exactly at a bucket bound.`,
  ),
  example(
    'API',
    'Requests being served right now',
    sum(select(app.httpRequestsInProgress)),
    'Climbing while the request rate is flat: requests are stuck (database, external API).',
  ),
  example(
    'Celery',
    'How long is each queue?',
    maxBy(['queue_name'], select(celery.queueLength, { job: JOB.celery })),
    `Above ${formatLevel(THRESHOLDS.celeryQueueLength, 'warning')} for 10 minutes fires CeleryQueueBacklog. \`maintenance\` grows when no worker consumes it.`,
  ),
  example(
    'Celery',
    'How many workers consume each queue?',
    select(celery.activeWorkers, { job: JOB.celery }),
    'No queue with a worker for 2 minutes fires CeleryWorkerDown; 0 on one queue only: no worker takes it.',
  ),
  example(
    'Celery',
    'Which tasks fail?',
    gt(select(RECORDINGS.celeryFailureRatio), 0),
    `Share of ended runs that failed for good, per task; above ${formatLevel(THRESHOLDS.celeryFailureRatio, 'warning')} fires CeleryHighFailureRate. Needs task events.`,
  ),
  example(
    'Celery',
    'Slowest tasks (p95 run time, seconds)',
    histogramQuantile(0.95, celery.taskRuntime, minutes(15), ['name']),
    'A task that got slower keeps workers busy and grows the queue.',
  ),
  example(
    'Celery',
    'Do the workers send task events?',
    sum(increase(celery.tasksReceived, minutes(30))),
    'Nothing, or 0 while tasks run, means no events: CeleryTaskEventsMissing, and the task panels are empty.',
  ),
  example(
    'Business',
    'Are stock syncs failing, per marketplace?',
    select(RECORDINGS.syncFailureRatio),
    `Above ${formatLevel(THRESHOLDS.syncFailureRatio, 'info')} fires SyncOperationFailures; needs the application's counters (else see the next one).`,
  ),
  example(
    'Business',
    'Are stock syncs failing, all marketplaces (the sync task)?',
    select(RECORDINGS.syncTaskFailureRatio),
    "The same judged from the sync task's events, which need no code in the application.",
  ),
  example(
    'Business',
    'How many syncs ended in the last 30 minutes?',
    add(
      sum(increase(select(celery.tasksSucceeded, { name: SYNC_TASK }), minutes(30))),
      sum(increase(select(celery.tasksFailed, { name: SYNC_TASK }), minutes(30))),
    ),
    '0 is what NoSyncActivity fires on, once Prometheus has scraped the celery-exporter for 30 minutes.',
  ),
  example(
    'Business',
    'Marketplace API errors in the last hour, by kind',
    sumBy(['platform', 'error_type'], increase(app.externalApiErrors, HOUR)),
    "A rate-limit class means back off; timeouts or 5xx classes are the marketplace's side.",
  ),
  example(
    'Business',
    'Google Sheets calls in the last 15 minutes, by status',
    sumBy(['operation', 'status'], increase(app.sheetsOperations, minutes(15))),
    'Errors climbing on one call: quota errors usually show on `update`.',
  ),
  example(
    'Business',
    'Products tracked, per tenant',
    sumBy(['tenant_id'], select(app.products)),
    'A sudden drop means a tenant lost access or a sync wiped data.',
  ),
  example(
    'PostgreSQL',
    'How close are connections to max_connections?',
    div(select(RECORDINGS.postgresConnections), maxBy(['instance'], select(postgres.maxConnections))),
    `A share of the server's limit; the alerts fire on absolute counts (${formatLevel(THRESHOLDS.postgresConnections, 'warning')} and ${formatLevel(THRESHOLDS.postgresConnections, 'critical')}).`,
  ),
  example(
    'PostgreSQL',
    'Who holds the connections?',
    sumBy(['datname', 'state'], select(postgres.activityCount)),
    'Many `idle in transaction`: the application leaks transactions.',
  ),
  example(
    'PostgreSQL',
    'Deadlocks in the last hour',
    sumBy(['datname'], increase(postgres.deadlocks, HOUR)),
    'Anything above 0 is worth the PostgreSQL log.',
  ),
  example(
    'PostgreSQL',
    'Size of each database (bytes)',
    sumBy(['datname'], select(postgres.databaseSize)),
    'Grows with tracked products; compare with the disk it lives on.',
  ),
  example(
    'Redis',
    'Redis memory as a share of maxmemory',
    select(RECORDINGS.redisMemoryUtilisation),
    `Above ${formatLevel(THRESHOLDS.redisMemoryUsage, 'warning')} fires RedisHighMemoryUsage; absent when maxmemory is unlimited.`,
  ),
  example(
    'Redis',
    'Cache hit ratio',
    ratio(
      sumBy(['instance'], rate(redis.keyspaceHits, FIVE_MINUTES)),
      add(
        sumBy(['instance'], rate(redis.keyspaceHits, FIVE_MINUTES)),
        sumBy(['instance'], rate(redis.keyspaceMisses, FIVE_MINUTES)),
      ),
    ),
    'Falling while evictions rise: Redis is too small for the working set.',
  ),
  example(
    'Redis',
    'Keys evicted per second',
    rate(redis.evictedKeys, FIVE_MINUTES),
    'Above 0 means maxmemory is reached and Celery messages or cache entries are dropped.',
  ),
  example(
    'Host',
    'CPU busy, per host',
    select(RECORDINGS.cpuUtilisation),
    `Above ${formatLevel(THRESHOLDS.cpuUsage, 'warning')} fires HighCPUUsage.`,
  ),
  example(
    'Host',
    'Memory in use, per host',
    select(RECORDINGS.memoryUtilisation),
    `Above ${formatLevel(THRESHOLDS.memoryUsage, 'warning')} fires HighMemoryUsage.`,
  ),
  example(
    'Host',
    'How full is each real filesystem?',
    select(RECORDINGS.filesystemUtilisation),
    `Above ${formatLevel(THRESHOLDS.diskUsage, 'warning')} fires HighDiskUsage; tmpfs and overlay are left out.`,
  ),
  example(
    'Host',
    'How fast is a disk filling? (bytes per second, negative = filling)',
    overTime('deriv', select(node.filesystemAvailable, realFilesystems), Duration.hours(6)),
    'Divide the free bytes by this to get the seconds left.',
  ),
  example(
    'Host',
    'Load average over 5 minutes',
    select(node.load5),
    'Compare with the number of cores (`count by (instance) (node_cpu_seconds_total{mode="idle"})`).',
  ),
  example(
    'Containers',
    'Memory of each container (bytes)',
    sumBy(['name'], select(cadvisor.memoryWorkingSet, { name: not('') })),
    'Near its limit (`container_spec_memory_limit_bytes`) the kernel kills it.',
  ),
  example(
    'Containers',
    'CPU of each container (cores)',
    sumBy(['name'], rate(select(cadvisor.cpuUsageSeconds, { name: not('') }), FIVE_MINUTES)),
    "Which container eats the host's CPU.",
  ),
  example(
    'Containers',
    'Which containers restarted in the last 15 minutes?',
    containerRestarts(minutes(15), ['name']),
    `Restarts by Docker's restart policy, from the restart count cAdvisor labels every series with (\`changes(container_start_time_seconds[15m])\` does not count them: each restart starts series of its own, and up to cAdvisor 0.56 the value is the creation time); a container that did not restart is not listed. More than ${formatLevel(THRESHOLDS.containerRestarts, 'warning')} fires ContainerRestarting.`,
  ),
  example(
    'The monitoring itself',
    'Which targets are down?',
    eq(select(scrape.up), 0),
    'Every scrape target that failed its last scrape, with its job.',
  ),
  example(
    'The monitoring itself',
    'Rule evaluations that failed in the last hour',
    sumBy(['rule_group'], increase(prometheus.ruleEvaluationFailures, HOUR)),
    'Above 0: a rule is broken and its alert cannot fire.',
  ),
  example(
    'The monitoring itself',
    'Telegram notifications that failed in the last hour',
    sumBy(['integration'], increase(alertmanager.notificationsFailed, HOUR)),
    "Above 0: check the bot token and chat id, and Alertmanager's log.",
  ),
];
