/**
 * The labelled month's series: what Prometheus would have scraped from Stock Tracker and the
 * exporters over 30 days, with the faults of events.ts written in, as OpenMetrics text files that
 * `promtool tsdb create-blocks-from openmetrics` turns into TSDB blocks.
 *
 * Names and label sets are the catalog's (domain/metrics/catalog.ts), targets and instances those
 * of the deployed stack (`stackScrapeTargets`), the traffic the simulator's shapes
 * (testing/simulator.ts: routes, tenants, marketplaces, tasks, queues, rates) with a day-and-night
 * curve in Moscow time. Shares that decide alerts (5xx, slow requests, failed syncs and tasks) are
 * exact, carried from one scrape to the next, so a 3.5 % fault reads 3.5 % in every window; the
 * rest (queue lengths, active tasks, connections) is seeded noise, the same on every run.
 *
 * Only the series a rule, a blind-spot contract or an SLO reads are written (a histogram's
 * buckets and `_count`, not its `_sum`): the month is big enough as it is (about 150 series).
 * Backfilled data has no staleness markers (OpenMetrics cannot carry them): a target that stops
 * answering leaves its last samples visible for the 5-minute lookback, where a live Prometheus
 * would mark them stale at the failed scrape. `up` is written at every scrape, 0 when it failed.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { DEFAULT_CONFIG } from '../../config/monitoring-config';
import { JOB, ScrapeJobKey } from '../../core/components';
import { stackInstanceLabels, stackScrapeTargets } from '../../domain/prometheus';
import { Histogram, METRICS, SYNC_TASK } from '../../domain/metrics';
import {
  CONSUMED_QUEUES,
  DB_ERROR,
  EXPORTER_DEFAULT_QUEUE,
  MARKETPLACE,
  PRODUCTS,
  QUEUES,
  RATES,
  ROUTES,
  SCHEDULE_TASK,
  SERVER_ERRORS,
  SYNC_ERRORS,
  TENANTS,
  WORKER_HOST,
} from '../simulator';
import { Fault, LabelledEvent, MONTH_START } from './events';

const { app, celery, node, postgres, redis, scrape } = METRICS;

/** How the month is written. */
export interface SeriesOptions {
  /** ms since the epoch, a multiple of the scrape interval. */
  start: number;
  end: number;
  /**
   * Every target's scrape interval. 30 s, not the stack's 15 s: half the text for promtool to read,
   * and still 10 samples in the rules' shortest window (5m), where the stack asks for 4.
   */
  scrapeIntervalMs: number;
  /** Seed of the noise. */
  seed: number;
}

/** The labelled month: 30 days from MONTH_START, scraped every 30 s. */
export const DEFAULT_SERIES_OPTIONS: SeriesOptions = {
  start: MONTH_START,
  end: MONTH_START + 30 * 86_400_000,
  scrapeIntervalMs: 30_000,
  seed: 20260302,
};

/** mulberry32: a small seeded generator, so every run writes the same month. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** The standard normal distribution function (Abramowitz and Stegun 7.1.26, error below 1.5e-7). */
function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erf =
    1 -
    ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

const belowCache = new Map<string, number>();

/** Share of a log-normal duration around `median` seconds at or below `bound` seconds (few distinct arguments: cached). */
function logNormalBelow(bound: number, median: number, spread: number): number {
  const key = `${bound}/${median}/${spread}`;
  let share = belowCache.get(key);
  if (share === undefined) {
    share = normalCdf(Math.log(bound / median) / spread);
    belowCache.set(key, share);
  }
  return share;
}

/** Python's float repr of a bucket bound, as prometheus_client writes `le` (`1.0`, `2.5`, `+Inf`). */
function pythonLe(bound: number): string {
  return Number.isInteger(bound) ? `${bound}.0` : String(bound);
}

/**
 * A histogram's `_bucket` and `_count` samples after `observed` more observations, `below(bound)`
 * of them at or below each bound; `count(le, amount)` accumulates each series and returns its value.
 */
