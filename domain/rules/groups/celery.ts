/**
 * Celery's rules, over the celery-exporter's series: no worker on any queue, a queue backing up,
 * tasks failing. Queues and workers come from the broker and Celery's remote control; the task
 * failure ratio needs the workers' task events.
 */
import { Duration } from '../../../core/duration';
import { JOB } from '../../../core/components';
import { METRICS } from '../../metrics';
import { RATE_WINDOW, RECORDINGS } from '../../metrics/recordings';
import { MINIMUM_EVENTS, THRESHOLDS, formatLevel } from '../../metrics/thresholds';
import { absent, aggregateBy, eq, gt, lt, maxBy, or, overTime, select, unless, unlessAny } from '../../metrics/promql';
import { CAUSE_RECOVERY, guardText, level, ratesOfRatio, withEnoughEvents } from '../conditions';
import { $label, $labelOr, $value, alert, ruleGroup, t } from '../model';

const { celery, scrape } = METRICS;

/** How long the workers and the celery-exporter take to reconnect to Redis once it answers again. */
const BROKER_RECONNECT = Duration.minutes(2);

/** The celery-exporter's job: the stack's own exporter, or the one the application runs. */
const celeryExporterUp = { job: JOB.celery } as const;

const CeleryWorkerDown = alert({
  name: 'CeleryWorkerDown',
  expr: unlessAny(
    or(
      lt(maxBy(['job', 'instance'], select(celery.activeWorkers, celeryExporterUp)), 1),
      // An exporter that answers without a single queue has never seen a worker (and was not told the queues).
      unless(
        eq(maxBy(['job', 'instance'], select(scrape.up, celeryExporterUp)), 1),
        aggregateBy('count', ['job', 'instance'], select(celery.activeWorkers, celeryExporterUp)),
        ['job', 'instance'],
      ),
      eq(select(scrape.up, celeryExporterUp), 0),
      absent(scrape.up, celeryExporterUp),
    ),
    // Redis is the broker: while it is down, and for a while after, the workers have nothing to answer
    // on, and RedisDown is the page. Said in the expression, not only by inhibition: an inhibition
    // needs RedisDown in Alertmanager first, which an Alertmanager restart does not guarantee (each
    // rule group resends on its own schedule), and it ends the moment RedisDown resolves.
    eq(overTime('min_over_time', METRICS.redis.up, BROKER_RECONNECT), 0),
  ),
  for: Duration.minutes(2),
  keepFiringFor: CAUSE_RECOVERY,
  severity: 'critical',
  panel: { dashboard: 'overview', title: 'Celery workers' },
  summary: t`No Celery worker consumes any queue (seen by ${$labelOr('instance', 'no celery-exporter')})`,
  description: t`For 2 minutes no worker answered Celery's remote control on any queue, or the celery-exporter (job ${$label('job')}) could not be scraped. Stock syncs with Wildberries and Ozon and Google Sheets exports have stopped; queues grow.`,
});

const CeleryQueueBacklog = alert({
  name: 'CeleryQueueBacklog',
  expr: gt(
    maxBy(['queue_name'], select(celery.queueLength, celeryExporterUp)),
    level(THRESHOLDS.celeryQueueLength, 'warning'),
  ),
  for: Duration.minutes(10),
  severity: 'warning',
  panel: { dashboard: 'overview', title: 'Celery queue length' },
  summary: t`Celery queue ${$label('queue_name')} has ${$value('number')} tasks waiting`,
  description: t`More than ${formatLevel(THRESHOLDS.celeryQueueLength, 'warning')} waiting in queue ${$label('queue_name')} for 10 minutes: no worker consumes it, or the workers do not keep up.`,
});

const CeleryHighFailureRate = alert({
  name: 'CeleryHighFailureRate',
  expr: withEnoughEvents(
    gt(select(RECORDINGS.celeryFailureRatio), level(THRESHOLDS.celeryFailureRatio, 'warning')),
    ratesOfRatio(select(RECORDINGS.celeryFailureRatio), select(RECORDINGS.celeryTaskRate)),
    RATE_WINDOW,
    MINIMUM_EVENTS.celeryTaskRuns,
  ),
  for: Duration.minutes(5),
  severity: 'warning',
  panel: { dashboard: 'overview', title: 'Celery task failure rate' },
  summary: t`Celery task ${$label('name')} fails ${$value('percent')} of the time`,
  description: t`More than ${formatLevel(THRESHOLDS.celeryFailureRatio, 'warning')} of the runs of ${$label('name')} have failed for good for 5 minutes (task events; ${guardText(RATE_WINDOW, MINIMUM_EVENTS.celeryTaskRuns)}).`,
});

export const CELERY = ruleGroup('celery', [RECORDINGS.celeryTaskRate, RECORDINGS.celeryFailureRatio], {
  CeleryWorkerDown,
  CeleryQueueBacklog,
  CeleryHighFailureRate,
});
