/**
 * The PromQL a person on call types, as typed data: every example is built from catalog handles,
 * recordings and the helpers of rules/promql.ts, so a renamed metric or label is a compile error
 * here too. docs/MONITORING_GUIDE.md shows them (`npm run docs:guide`), the check tests run each
 * against the real Prometheus, and the e2e harness can import the same list.
 */
import { Duration } from '../../config/duration';
import {
  EPHEMERAL_FILESYSTEM_TYPES,
  Expr,
  JOB,
  METRICS,
  RECORDINGS,
  THRESHOLDS,
  add,
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
} from '../../rules';

export const EXAMPLE_SECTIONS = ['API', 'Celery', 'Business', 'PostgreSQL', 'Redis', 'Host', 'Containers', 'The monitoring itself'] as const;
export type ExampleSection = (typeof EXAMPLE_SECTIONS)[number];

export interface PromqlExample {
  section: ExampleSection;
  /** The question it answers, as the person on call asks it. */
  question: string;
  expr: Expr<string>;
  /** How to read the answer. */
  reading: string;
}

const { app, node, postgres, redis, cadvisor, prometheus, alertmanager, scrape } = METRICS;
const minutes = Duration.minutes;
const FIVE_MINUTES = minutes(5);
const HOUR = Duration.hours(1);
const realFilesystems = { fstype: noneOf(...EPHEMERAL_FILESYSTEM_TYPES) };


function example(section: ExampleSection, question: string, expr: Expr<string>, reading: string): PromqlExample {
  return { section, question, expr, reading };
}

export const PROMQL_EXAMPLES: readonly PromqlExample[] = [
  example('API', 'Is every API instance scraped?', select(scrape.up, { job: JOB.api }), '1 per instance that answered its last scrape, 0 for one that did not (APIDown).'),
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
    `HighLatency looks at all routes together (above ${formatLevel(THRESHOLDS.httpLatencyP95, 'warning')}); this splits it by route.`,
  ),
  example(
    'API',
    'Which exceptions were raised in the last hour?',
    sumBy(['exception_type', 'endpoint'], increase(app.httpExceptions, HOUR)),
    'Counts per exception class and route: the place to start reading logs.',
  ),
  example('API', 'Requests being served right now', sum(select(app.httpRequestsInFlight)), 'Climbing while the request rate is flat: requests are stuck (database, external API).'),
  example(
    'Celery',
    'How long is each queue?',
    maxBy(['queue_name'], select(app.celeryQueueLength)),
    `Above ${formatLevel(THRESHOLDS.celeryQueueLength, 'warning')} for 10 minutes fires CeleryQueueBacklog.`,
  ),
  example('Celery', 'How many workers answer?', select(app.celeryWorkers), '0 for 2 minutes fires CeleryWorkerDown.'),
  example(
    'Celery',
    'Which tasks fail?',
    gt(select(RECORDINGS.celeryFailureRatio), 0),
    `Share of finished tasks that failed, per task; above ${formatLevel(THRESHOLDS.celeryFailureRatio, 'warning')} fires CeleryHighFailureRate.`,
  ),
  example(
    'Celery',
    'Slowest tasks (p95 run time, seconds)',
    histogramQuantile(0.95, app.celeryTaskDuration, minutes(15), ['task_name']),
    'A task that got slower keeps workers busy and grows the queue.',
  ),
  example(
    'Business',
    'Are stock syncs failing, per marketplace?',
    select(RECORDINGS.syncFailureRatio),
    `Above ${formatLevel(THRESHOLDS.syncFailureRatio, 'info')} fires SyncOperationFailures; compare the two marketplaces.`,
  ),
  example('Business', 'How many syncs finished in the last 30 minutes?', sum(increase(app.syncOperations, minutes(30))), '0 (or no result) is what NoSyncActivity fires on, once Prometheus has scraped the worker for 30 minutes.'),
  example(
    'Business',
    'Marketplace API errors in the last hour, by kind',
    sumBy(['platform', 'error_type'], increase(app.externalApiErrors, HOUR)),
    '`rate_limited` means back off; `http_5xx` or `timeout` is the marketplace\'s side.',
  ),
  example(
    'Business',
    'Google Sheets calls in the last 15 minutes, by outcome',
    sumBy(['operation', 'outcome'], increase(app.googleSheetsOperations, minutes(15))),
    'Failures climbing on one call: quota errors usually show on `write`.',
  ),
  example('Business', 'Products tracked, per marketplace', sumBy(['platform'], select(app.productsTracked)), 'A sudden drop means a tenant lost access or a sync wiped data.'),
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
  example('PostgreSQL', 'Deadlocks in the last hour', sumBy(['datname'], increase(postgres.deadlocks, HOUR)), 'Anything above 0 is worth the PostgreSQL log.'),
  example('PostgreSQL', 'Size of each database (bytes)', sumBy(['datname'], select(postgres.databaseSize)), 'Grows with tracked products; compare with the disk it lives on.'),
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
      add(sumBy(['instance'], rate(redis.keyspaceHits, FIVE_MINUTES)), sumBy(['instance'], rate(redis.keyspaceMisses, FIVE_MINUTES))),
    ),
    'Falling while evictions rise: Redis is too small for the working set.',
  ),
  example('Redis', 'Keys evicted per second', rate(redis.evictedKeys, FIVE_MINUTES), 'Above 0 means maxmemory is reached and Celery messages or cache entries are dropped.'),
  example('Host', 'CPU busy, per host', select(RECORDINGS.cpuUtilisation), `Above ${formatLevel(THRESHOLDS.cpuUsage, 'warning')} fires HighCPUUsage.`),
  example('Host', 'Memory in use, per host', select(RECORDINGS.memoryUtilisation), `Above ${formatLevel(THRESHOLDS.memoryUsage, 'warning')} fires HighMemoryUsage.`),
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
  example('Host', 'Load average over 5 minutes', select(node.load5), 'Compare with the number of cores (`count by (instance) (node_cpu_seconds_total{mode="idle"})`).'),
  example(
    'Containers',
    'Memory of each container (bytes)',
    sumBy(['name'], select(cadvisor.memoryWorkingSet, { name: not('') })),
    'Near its limit (`container_spec_memory_limit_bytes`) the kernel kills it.',
  ),
  example('Containers', 'CPU of each container (cores)', sumBy(['name'], rate(select(cadvisor.cpuUsageSeconds, { name: not('') }), FIVE_MINUTES)), 'Which container eats the host\'s CPU.'),
  example(
    'Containers',
    'Which containers restarted in the last 15 minutes?',
    gt(overTime('changes', select(cadvisor.startTime, { name: not('') }), minutes(15)), 0),
    `More than ${formatLevel(THRESHOLDS.containerRestarts, 'warning')} fires ContainerRestarting.`,
  ),
  example('The monitoring itself', 'Which targets are down?', eq(select(scrape.up), 0), 'Every scrape target that failed its last scrape, with its job.'),
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
    'Above 0: check the bot token and chat id, and Alertmanager\'s log.',
  ),
];