function histogram(
  metric: Histogram,
  labels: Labels,
  observed: number,
  below: (bound: number) => number,
  count: (le: string, amount: number) => number,
): Sample[] {
  return [...(metric.buckets ?? []), Infinity].flatMap((bound): Sample[] => {
    const le = bound === Infinity ? '+Inf' : pythonLe(bound);
    const value = count(le, bound === Infinity ? observed : observed * below(bound));
    const bucket: Sample = [`${metric.name}_bucket`, { ...labels, le }, value];
    return bound === Infinity ? [bucket, [`${metric.name}_count`, labels, value]] : [bucket];
  });
}

/** Requests per second of the API at each hour of the day, Moscow time, as a share of the peak. */
const DAY_CURVE = [
  0.12, 0.1, 0.08, 0.08, 0.08, 0.1, 0.18, 0.35, 0.6, 0.8, 0.92, 1, 1, 0.98, 0.95, 0.92, 0.88, 0.82, 0.75, 0.65, 0.52,
  0.4, 0.28, 0.18,
];
const MOSCOW_OFFSET_HOURS = 3;
/** API latency outside incidents: a few requests take the slow path (0.2 % above 1 s). */
const BACKGROUND_SLOW = { slowShare: 0.003, medianSeconds: 1.4 };
const LATENCY_SPREAD = 0.6;
const BACKGROUND_ERROR_RATIO = 0.002;
const BACKGROUND_SYNC_FAILURE_RATIO = 0.005;
/** The low-volume task: about eight runs per 5 minutes, 1 % of them failing, evenly spread. */
const LOW_VOLUME_TASK = { name: SCHEDULE_TASK, runsPerSecond: 8 / 300, failEvery: 100 };
/** A celery-exporter restarting after its broker came back answers this much later. */
const EXPORTER_RESTART_MS = 30_000;
const RETRIED_SHARE = 0.05;
const SHEETS_ERROR_SHARE = 0.005;
/** Route medians of the simulator, a slow path of an incident on top. */
const DB_QUERY_MEDIAN_SECONDS = 0.004;
/** Night-dip errors land 40 minutes into the dip. */
const DIP_ERRORS_AFTER_MS = 40 * 60_000;

type Labels = Record<string, string>;
/** One sample of a scrape: series name, the series' own labels (the target's come on top), value. */
type Sample = [name: string, labels: Labels, value: number];

/** One series of one file: its text prefix and a value per scrape (NaN: no sample). */
export interface SeriesBuffer {
  name: string;
  prefix: string;
  values: Float64Array;
}

/** The values of one chunk of time, series by series. */
class Chunk {
  readonly series = new Map<string, SeriesBuffer>();

  constructor(
    readonly start: number,
    readonly steps: number,
    readonly intervalMs: number,
  ) {}

  /** The sample of series `name{labels, target's labels}` at scrape `step`. */
  set(name: string, labels: Labels, target: Labels, step: number, value: number): void {
    // The label values in a fixed order identify the series: cheaper than its text, at 14 million samples.
    let key = `${name}\u0000${target.job}`;
    for (const label in labels) key += `\u0000${labels[label]}`;
    let buffer = this.series.get(key);
    if (!buffer) {
      const text = Object.entries({ ...labels, ...target })
        .map(([label, labelValue]) => `${label}=${JSON.stringify(labelValue)}`)
        .join(',');
      buffer = { name, prefix: `${name}{${text}}`, values: new Float64Array(this.steps).fill(NaN) };
      this.series.set(key, buffer);
    }
    buffer.values[step] = value;
  }

