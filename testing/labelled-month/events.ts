/**
 * The ground truth of the labelled month: every incident the alerts must catch (and how urgently:
 * page, warning or ticket) and every kind of noise they must stay quiet through, each with the
 * fault the generator (series.ts) writes into the series, when, and which series it disturbs.
 *
 * Tiers follow the SLOs (99.5 % of API requests succeed, 99 % answer within 1 s, 99 % of syncs
 * succeed per marketplace, over 30 days) and the SRE workbook's burn-rate policy: an outage, or a
 * burn that spends 2 % of the budget in an hour or 5 % in six, pages; a slow burn that would spend
 * it within the period is a ticket; a blip that costs a fraction of a percent is nothing. The
 * cases of "Measured today" (issue: low-volume task failures that warn; Redis and PostgreSQL
 * outages that page twice) are here with the outcome they should have.
 */
import { JOB, ScrapeJobName } from '../../core/components';
import { METRICS, Platform, SYNC_TASK, seriesNames } from '../../domain/metrics';
import { QUEUES, SCHEDULE_TASK } from '../simulator';
import { Tier } from '../../tools/replay/report';

/** What an event deserves: a tier, or nothing at all. */
export type Deserved = Tier | 'none';

/** How the generator disturbs the series during an event. */
export type Fault =
  /** The API process is gone: its scrapes fail, its counters start again from 0 after. */
  | { kind: 'apiDown' }
  /** Redis is down: redis_up 0, the celery-exporter's scrapes fail, no task runs; the workers reconnect `workersBackMs` after it returns. */
  | { kind: 'redisDown'; workersBackMs: number }
  /** PostgreSQL is down: pg_up 0, every API route that queries it answers 500, syncs fail. */
  | { kind: 'postgresDown' }
  /** This share of API responses are 5xx. */
  | { kind: 'apiErrors'; ratio: number }
  /** This share of API requests take a slow path of `medianSeconds` (log-normal). */
  | { kind: 'apiLatency'; slowShare: number; medianSeconds: number }
  /** This share of one marketplace's syncs fail. */
  | { kind: 'syncFailures'; platform: Platform; ratio: number }
  /** Tasks pile up in the `sync` queue. */
  | { kind: 'queueBacklog'; tasks: number }
  /** Nothing schedules syncs (beat stopped). */
  | { kind: 'syncsStopped' }
  /** One scrape of a job fails (a timeout): its samples are missing, `up` is 0. */
  | { kind: 'failedScrape'; job: ScrapeJobName }
  /** A deploy: the API restarts (down `apiDownMs`, counters from 0) and the workers restart (gone `workersDownMs`). */
  | { kind: 'deploy'; apiDownMs: number; workersDownMs: number }
  /** Traffic falls to `requestsPerSecond`, and `errors` 5xx answers land within a minute and a half. */
  | { kind: 'trafficDip'; requestsPerSecond: number; errors: number }
  /** A low-volume task fails `failures` times, `spacingMs` apart, on top of its background failures. */
  | { kind: 'taskFailures'; failures: number; spacingMs: number };

/** One incident or one piece of noise of the month, with what the generator does to the series. */
export interface LabelledEvent {
  /** Unique, readable: `redis-outage-2`. */
  id: string;
  /** What kind of incident or noise: the rows of the benchmark. */
  class: string;
  /** An incident the alerts must catch, or noise they must not page (or warn) for. */
  kind: 'incident' | 'noise';
  deserves: Deserved;
  /** ms since the epoch; the fault holds over `[start, end)`. */
  start: number;
  end: number;
  /** After the end, alerts that fire still count as about this event: windows drain, workers reconnect. */
  graceMs: number;
  /** Series names the fault disturbs: a message is about the event only when one of its alerts reads one. */
  metrics: string[];
  /**
   * Label values of the disturbed series: an alert that carries one of these labels with another
   * value is about something else (the low-volume task's failures are not the sync task's).
   */
  labels: Readonly<Record<string, string>>;
  /**
   * Which of `labels` an alert about the event must carry, with their values: one of these lists of
   * label names. Default: all of them. A sync task's failures on one marketplace are told per
   * marketplace (`platform`, the SLO and application alerts) or per task (`name`, the Celery
   * alerts), no alert names both. `[[]]` would say alerts about it carry none of them. An event
   * without labels is about any alert that reads its series.
   */
  keyedBy?: readonly (readonly string[])[];
  fault: Fault;
}