  /** Writes the chunk as one OpenMetrics file (a family's series together, samples in time order). */
  write(path: string): number {
    const file = openSync(path, 'w');
    let samples = 0;
    try {
      const ordered = [...this.series.values()].sort((a, b) => (a.prefix < b.prefix ? -1 : 1));
      for (const series of ordered) {
        const lines: string[] = [];
        for (let step = 0; step < this.steps; step += 1) {
          const value = series.values[step];
          if (Number.isNaN(value)) continue;
          lines.push(`${series.prefix} ${value} ${(this.start + step * this.intervalMs) / 1000}\n`);
        }
        samples += lines.length;
        writeSync(file, lines.join(''));
      }
      writeSync(file, '# EOF\n');
    } finally {
      closeSync(file);
    }
    return samples;
  }
}

/** Monotonic counters that restart from 0 with their process, with the fractions they carry. */
class Counters {
  private readonly values = new Map<string, number>();

  /** Adds `amount` (may be fractional) and returns the whole count (floor). */
  add(key: string, amount: number): number {
    const value = (this.values.get(key) ?? 0) + amount;
    this.values.set(key, value);
    return Math.floor(value + 1e-9);
  }

  /** Forgets every counter whose key starts with `process` (it restarted). */
  restart(process: string): void {
    for (const key of [...this.values.keys()]) if (key.startsWith(process)) this.values.delete(key);
  }
}

/** A target's `job` and `instance` labels in the deployed stack. */
function targetLabels(): Record<ScrapeJobKey, Labels> {
  const targets = stackScrapeTargets(DEFAULT_CONFIG);
  const instances = stackInstanceLabels(DEFAULT_CONFIG);
  const labels = {} as Record<ScrapeJobKey, Labels>;
  for (const key of Object.keys(targets) as ScrapeJobKey[])
    labels[key] = { job: JOB[key], instance: instances[key] ?? targets[key][0] };
  return labels;
}

/** What the faults make of one scrape interval. */
interface Conditions {
  requestsPerSecond: number;
  errorRatio: number;
  slow: { slowShare: number; medianSeconds: number };
  syncFailureRatio: Record<string, number>;
  apiAlive: boolean;
  postgresDown: boolean;
  redisDown: boolean;
  workersAlive: boolean;
  exporterAnswers: boolean;
  syncsRun: boolean;
  backlog: number;
  failedScrapes: Set<string>;
  /** 5xx answers of a night dip due in this interval. */
  extraErrors: number;
  /** Failures of the low-volume task due in this interval. */
  extraTaskFailures: number;
}

function faultEvents<K extends Fault['kind']>(
  events: readonly LabelledEvent[],
  kind: K,
): (LabelledEvent & { fault: Extract<Fault, { kind: K }> })[] {
  return events.filter((event) => event.fault.kind === kind) as (LabelledEvent & {
    fault: Extract<Fault, { kind: K }>;
  })[];
}

/** Counts of point events (`at` offsets) falling in `(from, to]`. */
function due(times: readonly number[], from: number, to: number): number {
  return times.filter((time) => time > from && time <= to).length;
}

/** The faults of `events` read for the interval `(at - interval, at]`. */
function conditionsReader(events: readonly LabelledEvent[], intervalMs: number) {
  const byKind = {
    apiDown: faultEvents(events, 'apiDown'),
    redisDown: faultEvents(events, 'redisDown'),
    postgresDown: faultEvents(events, 'postgresDown'),
    apiErrors: faultEvents(events, 'apiErrors'),
    apiLatency: faultEvents(events, 'apiLatency'),
    syncFailures: faultEvents(events, 'syncFailures'),
    queueBacklog: faultEvents(events, 'queueBacklog'),
    syncsStopped: faultEvents(events, 'syncsStopped'),
    failedScrape: faultEvents(events, 'failedScrape'),
    deploy: faultEvents(events, 'deploy'),
    trafficDip: faultEvents(events, 'trafficDip'),
    taskFailures: faultEvents(events, 'taskFailures'),
  };
  const dipErrorTimes = byKind.trafficDip.flatMap((event) =>
    Array.from(
      { length: event.fault.errors },
      (_, i) => event.start + DIP_ERRORS_AFTER_MS + Math.floor((i * 90_000) / event.fault.errors),
    ),
  );
  const taskFailureTimes = byKind.taskFailures.flatMap((event) =>
    Array.from({ length: event.fault.failures }, (_, i) => event.start + i * event.fault.spacingMs),
  );
  return (at: number): Conditions => {
    const mid = at - intervalMs / 2;
    const during = <E extends LabelledEvent>(list: E[], extendMs: (event: E) => number = () => 0) =>
      list.filter((event) => event.start <= mid && mid < event.end + extendMs(event));
    const hour = ((((mid - MONTH_START) / 3_600_000 + MOSCOW_OFFSET_HOURS) % 24) + 24) % 24;
    const [low, high] = [DAY_CURVE[Math.floor(hour) % 24], DAY_CURVE[(Math.floor(hour) + 1) % 24]];
    const dip = during(byKind.trafficDip)[0];
    const redisOut = during(byKind.redisDown).length > 0;
    const deploys = byKind.deploy.filter((event) => event.start <= mid);
    const inDeploy = (span: (fault: Extract<Fault, { kind: 'deploy' }>) => number) =>
      deploys.some((event) => mid < event.start + span(event.fault));
    const syncFailureRatio: Record<string, number> = {};
    for (const platform of new Set(Object.values(MARKETPLACE)))
      syncFailureRatio[platform] = Math.max(
        BACKGROUND_SYNC_FAILURE_RATIO,
        ...during(byKind.syncFailures)
          .filter((event) => event.fault.platform === platform)
          .map((event) => event.fault.ratio),
      );
    const slow = during(byKind.apiLatency).map((event) => event.fault);
    return {
      requestsPerSecond: dip ? dip.fault.requestsPerSecond : RATES.requests * (low + (high - low) * (hour % 1)),
      errorRatio: Math.max(BACKGROUND_ERROR_RATIO, ...during(byKind.apiErrors).map((event) => event.fault.ratio)),
      slow: slow.length > 0 ? slow.reduce((a, b) => (a.slowShare >= b.slowShare ? a : b)) : BACKGROUND_SLOW,
      syncFailureRatio,
      apiAlive: during(byKind.apiDown).length === 0 && !inDeploy((fault) => fault.apiDownMs),
      postgresDown: during(byKind.postgresDown).length > 0,
      redisDown: redisOut,
      workersAlive:
        during(byKind.redisDown, (event) => event.fault.workersBackMs).length === 0 &&
        !inDeploy((fault) => fault.workersDownMs),
      exporterAnswers: during(byKind.redisDown, () => EXPORTER_RESTART_MS).length === 0,
      syncsRun: during(byKind.syncsStopped).length === 0,
      backlog: Math.max(0, ...during(byKind.queueBacklog).map((event) => event.fault.tasks)),
      failedScrapes: new Set(during(byKind.failedScrape).map((event) => event.fault.job)),
      extraErrors: due(dipErrorTimes, at - intervalMs, at),
      extraTaskFailures: due(taskFailureTimes, at - intervalMs, at),
    };
  };
}

/**
 * The simulation: state that lives across chunks (counters, carried fractions, which processes
 * ran at the last scrape) and what each scrape reads.
 */
export class MonthSeries {
  private readonly counters = new Counters();
  private readonly random: () => number;
  private readonly read: (at: number) => Conditions;
  private readonly targets = targetLabels();
  private apiWasAlive = true;
  private exporterWasUp = true;

  constructor(
    readonly options: SeriesOptions,
    events: readonly LabelledEvent[],
  ) {
    if (options.start % options.scrapeIntervalMs !== 0)
      throw new RangeError(`start ${options.start} is not a multiple of the scrape interval`);
    this.random = seeded(options.seed);
    this.read = conditionsReader(events, options.scrapeIntervalMs);
  }