/** The time zone of the month's users: its days, nights and traffic curve are Moscow's. */
export const MONTH_TIME_ZONE = 'Europe/Moscow';
/** Moscow is UTC+3 all year since 2014. */
const UTC_OFFSET_MS = 3 * 3_600_000;
/** The month starts on a Monday at midnight in Moscow: 2026-03-02T00:00+03:00 (ms since the epoch). */
export const MONTH_START = Date.UTC(2026, 2, 2) - UTC_OFFSET_MS;
/** The month's length in days, and its end (ms since the epoch, exclusive). */
export const MONTH_DAYS = 30;
export const MONTH_END = MONTH_START + MONTH_DAYS * 86_400_000;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** ms of `HH:MM` on day `day` (0 = the first Monday) of the month, Moscow time. */
export function monthTime(day: number, clock: string): number {
  const [hours, minutes] = clock.split(':').map(Number);
  return MONTH_START + day * 24 * HOUR + hours * HOUR + minutes * MINUTE;
}

const { app, celery, postgres, redis, scrape } = METRICS;
const names = (...metrics: Parameters<typeof seriesNames>[0][]) => metrics.flatMap(seriesNames);
const API_SERIES = names(
  app.httpRequests,
  app.httpRequestDuration,
  app.httpRequestsInProgress,
  app.dbQueryDuration,
  app.dbErrors,
  app.syncOperations,
  app.sheetsOperations,
  app.products,
);
const TASK_EVENTS = names(
  celery.tasksReceived,
  celery.tasksStarted,
  celery.tasksSucceeded,
  celery.tasksFailed,
  celery.tasksRetried,
);
const CELERY_SERIES = [
  ...TASK_EVENTS,
  ...names(celery.workerUp, celery.workerTasksActive, celery.queueLength, celery.activeWorkers),
];
const SYNC_SERIES = [...names(app.syncOperations), ...TASK_EVENTS];
const UP = names(scrape.up);
const API_JOB = { job: JOB.api };
const SYNC_TASK_NAME = { name: SYNC_TASK };
/** Failed syncs on one marketplace: told per marketplace or per task (LabelledEvent.keyedBy). */
const WILDBERRIES_SYNCS = { labels: { ...SYNC_TASK_NAME, platform: 'wildberries' }, keyedBy: [['platform'], ['name']] };

/** What every event of a class shares. */
interface ClassSpec {
  class: string;
  kind: 'incident' | 'noise';
  deserves: Deserved;
  graceMs: number;
  metrics: string[];
  labels?: Record<string, string>;
  keyedBy?: readonly (readonly string[])[];
}

/** One occurrence of a class; `metrics` and `labels` when it disturbs other series than the class names. */
interface Occurrence {
  day: number;
  at: string;
  minutes: number;
  fault: Fault;
  metrics?: string[];
  labels?: Record<string, string>;
  keyedBy?: readonly (readonly string[])[];
}

function occurrences(spec: ClassSpec, slug: string, list: readonly Occurrence[]): LabelledEvent[] {
  return list.map((item, i) => {
    const start = monthTime(item.day, item.at);
    return {
      ...spec,
      id: `${slug}-${i + 1}`,
      start,
      end: start + item.minutes * MINUTE,
      fault: item.fault,
      metrics: item.metrics ?? spec.metrics,
      labels: item.labels ?? spec.labels ?? {},
      ...((item.keyedBy ?? spec.keyedBy) ? { keyedBy: item.keyedBy ?? spec.keyedBy } : {}),
    };
  });
}

const apiDown: Fault = { kind: 'apiDown' };
const redisDown: Fault = { kind: 'redisDown', workersBackMs: 3 * MINUTE };
const postgresDown: Fault = { kind: 'postgresDown' };
const deploy: Fault = { kind: 'deploy', apiDownMs: 40_000, workersDownMs: 60_000 };
const lowVolumeFailures: Fault = { kind: 'taskFailures', failures: 2, spacingMs: 75_000 };

/** The incidents of the month. */
const INCIDENTS: LabelledEvent[] = [
  ...occurrences(
    {
      class: 'API outage',
      kind: 'incident',
      deserves: 'page',
      graceMs: 20 * MINUTE,
      metrics: [...UP, ...API_SERIES],
      labels: API_JOB,
    },
    'api-outage',
    [
      { day: 1, at: '14:10', minutes: 6, fault: apiDown },
      { day: 10, at: '03:20', minutes: 12, fault: apiDown },
      { day: 22, at: '10:00', minutes: 25, fault: apiDown },
    ],
  ),
  ...occurrences(
    {
      class: 'Redis outage',
      kind: 'incident',
      deserves: 'page',
      graceMs: 20 * MINUTE,
      metrics: [...UP, ...names(redis.up, redis.memoryUsed, redis.memoryMax), ...CELERY_SERIES, ...SYNC_SERIES],
    },
    'redis-outage',
    [
      { day: 3, at: '11:00', minutes: 4, fault: redisDown },
      { day: 12, at: '16:30', minutes: 9, fault: redisDown },
      { day: 26, at: '02:40', minutes: 14, fault: redisDown },
    ],
  ),
  ...occurrences(
    {
      class: 'PostgreSQL outage',
      kind: 'incident',
      deserves: 'page',
      graceMs: 20 * MINUTE,
      metrics: [...UP, ...names(postgres.up, postgres.activityCount), ...API_SERIES, ...SYNC_SERIES],
    },
    'postgresql-outage',
    [
      { day: 5, at: '09:30', minutes: 4, fault: postgresDown },
      { day: 15, at: '13:00', minutes: 11, fault: postgresDown },
      { day: 28, at: '20:15', minutes: 18, fault: postgresDown },
    ],
  ),
  ...occurrences(
    {
      class: 'API errors, fast burn (60x)',
      kind: 'incident',
      deserves: 'page',
      graceMs: HOUR,
      labels: API_JOB,
      metrics: names(app.httpRequests),
    },
    'errors-60x',
    [{ day: 2, at: '15:00', minutes: 25, fault: { kind: 'apiErrors', ratio: 0.3 } }],
  ),
  ...occurrences(
    {
      class: 'API errors, 16x burn',
      kind: 'incident',
      deserves: 'page',
      graceMs: HOUR,
      labels: API_JOB,
      metrics: names(app.httpRequests),
    },
    'errors-16x',
    [{ day: 8, at: '11:00', minutes: 80, fault: { kind: 'apiErrors', ratio: 0.08 } }],
  ),
  ...occurrences(
    {
      class: 'API errors, 7x burn',
      kind: 'incident',
      deserves: 'page',
      graceMs: HOUR,
      labels: API_JOB,
      metrics: names(app.httpRequests),
    },
    'errors-7x',
    [{ day: 19, at: '09:00', minutes: 7 * 60, fault: { kind: 'apiErrors', ratio: 0.035 } }],
  ),
  ...occurrences(
    {
      class: 'sync failures, 25x burn',
      kind: 'incident',
      deserves: 'page',
      graceMs: HOUR,
      metrics: SYNC_SERIES,
      ...WILDBERRIES_SYNCS,
    },
    'sync-failures-25x',
    [{ day: 13, at: '10:00', minutes: 120, fault: { kind: 'syncFailures', platform: 'wildberries', ratio: 0.25 } }],
  ),
  ...occurrences(
    {
      class: 'latency regression',
      kind: 'incident',
      deserves: 'page',
      graceMs: HOUR,
      labels: API_JOB,
      metrics: names(app.httpRequestDuration),
    },
    'latency-regression',
    [
      // 21 % of requests above 1 s (7 % above 2.5 s).
      { day: 7, at: '14:00', minutes: 120, fault: { kind: 'apiLatency', slowShare: 0.25, medianSeconds: 1.8 } },
      // 7 % above 1 s (under 2 % above 2.5 s): the 6-hour tier.
      { day: 20, at: '08:00', minutes: 7 * 60, fault: { kind: 'apiLatency', slowShare: 0.1, medianSeconds: 1.4 } },
    ],
  ),
  ...occurrences(
    { class: 'slow budget burn', kind: 'incident', deserves: 'ticket', graceMs: 6 * HOUR, metrics: [] },
    'slow-burn',
    [
      // 1.8x of the availability budget for three days.
      {
        day: 16,
        at: '00:00',
        minutes: 3 * 24 * 60,
        fault: { kind: 'apiErrors', ratio: 0.009 },
        metrics: names(app.httpRequests),
        labels: API_JOB,
      },
      // 2.5x of one marketplace's sync budget for three and a half days.
      {
        day: 4,
        at: '00:00',
        minutes: 84 * 60,
        fault: { kind: 'syncFailures', platform: 'wildberries', ratio: 0.025 },
        metrics: SYNC_SERIES,
        ...WILDBERRIES_SYNCS,
      },
      // 2x of the latency budget for two and a half days.
      {
        day: 23,
        at: '00:00',
        minutes: 60 * 60,
        fault: { kind: 'apiLatency', slowShare: 0.03, medianSeconds: 1.4 },
        metrics: names(app.httpRequestDuration),
        labels: API_JOB,
      },
    ],
  ),
  ...occurrences(
    {
      class: 'queue backlog',
      kind: 'incident',
      deserves: 'warning',
      graceMs: 30 * MINUTE,
      metrics: names(celery.queueLength),
      labels: { queue_name: QUEUES.sync },
    },
    'queue-backlog',
    [
      { day: 6, at: '12:00', minutes: 45, fault: { kind: 'queueBacklog', tasks: 300 } },
      { day: 19, at: '01:00', minutes: 30, fault: { kind: 'queueBacklog', tasks: 250 } },
    ],
  ),
  ...occurrences(
    {
      class: 'syncs stopped',
      kind: 'incident',
      deserves: 'ticket',
      graceMs: 30 * MINUTE,
      metrics: SYNC_SERIES,
      labels: SYNC_TASK_NAME,
      // Nothing schedules syncs at all: an alert about it judges every sync together and names no
      // task (it may not name another one).
      keyedBy: [[]],
    },
    'syncs-stopped',
    [
      { day: 9, at: '09:00', minutes: 180, fault: { kind: 'syncsStopped' } },
      { day: 25, at: '14:00', minutes: 120, fault: { kind: 'syncsStopped' } },
    ],
  ),
];