  /** The scrapes at `[from, to)` (ms, multiples of the scrape interval) as one chunk. */
  chunk(from: number, to: number): Chunk {
    const interval = this.options.scrapeIntervalMs;
    const chunk = new Chunk(from, Math.ceil((to - from) / interval), interval);
    for (let step = 0; step < chunk.steps; step += 1) this.scrape(chunk, step, from + step * interval);
    return chunk;
  }

  private scrape(chunk: Chunk, step: number, at: number): void {
    const seconds = this.options.scrapeIntervalMs / 1000;
    const now = this.read(at);
    const up = (key: ScrapeJobKey, answered: boolean) =>
      chunk.set(scrape.up.name, {}, this.targets[key], step, answered && !now.failedScrapes.has(JOB[key]) ? 1 : 0);
    for (const key of ['prometheus', 'alertmanager', 'grafana', 'cadvisor'] as const) up(key, true);

    if (now.apiAlive && !this.apiWasAlive) this.counters.restart('api');
    this.apiWasAlive = now.apiAlive;
    const apiSamples: Sample[] = now.apiAlive ? this.api(now, seconds) : [];
    up('api', now.apiAlive);
    if (now.apiAlive && !now.failedScrapes.has(JOB.api))
      for (const [name, labels, value] of apiSamples) chunk.set(name, labels, this.targets.api, step, value);

    if (now.exporterAnswers && !this.exporterWasUp) this.counters.restart('celery');
    this.exporterWasUp = now.exporterAnswers;
    const celerySamples = now.exporterAnswers ? this.celery(now, seconds) : [];
    up('celery', now.exporterAnswers);
    if (now.exporterAnswers && !now.failedScrapes.has(JOB.celery))
      for (const [name, labels, value] of celerySamples) chunk.set(name, labels, this.targets.celery, step, value);

    const exporters: [ScrapeJobKey, Sample[]][] = [
      ['redisExporter', this.redis(now)],
      ['postgresExporter', this.postgres(now)],
      ['nodeExporter', this.node(at, seconds)],
    ];
    for (const [key, samples] of exporters) {
      up(key, true);
      if (now.failedScrapes.has(JOB[key])) continue;
      for (const [name, labels, value] of samples) chunk.set(name, labels, this.targets[key], step, value);
    }
  }

  /** The API's own series for one scrape interval. */
  private api(now: Conditions, seconds: number): Sample[] {
    const out: Sample[] = [];
    const counter = (name: string, amount: number) => this.counters.add(`api/${name}`, amount);
    const requests = now.requestsPerSecond * seconds;
    let queries = 0;
    ROUTES.forEach((route, index) => {
      const labels = { method: route.method, endpoint: route.endpoint };
      const served = requests * route.weight;
      const errorRatio = route.queries > 0 && now.postgresDown ? 1 : now.errorRatio;
      const errors = served * errorRatio;
      // A night dip's errors are requests of their own, answered 500 by the first route.
      const extra = index === 0 ? now.extraErrors : 0;
      const notFound = route.endpoint === '/api/v1/products/:id' ? (served - errors) * 0.03 : 0;
      const statuses: [string, number][] = [
        [route.method === 'POST' ? '202' : '200', served - errors - notFound],
        ...SERVER_ERRORS.map((status, i): [string, number] => [
          status,
          errors / SERVER_ERRORS.length + (i === 0 ? extra : 0),
        ]),
        ...(notFound > 0 ? [['404', notFound] as [string, number]] : []),
      ];
      for (const [status, amount] of statuses)
        out.push([app.httpRequests.name, { ...labels, status }, counter(`requests/${index}/${status}`, amount)]);
      const slow = now.slow;
      out.push(
        ...histogram(
          app.httpRequestDuration,
          labels,
          served + extra,
          (bound) =>
            (1 - slow.slowShare) * logNormalBelow(bound, route.medianSeconds, LATENCY_SPREAD) +
            slow.slowShare * logNormalBelow(bound, slow.medianSeconds, LATENCY_SPREAD),
          (le, amount) => counter(`duration/${index}/${le}`, amount),
        ),
      );
      if (!now.postgresDown) queries += served * route.queries;
    });
    out.push([
      app.httpRequestsInProgress.name,
      { method: 'GET', endpoint: ROUTES[0].endpoint },
      Math.round(now.requestsPerSecond * 0.05),
    ]);
    out.push(
      ...histogram(
        app.dbQueryDuration,
        { operation: 'select' },
        queries,
        (bound) => logNormalBelow(bound, DB_QUERY_MEDIAN_SECONDS, LATENCY_SPREAD),
        (le, amount) => counter(`db/${le}`, amount),
      ),
    );
    // Every query of a request fails while PostgreSQL is down.
    out.push([app.dbErrors.name, { error_type: DB_ERROR }, counter('db-errors', now.postgresDown ? requests * 2 : 0)]);
    for (const tenant of TENANTS) {
      const platform = MARKETPLACE[tenant];
      const syncs = now.syncsRun && now.workersAlive ? (RATES.syncs / TENANTS.length) * seconds : 0;
      const failed = syncs * (now.postgresDown ? 1 : now.syncFailureRatio[platform]);
      out.push([app.products.name, { tenant_id: tenant }, PRODUCTS[tenant]]);
      for (const [status, amount] of [
        ['success', syncs - failed],
        ['failure', failed],
      ] as const)
        out.push([
          app.syncOperations.name,
          { platform, status, tenant_id: tenant },
          counter(`syncs/${tenant}/${status}`, amount),
        ]);
      for (const [status, amount] of [
        ['success', (syncs - failed) * (1 - SHEETS_ERROR_SHARE)],
        ['error', (syncs - failed) * SHEETS_ERROR_SHARE],
      ] as const)
        out.push([
          app.sheetsOperations.name,
          { operation: 'update', status, tenant_id: tenant },
          counter(`sheets/${tenant}/${status}`, amount),
        ]);
    }
    return out;
  }

  /** The celery-exporter's series: task events of the sync task and the low-volume task, workers, queues. */
  private celery(now: Conditions, seconds: number): Sample[] {
    const out: Sample[] = [];
    const counter = (name: string, amount: number) => this.counters.add(`celery/${name}`, amount);
    /** Task events of `task`: `succeeded`, `failed` and `retried` runs ended in this interval. */
    const taskEvents = (task: string, succeeded: number, failed: number, retried: number) => {
      const labels = { name: task, hostname: WORKER_HOST, queue_name: EXPORTER_DEFAULT_QUEUE };
      const runs = succeeded + failed + retried;
      for (const [metric, amount] of [
        [celery.tasksReceived, runs],
        [celery.tasksStarted, runs],
        [celery.tasksSucceeded, succeeded],
        [celery.tasksRetried, retried],
      ] as const)
        out.push([metric.name, labels, counter(`${metric.name}/${task}`, amount)]);
      out.push([celery.tasksFailed.name, { ...labels, exception: '' }, 0]);
      out.push([celery.tasksFailed.name, { ...labels, exception: SYNC_ERRORS[0] }, counter(`failed/${task}`, failed)]);
    };
    const working = now.workersAlive;
    const syncs = now.syncsRun && working ? RATES.syncs * seconds : 0;
    const syncFailure = now.postgresDown
      ? 1
      : TENANTS.reduce((sum, tenant) => sum + now.syncFailureRatio[MARKETPLACE[tenant]], 0) / TENANTS.length;
    const syncFailed = syncs * syncFailure;
    const syncRetried = (syncs - syncFailed) * RETRIED_SHARE;
    taskEvents(SYNC_TASK, syncs - syncFailed - syncRetried, syncFailed, syncRetried);
    const runs = working ? LOW_VOLUME_TASK.runsPerSecond * seconds : 0;
    // One run in a hundred fails, every hundredth: background failures never land close together.
    const before = this.counters.add('schedule-runs', 0);
    const after = this.counters.add('schedule-runs', runs);
    const background = Math.floor(after / LOW_VOLUME_TASK.failEvery) - Math.floor(before / LOW_VOLUME_TASK.failEvery);
    const failed = working ? background + now.extraTaskFailures : 0;
    taskEvents(LOW_VOLUME_TASK.name, Math.max(0, runs - background), failed, 0);
    out.push([celery.workerUp.name, { hostname: WORKER_HOST }, working ? 1 : 0]);
    out.push([
      celery.workerTasksActive.name,
      { hostname: WORKER_HOST },
      working ? 1 + Math.floor(this.random() * 3) : 0,
    ]);
    const lengths: Record<string, number> = {
      [QUEUES.sync]: Math.floor(this.random() * 7) + now.backlog,
      [QUEUES.default]: Math.floor(this.random() * 3),
      [QUEUES.maintenance]: Math.floor(this.random() * 2),
    };
    for (const queue of Object.values(QUEUES)) {
      out.push([celery.queueLength.name, { queue_name: queue }, lengths[queue]]);
      out.push([celery.activeWorkers.name, { queue_name: queue }, working && CONSUMED_QUEUES.includes(queue) ? 1 : 0]);
    }
    return out;
  }