/** A low-volume task failing twice in a row, once a day (7 a week, as measured), at hours that move around the day. */
const TASK_FAILURE_PAIRS = Array.from({ length: MONTH_DAYS }, (_, day) => ({
  day,
  at: `${String(7 + ((day * 5) % 14)).padStart(2, '0')}:${String((day * 17) % 60).padStart(2, '0')}`,
  minutes: 2,
  fault: lowVolumeFailures,
}));

/** The noise of the month: nothing of it deserves a page, or any message. */
const NOISE: LabelledEvent[] = [
  ...occurrences(
    { class: 'failed scrape', kind: 'noise', deserves: 'none', graceMs: 10 * MINUTE, metrics: UP },
    'failed-scrape',
    [
      ...[
        { day: 3, at: '20:00', job: JOB.api },
        { day: 11, at: '15:00', job: JOB.postgresExporter },
        { day: 21, at: '09:00', job: JOB.redisExporter },
        { day: 28, at: '10:00', job: JOB.celery },
      ].map(({ day, at, job }) => ({
        day,
        at,
        minutes: 0.5,
        fault: { kind: 'failedScrape', job } as Fault,
        labels: { job },
      })),
    ],
  ),
  ...occurrences(
    {
      class: 'deploy restart',
      kind: 'noise',
      deserves: 'none',
      graceMs: 15 * MINUTE,
      metrics: [...UP, ...API_SERIES, ...names(celery.activeWorkers, celery.workerUp)],
    },
    'deploy',
    [0, 7, 14, 21, 28].map((day) => ({ day, at: '11:00', minutes: 1, fault: deploy })),
  ),
  ...occurrences(
    {
      class: 'night traffic dip',
      kind: 'noise',
      deserves: 'none',
      graceMs: HOUR,
      metrics: names(app.httpRequests),
      labels: API_JOB,
    },
    'night-dip',
    [4, 11, 27].map((day) => ({
      day,
      at: '03:00',
      minutes: 120,
      fault: { kind: 'trafficDip', requestsPerSecond: 0.15, errors: 4 } as Fault,
    })),
  ),
  ...occurrences(
    {
      class: 'short blip',
      kind: 'noise',
      deserves: 'none',
      graceMs: 30 * MINUTE,
      metrics: names(app.httpRequests),
      labels: API_JOB,
    },
    'blip',
    [
      { day: 1, at: '16:00', minutes: 2, fault: { kind: 'apiErrors', ratio: 0.3 } },
      { day: 9, at: '18:00', minutes: 3, fault: { kind: 'apiErrors', ratio: 0.3 } },
      { day: 14, at: '12:30', minutes: 1, fault: { kind: 'apiErrors', ratio: 0.35 } },
      { day: 21, at: '17:00', minutes: 2, fault: { kind: 'apiErrors', ratio: 0.25 } },
      { day: 24, at: '14:00', minutes: 2, fault: { kind: 'apiErrors', ratio: 0.25 } },
      { day: 27, at: '19:00', minutes: 3, fault: { kind: 'apiErrors', ratio: 0.3 } },
    ],
  ),
  ...occurrences(
    {
      class: 'queue spike',
      kind: 'noise',
      deserves: 'none',
      graceMs: 30 * MINUTE,
      metrics: names(celery.queueLength),
      labels: { queue_name: QUEUES.sync },
    },
    'queue-spike',
    [
      { day: 5, at: '13:00', minutes: 6, fault: { kind: 'queueBacklog', tasks: 150 } },
      { day: 17, at: '10:00', minutes: 6, fault: { kind: 'queueBacklog', tasks: 150 } },
    ],
  ),
  ...occurrences(
    {
      class: 'low-volume task failures',
      kind: 'noise',
      deserves: 'none',
      graceMs: 15 * MINUTE,
      metrics: names(celery.tasksFailed, celery.tasksSucceeded),
      labels: { name: SCHEDULE_TASK },
    },
    'task-failures',
    TASK_FAILURE_PAIRS,
  ),
];

/** Every labelled event of the month, in time order. */
export const MONTH_EVENTS: readonly LabelledEvent[] = [...INCIDENTS, ...NOISE].sort((a, b) => a.start - b.start);

/** The events whose fault holds at `at`. */
export function faultsAt(events: readonly LabelledEvent[], at: number): LabelledEvent[] {
  return events.filter((event) => event.start <= at && at < event.end);
}