  private redis(now: Conditions): Sample[] {
    if (now.redisDown) return [[redis.up.name, {}, 0]];
    return [
      [redis.up.name, {}, 1],
      [redis.memoryUsed.name, {}, Math.round((95 + this.random() * 10) * 1024 * 1024)],
      [redis.memoryMax.name, {}, 256 * 1024 * 1024],
      [redis.evictedKeys.name, {}, 0],
    ];
  }

  private postgres(now: Conditions): Sample[] {
    if (now.postgresDown) return [[postgres.up.name, {}, 0]];
    const datname = DEFAULT_CONFIG.targets.postgres.database;
    return [
      [postgres.up.name, {}, 1],
      [postgres.activityCount.name, { datname, state: 'idle' }, 6 + Math.floor(this.random() * 5)],
      [postgres.activityCount.name, { datname, state: 'active' }, 1 + Math.floor(this.random() * 3)],
      [postgres.activityCount.name, { datname, state: 'idle in transaction' }, Math.floor(this.random() * 2)],
    ];
  }

  private node(at: number, seconds: number): Sample[] {
    const hour = ((((at - MONTH_START) / 3_600_000 + MOSCOW_OFFSET_HOURS) % 24) + 24) % 24;
    const busy = 0.1 + 0.3 * DAY_CURVE[Math.floor(hour)];
    const out: Sample[] = [];
    for (const cpu of ['0', '1'])
      for (const [mode, share] of [
        ['idle', 1 - busy],
        ['user', busy * 0.7],
        ['system', busy * 0.3],
      ] as const)
        // Counted in milliseconds, written in seconds.
        out.push([
          node.cpuSeconds.name,
          { cpu, mode },
          this.counters.add(`node/${cpu}/${mode}`, share * seconds * 1000) / 1000,
        ]);
    const gib = 1024 ** 3;
    out.push([node.memoryTotal.name, {}, 8 * gib]);
    out.push([node.memoryAvailable.name, {}, Math.round((3.4 + this.random() * 0.4) * gib)]);
    for (const [device, fstype, mountpoint, size, used] of [
      ['/dev/vda1', 'ext4', '/', 80 * gib, 0.58],
      ['tmpfs', 'tmpfs', '/run', 0.8 * gib, 0.01],
    ] as const) {
      out.push([node.filesystemSize.name, { device, fstype, mountpoint }, Math.round(size)]);
      out.push([node.filesystemAvailable.name, { device, fstype, mountpoint }, Math.round(size * (1 - used))]);
    }
    return out;
  }
}
