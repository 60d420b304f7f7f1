/**
 * A stand-in for the Stock Tracker service as it really exposes itself: the API's metrics are those
 * of its `PrometheusMetrics` class (`METRICS.app` in the catalog, held to the fixture captured from
 * monitoring.py), and Celery is seen through a celery-exporter (`METRICS.celery`, the series shapes
 * of danihodovic/celery-exporter), driven by simulated traffic with realistic rates and latencies,
 * and a control endpoint to inject the faults the drills need.
 *
 * Two scrape targets, as in production: the FastAPI process (job `api`) and the celery-exporter
 * (job `celery`); the workers serve no metrics. Plus a control port (`GET/POST /faults`,
 * `POST /faults/reset`) that stays up while the API is "down". Shares that decide alerts (5xx,
 * failed syncs) are exact, not random, so a 10 % fault reads 10 % in every window.
 *
 * Standalone: `npx ts-node testing/simulator.ts [--api-port 8000] [--celery-exporter-port 9808]
 * [--control-port 8001] [--redis 127.0.0.1:6379]`.
 */
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { LabelName, LabelValue, METRICS, Metric, Platform, SYNC_TASK, TARGET_LABELS } from '../domain/metrics';
import { redisAnswers } from './processes';

const { app, celery } = METRICS;
type ExposedMetric = (typeof app)[keyof typeof app] | (typeof celery)[keyof typeof celery];
type OwnLabel<M extends Metric> = Exclude<LabelName<M>, keyof typeof TARGET_LABELS>;
/** Every label of a metric but the target labels Prometheus adds, with the catalog's typed values. */
type Labels<M extends Metric> = { [K in OwnLabel<M>]: LabelValue<M, K> };

/** The simulated scrape targets. */
export type SimulatedProcess = 'api' | 'celeryExporter';

/**
 * Who exposes each application metric: the API process, or nobody. The class's Celery metrics
 * would be set in the workers, which serve no `/metrics`: nothing scrapes them, as in production.
 */
const APP_METRIC_EXPOSED_BY: Record<keyof typeof app, 'api' | 'nobody'> = {
  httpRequests: 'api',
  httpRequestDuration: 'api',
  httpRequestsInProgress: 'api',
  dbConnectionsActive: 'api',
  dbQueryDuration: 'api',
  dbErrors: 'api',
  celeryTasks: 'nobody',
  celeryTaskDuration: 'nobody',
  celeryTasksInProgress: 'nobody',
  celeryQueueLength: 'nobody',
  redisOperations: 'api',
  redisOperationDuration: 'api',
  products: 'api',
  syncOperations: 'api',
  syncDuration: 'api',
  externalApiErrors: 'api',
  sheetsOperations: 'api',
  systemCpuUsage: 'api',
  systemMemoryUsage: 'api',
  systemMemoryAvailable: 'api',
  systemDiskUsage: 'api',
  appInfo: 'api',
};

/**
 * What the real API serves while its metrics class is not the one imported (Stock Tracker as
 * published): prometheus_client's default collectors only (the fixture's `defaultRegistry`).
 */
const PROCESS_ONLY = [
  'process_start_time_seconds',
  'process_resident_memory_bytes',
  'process_open_fds',
  'python_gc_objects_uncollectable',
] as const;

export interface SimulatorFaults {
  /** Share of API responses that are 5xx. */
  errorRatio: number;
  /** Seconds added to every API request. */
  addedLatencySeconds: number;
  /** Tasks piled up in the `sync` queue on top of its normal length. */
  queueBacklog: number;
  /** Share of stock syncs that fail for good. */
  syncFailureRatio: number;
  /** No sync runs at all (nothing schedules them). */
  syncStopped: boolean;
  /** The API process is gone: its metrics port refuses connections (APIDown). */
  apiDown: boolean;
  /** The API serves only the Python process metrics, as Stock Tracker does while its metrics class is shadowed. */
  apiUninstrumented: boolean;
  /** The workers send no task events (no `-E`): the exporter has queue and worker series only. */
  taskEventsOff: boolean;
  /** Every worker is gone: no one answers Celery's remote control nor sends heartbeats. */
  workersDown: boolean;
}

/**
 * A healthy service: a trickle of errors and failed syncs, as in real life. The 2% of failed syncs
 * is twice the sync SLO's budget (1%): a stack run longer than SyncSuccessSteadyBurn's `for` (10
 * minutes under the drills' profile, more than `npm run e2e` takes) would rightly open its ticket.
 * Fewer would leave the Celery task-event contract of `npm run check` without a failed run (and its
 * `exception` label) within check-loopback's wait.
 */
export const HEALTHY: Readonly<SimulatorFaults> = {
  errorRatio: 0.002,
  addedLatencySeconds: 0,
  queueBacklog: 0,
  syncFailureRatio: 0.02,
  syncStopped: false,
  apiDown: false,
  apiUninstrumented: false,
  taskEventsOff: false,
  workersDown: false,
};

/** Refuses what is not a fault or not of its type, naming the field and the value. */
export function parseFaults(raw: unknown): Partial<SimulatorFaults> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new Error(`faults must be a JSON object, got ${JSON.stringify(raw)}`);
  const faults: Partial<Record<keyof SimulatorFaults, unknown>> = {};
  for (const [field, value] of Object.entries(raw)) {
    if (!(field in HEALTHY)) throw new Error(`unknown fault "${field}" (known: ${Object.keys(HEALTHY).join(', ')})`);
    const expected = typeof HEALTHY[field as keyof SimulatorFaults];
    const ratio = field.endsWith('Ratio');
    const valid =
      typeof value === expected &&
      (expected !== 'number' || ((value as number) >= 0 && (!ratio || (value as number) <= 1)));
    if (!valid)
      throw new Error(
        `fault ${field}: ${JSON.stringify(value)} is not ${ratio ? 'a ratio in [0, 1]' : expected === 'number' ? 'a number >= 0' : 'a boolean'}`,
      );
    faults[field as keyof SimulatorFaults] = value;
  }
  return faults as Partial<SimulatorFaults>;
}

/** Events of a steady rate, counted exactly over uneven ticks (no Poisson noise in the ratios). */
export class Pace {
  private carry = 0;
  due(perSecond: number, seconds: number): number {
    this.carry += perSecond * seconds;
    const whole = Math.floor(this.carry);
    this.carry -= whole;
    return whole;
  }
}

/** "Is this one of the `share`?": exactly `share` of the calls answer true, evenly spread. */
class Share {
  private carry = 0;
  take(share: number): boolean {
    this.carry += share;
    if (this.carry < 1) return false;
    this.carry -= 1;
    return true;
  }
}

function pick<T>(items: readonly T[]): T {
  return items[Math.floor(Math.random() * items.length)];
}

/** A log-normal duration around `median` seconds (p95 about 2.7x the median). */
function duration(median: number, spread = 0.6): number {
  const gaussian = Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
  return median * Math.exp(spread * gaussian);
}

/** Routes of the real API (src/stock_tracker/api/main.py), as its middleware labels them (`/:id`). */
export const ROUTES = [
  { method: 'GET', endpoint: '/api/v1/products/', weight: 0.4, medianSeconds: 0.04, queries: 2 },
  { method: 'GET', endpoint: '/api/v1/products/:id', weight: 0.25, medianSeconds: 0.025, queries: 1 },
  { method: 'GET', endpoint: '/api/v1/analytics/summary', weight: 0.15, medianSeconds: 0.08, queries: 3 },
  { method: 'POST', endpoint: '/api/v1/products/sync', weight: 0.05, medianSeconds: 0.12, queries: 2 },
  { method: 'GET', endpoint: '/api/v1/health/', weight: 0.15, medianSeconds: 0.003, queries: 0 },
] as const satisfies readonly {
  method: Labels<typeof app.httpRequests>['method'];
  endpoint: string;
  weight: number;
  medianSeconds: number;
  queries: number;
}[];
type Route = (typeof ROUTES)[number];

export const TENANTS = [
  '7d1c3f0e-1a2b-4c5d-8e9f-000000001001',
  '7d1c3f0e-1a2b-4c5d-8e9f-000000001002',
  '7d1c3f0e-1a2b-4c5d-8e9f-000000001003',
] as const;
type Tenant = (typeof TENANTS)[number];
/** Each tenant sells on one marketplace (`Tenant.marketplace_type`). */
export const MARKETPLACE: Record<Tenant, Platform> = {
  [TENANTS[0]]: 'wildberries',
  [TENANTS[1]]: 'ozon',
  [TENANTS[2]]: 'wildberries',
};
export const PRODUCTS: Record<Tenant, number> = { [TENANTS[0]]: 1240, [TENANTS[1]]: 310, [TENANTS[2]]: 2875 };
/** The tasks and queues of Stock Tracker's Celery app (src/stock_tracker/workers/celery_app.py, tasks.py). */
export const SCHEDULE_TASK = 'stock_tracker.workers.tasks.schedule_tenant_syncs';
export const QUEUES = { sync: 'sync', default: 'default', maintenance: 'maintenance' } as const;
/** The queue the exporter names on task series it saw no `task-sent` event for (its `--default-queue-name`). */
export const EXPORTER_DEFAULT_QUEUE = 'celery';
/** The worker the exporter names by the host part of `celery@<hostname>`: the worker container. */
export const WORKER_HOST = 'stock-tracker-worker';
/** `--concurrency=4` in Stock Tracker's compose file. */
export const WORKER_PROCESSES = 4;
/** The compose worker consumes `--queues=sync,default`: nobody takes `maintenance`. */
export const CONSUMED_QUEUES: readonly string[] = [QUEUES.sync, QUEUES.default];
export const SERVER_ERRORS = ['500', '502', '503'] as const;
export const DB_ERROR = 'OperationalError';
export const SYNC_ERRORS = ['TimeoutError', 'HTTPStatusError'] as const;

/** Traffic of a mid-sized deployment, per second. */
export const RATES = { requests: 20, syncs: 0.6, schedules: 1 / 60, healthChecks: 1 / 300, rateLimited: 0.1 };
const TICK_MS = 250;

type PromMetric = Counter<string> | Gauge<string> | Histogram<string>;

/** prom-client metrics made from catalog handles, used through typed label sets. */
class Exposition {
  readonly registries: Record<SimulatedProcess, Registry> = { api: new Registry(), celeryExporter: new Registry() };
  /** What the API serves while uninstrumented. */
  readonly processOnly = new Registry();
  private readonly metrics = new Map<ExposedMetric, PromMetric>();

  constructor() {
    for (const key of Object.keys(app) as (keyof typeof app)[]) {
      if (APP_METRIC_EXPOSED_BY[key] === 'api') this.make(app[key], this.registries.api);
    }
    for (const metric of Object.values(celery)) this.make(metric, this.registries.celeryExporter);
    for (const name of PROCESS_ONLY)
      new Gauge({ name, help: 'Python process collector', registers: [this.processOnly] }).set(1);
  }

  private make(metric: ExposedMetric, registry: Registry): void {
    const options = {
      // prom-client adds no `_total`: the catalog's counter names carry it, as prometheus_client exposes them.
      name: metric.name,
      help: metric.help,
      labelNames: Object.keys(metric.labels).filter((name) => !(name in TARGET_LABELS)),
      registers: [registry],
    };
    const made =
      metric.type === 'counter'
        ? new Counter(options)
        : metric.type === 'gauge'
          ? new Gauge(options)
          : new Histogram({ ...options, buckets: [...(metric.buckets ?? [])] });
    this.metrics.set(metric, made);
  }

  inc<M extends ExposedMetric & Metric<'counter'>>(metric: M, labels: Labels<M>, by = 1): void {
    (this.metrics.get(metric) as Counter<string>).inc(labels as Record<string, string>, by);
  }
  set<M extends ExposedMetric & Metric<'gauge'>>(metric: M, labels: Labels<M>, value: number): void {
    (this.metrics.get(metric) as Gauge<string>).set(labels as Record<string, string>, value);
  }
  observe<M extends ExposedMetric & Metric<'histogram'>>(metric: M, labels: Labels<M>, value: number): void {
    (this.metrics.get(metric) as Histogram<string>).observe(labels as Record<string, string>, value);
  }
  /** Forgets every series of the metric (the exporter purges a worker's, Prometheus sees them go stale). */
  reset(metric: ExposedMetric): void {
    this.metrics.get(metric)?.reset();
  }
}

type TaskOutcome = 'succeeded' | 'failed' | 'retried';

/** The simulated service's behaviour: what happens in `seconds` of its life. */
class StockTrackerModel {
  private readonly pace = {
    requests: new Pace(),
    syncs: new Pace(),
    schedules: new Pace(),
    healthChecks: new Pace(),
    rateLimited: new Pace(),
  };
  private readonly share = {
    errors: new Share(),
    notFound: new Share(),
    syncFailures: new Share(),
    sheetsFailures: new Share(),
    retries: new Share(),
  };
  private serverErrors = 0;
  /** Health checks (`health_check`) beat sent to `maintenance`, which no worker consumes. */
  private maintenanceBacklog = 0;

  constructor(
    private readonly out: Exposition,
    private readonly faults: () => SimulatorFaults,
  ) {
    // Every outcome the app can report exists from the start at 0, as instrumentation guides advise:
    // a counter born with its first error loses that error to rate(), and a 5xx burst reads late.
    for (const route of ROUTES) {
      for (const status of [this.successStatus(route), ...SERVER_ERRORS])
        this.out.inc(app.httpRequests, { method: route.method, endpoint: route.endpoint, status }, 0);
    }
    for (const tenant of TENANTS)
      this.out.inc(app.syncOperations, { tenant_id: tenant, platform: MARKETPLACE[tenant], status: 'failure' }, 0);
    this.out.inc(app.dbErrors, { error_type: DB_ERROR }, 0);
    for (const name of [SYNC_TASK, SCHEDULE_TASK]) this.taskEvent(name, 'succeeded', 0);
    this.out.set(app.appInfo, { version: '2.0.0', python_version: '3.11.2 (main)', environment: 'production' }, 1);
    // monitoring.py never calls update_system_metrics(): these stay at their initial 0.
    for (const gauge of [app.systemCpuUsage, app.systemMemoryUsage, app.systemMemoryAvailable, app.systemDiskUsage])
      this.out.set(gauge, {}, 0);
  }

  advance(seconds: number): void {
    const faults = this.faults();
    this.serveRequests(this.pace.requests.due(RATES.requests, seconds), faults);
    const working = !faults.workersDown;
    if (!faults.syncStopped && working)
      for (let i = this.pace.syncs.due(RATES.syncs, seconds); i > 0; i -= 1) this.sync(faults);
    if (working)
      for (let i = this.pace.schedules.due(RATES.schedules, seconds); i > 0; i -= 1)
        this.task(SCHEDULE_TASK, 'succeeded', duration(0.2), faults);
    this.maintenanceBacklog += this.pace.healthChecks.due(RATES.healthChecks, seconds);
    for (let i = this.pace.rateLimited.due(RATES.rateLimited, seconds); i > 0; i -= 1) {
      this.out.inc(app.externalApiErrors, { platform: 'wildberries', error_type: 'RateLimitError' });
    }
    this.setGauges(faults);
  }

  private serveRequests(count: number, faults: SimulatorFaults): void {
    for (let i = 0; i < count; i += 1) {
      const route = this.route();
      const status = this.status(route, faults);
      const labels = { method: route.method, endpoint: route.endpoint };
      this.out.inc(app.httpRequests, { ...labels, status });
      // A 500 is what the API answers when its database call failed.
      if (status === '500') this.out.inc(app.dbErrors, { error_type: DB_ERROR });
      this.out.observe(app.httpRequestDuration, labels, duration(route.medianSeconds) + faults.addedLatencySeconds);
      for (let q = 0; q < route.queries; q += 1) {
        this.out.observe(
          app.dbQueryDuration,
          { operation: route.method === 'POST' && q > 0 ? 'insert' : 'select' },
          duration(0.004),
        );
      }
      this.out.inc(app.redisOperations, { operation: 'get', status: 'success' });
      this.out.observe(app.redisOperationDuration, { operation: 'get' }, duration(0.0005));
    }
  }

  private route(): Route {
    let draw = Math.random();
    for (const route of ROUTES) {
      draw -= route.weight;
      if (draw < 0) return route;
    }
    return ROUTES[0];
  }

  private status(route: Route, faults: SimulatorFaults): Labels<typeof app.httpRequests>['status'] {
    if (this.share.errors.take(faults.errorRatio)) {
      this.serverErrors += 1;
      return SERVER_ERRORS[this.serverErrors % SERVER_ERRORS.length];
    }
    if (route.endpoint === '/api/v1/products/:id' && this.share.notFound.take(0.03)) return '404';
    return this.successStatus(route);
  }

  private successStatus(route: Route): Labels<typeof app.httpRequests>['status'] {
    return route.method === 'POST' ? '202' : '200';
  }

  /** One stock sync (a run of the sync task): marketplace calls, then a Sheets export when it worked. */
  private sync(faults: SimulatorFaults): void {
    const tenant = pick(TENANTS);
    const platform = MARKETPLACE[tenant];
    const failed = this.share.syncFailures.take(faults.syncFailureRatio);
    const seconds = duration(20, 0.5);
    this.out.inc(app.syncOperations, { tenant_id: tenant, platform, status: failed ? 'failure' : 'success' });
    this.out.observe(app.syncDuration, { tenant_id: tenant, platform }, seconds);
    if (failed) {
      this.task(SYNC_TASK, 'failed', seconds, faults);
      this.out.inc(app.externalApiErrors, { platform, error_type: pick(SYNC_ERRORS) });
      return;
    }
    this.task(SYNC_TASK, this.share.retries.take(0.05) ? 'retried' : 'succeeded', seconds, faults);
    const sheetsFailed = this.share.sheetsFailures.take(0.005);
    this.out.inc(app.sheetsOperations, {
      tenant_id: tenant,
      operation: 'update',
      status: sheetsFailed ? 'error' : 'success',
    });
  }

  /** A task run as the celery-exporter sees it: its events, when the workers send them. */
  private task(name: string, outcome: TaskOutcome, seconds: number, faults: SimulatorFaults): void {
    if (!faults.taskEventsOff) this.taskEvent(name, outcome, 1, seconds);
  }

  /**
   * The exporter's counters for one task event: received and started, then how it ended; every
   * counter of a task it has seen exists (it increments the others by 0, `failed` with no exception).
   * Its queue is `celery` whatever the route: the exporter learns a task's queue only from
   * `task-sent` events, which Stock Tracker does not send (__tests__/fixtures/celery-exporter/FACTS.md).
   */
  private taskEvent(name: string, outcome: TaskOutcome, count: number, seconds?: number): void {
    const labels = { name, hostname: WORKER_HOST, queue_name: EXPORTER_DEFAULT_QUEUE };
    for (const counter of [celery.tasksReceived, celery.tasksStarted]) this.out.inc(counter, labels, count);
    this.out.inc(celery.tasksSucceeded, labels, outcome === 'succeeded' ? count : 0);
    this.out.inc(celery.tasksRetried, labels, outcome === 'retried' ? count : 0);
    this.out.inc(celery.tasksRejected, labels, 0);
    this.out.inc(celery.tasksRevoked, labels, 0);
    this.out.inc(celery.tasksFailed, { ...labels, exception: '' }, 0);
    if (outcome === 'failed') this.out.inc(celery.tasksFailed, { ...labels, exception: pick(SYNC_ERRORS) }, count);
    if (outcome === 'succeeded' && seconds !== undefined) this.out.observe(celery.taskRuntime, labels, seconds);
  }

  private setGauges(faults: SimulatorFaults): void {
    const meanLatency = 0.05 + faults.addedLatencySeconds;
    this.out.set(
      app.httpRequestsInProgress,
      { method: 'GET', endpoint: '/api/v1/products/' },
      Math.round(RATES.requests * meanLatency + Math.random() * 2),
    );
    this.out.set(app.dbConnectionsActive, {}, 5 + Math.floor(Math.random() * 3));
    for (const tenant of TENANTS) this.out.set(app.products, { tenant_id: tenant }, PRODUCTS[tenant]);
    const workers = faults.workersDown ? 0 : 1;
    this.out.set(celery.workerUp, { hostname: WORKER_HOST }, workers);
    this.out.set(celery.workerTasksActive, { hostname: WORKER_HOST }, workers * (1 + Math.floor(Math.random() * 3)));
    const lengths = {
      [QUEUES.sync]: Math.floor(Math.random() * 7) + faults.queueBacklog,
      [QUEUES.default]: Math.floor(Math.random() * 3),
      [QUEUES.maintenance]: this.maintenanceBacklog,
    };
    for (const queue of Object.values(QUEUES)) {
      this.out.set(celery.queueLength, { queue_name: queue }, lengths[queue]);
      const consumers = CONSUMED_QUEUES.includes(queue) ? workers : 0;
      this.out.set(celery.activeWorkers, { queue_name: queue }, consumers);
      this.out.set(celery.activeProcesses, { queue_name: queue }, consumers * WORKER_PROCESSES);
    }
  }
}

/**
 * The app's use of Redis as a cache (Celery's broker traffic aside): lookups that hit or miss, and
 * a write after each miss, so Redis' hit ratio and command rate are those of a live service.
 * Fire and forget: while Redis is down the commands are dropped and the next tick reconnects.
 */
class RedisCacheTraffic {
  private socket?: Socket;
  private readonly pace = new Pace();

  constructor(private readonly address: string) {}

  advance(seconds: number): void {
    const lookups = this.pace.due(40, seconds);
    if (lookups === 0) return;
    const socket = this.connected();
    if (!socket) return;
    const commands: string[] = [];
    for (let i = 0; i < lookups; i += 1) {
      const key = `cache:product:${Math.floor(Math.random() * 100)}`;
      commands.push(`GET ${key}`);
      if (Math.random() < 0.2) commands.push(`SET ${key} 1 EX 30`);
    }
    socket.write(commands.map((command) => `${command}\r\n`).join(''));
  }

  stop(): void {
    this.socket?.destroy();
  }

  private connected(): Socket | undefined {
    if (this.socket && !this.socket.destroyed) return this.socket.readyState === 'open' ? this.socket : undefined;
    const [host, port] = this.address.split(':');
    const socket = new Socket();
    socket.on('error', () => socket.destroy());
    socket.on('data', () => undefined);
    socket.connect(Number(port), host);
    this.socket = socket;
    return undefined;
  }
}

export interface SimulatorOptions {
  /** Address every port listens on: `0.0.0.0` in a container, reached by its name. @default 127.0.0.1 */
  host?: string;
  /** Ports to listen on; 0 (default) picks a free one. */
  api?: number;
  celeryExporter?: number;
  control?: number;
  /** `host:port` of the Redis the app caches in and Celery's broker; without it, no cache traffic and a broker always there. */
  redis?: string;
}

async function listen(server: Server, port: number, host: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}

async function close(server: Server): Promise<void> {
  if (!server.listening) return;
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

function reply(response: ServerResponse, status: number, body: string, contentType = 'application/json'): void {
  response.writeHead(status, { 'content-type': contentType });
  response.end(body);
}

export class StockTrackerSimulator {
  private faults: SimulatorFaults = { ...HEALTHY };
  private readonly exposition = new Exposition();
  private readonly model = new StockTrackerModel(this.exposition, () => this.faults);
  private readonly servers: Record<SimulatedProcess | 'control', Server>;
  private readonly ports: Record<SimulatedProcess | 'control', number> = { api: 0, celeryExporter: 0, control: 0 };
  private ticker?: NodeJS.Timeout;
  private lastTick = Date.now();
  private readonly cache?: RedisCacheTraffic;

  private constructor(
    private readonly broker: string | undefined,
    private readonly host: string,
  ) {
    this.cache = broker ? new RedisCacheTraffic(broker) : undefined;
    this.servers = {
      api: createServer((request, response) => void this.serveMetrics('api', request, response)),
      celeryExporter: createServer((request, response) => void this.serveMetrics('celeryExporter', request, response)),
      control: createServer((request, response) => void this.control(request, response)),
    };
  }

  static async start(options: SimulatorOptions = {}): Promise<StockTrackerSimulator> {
    const simulator = new StockTrackerSimulator(options.redis, options.host ?? '127.0.0.1');
    // A minute of history, so every series a healthy service has exists from the first scrape.
    simulator.model.advance(60);
    simulator.ticker = setInterval(() => simulator.tick(), TICK_MS);
    try {
      for (const endpoint of ['api', 'celeryExporter', 'control'] as const)
        simulator.ports[endpoint] = await listen(simulator.servers[endpoint], options[endpoint] ?? 0, simulator.host);
    } catch (error) {
      await simulator.stop();
      throw error;
    }
    return simulator;
  }

  /** `host:port` of a process' metrics, or of the control endpoint. */
  address(process: SimulatedProcess | 'control'): string {
    return `127.0.0.1:${this.ports[process]}`;
  }

  get currentFaults(): Readonly<SimulatorFaults> {
    return { ...this.faults };
  }

  /** Changes some faults (the rest stay as they are); `apiDown` closes or reopens the API's port. */
  async inject(faults: Partial<SimulatorFaults>): Promise<void> {
    this.faults = { ...this.faults, ...parseFaults(faults) };
    if (this.faults.apiDown) await close(this.servers.api);
    else if (!this.servers.api.listening) await listen(this.servers.api, this.ports.api, this.host);
  }

  async reset(): Promise<void> {
    await this.inject({ ...HEALTHY });
  }

  async stop(): Promise<void> {
    clearInterval(this.ticker);
    this.cache?.stop();
    await Promise.all(Object.values(this.servers).map(close));
  }

  private tick(): void {
    const now = Date.now();
    const seconds = (now - this.lastTick) / 1000;
    this.model.advance(seconds);
    this.cache?.advance(seconds);
    this.lastTick = now;
  }

  private async serveMetrics(
    process: SimulatedProcess,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    // The celery-exporter's own health endpoint: 200 while the process serves (even without its broker).
    if (process === 'celeryExporter' && request.url === '/health')
      return reply(response, 200, 'Connected to the broker redis://redis:6379/0\n', 'text/plain');
    // The API's basic health check (routes/health.py; the compose healthcheck asks it): 200 while it serves.
    if (process === 'api' && request.url === '/api/v1/health/') {
      return reply(
        response,
        200,
        JSON.stringify({ status: 'healthy', timestamp: new Date().toISOString(), service: 'stock-tracker' }),
      );
    }
    if (request.url !== '/metrics') return reply(response, 404, 'not found\n', 'text/plain');
    // Each of its scrapes asks the broker for queue lengths: without it, the scrape fails (measured: 500).
    if (process === 'celeryExporter' && this.broker && !(await redisAnswers(this.broker))) {
      return reply(response, 500, 'kombu.exceptions.OperationalError: Error connecting to the broker\n', 'text/plain');
    }
    const registry =
      process === 'api' && this.faults.apiUninstrumented
        ? this.exposition.processOnly
        : this.exposition.registries[process];
    reply(response, 200, await registry.metrics(), registry.contentType);
  }

  private async control(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      if (request.method === 'GET' && request.url === '/faults')
        return reply(response, 200, JSON.stringify(this.faults));
      if (request.method === 'POST' && request.url === '/faults/reset') {
        await this.reset();
        return reply(response, 200, JSON.stringify(this.faults));
      }
      if (request.method === 'POST' && request.url === '/faults') {
        const chunks: Buffer[] = [];
        for await (const chunk of request) chunks.push(chunk as Buffer);
        await this.inject(parseFaults(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}')));
        return reply(response, 200, JSON.stringify(this.faults));
      }
      reply(response, 404, JSON.stringify({ error: 'GET /faults, POST /faults {...}, POST /faults/reset' }));
    } catch (error) {
      reply(response, 400, JSON.stringify({ error: (error as Error).message }));
    }
  }
}

function portArgument(args: string[], name: string): number | undefined {
  const at = args.indexOf(`--${name}`);
  if (at < 0) return undefined;
  const port = Number(args[at + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new Error(`--${name}: ${JSON.stringify(args[at + 1])} is not a port`);
  return port;
}

async function main(args: string[]): Promise<void> {
  const simulator = await StockTrackerSimulator.start({
    api: portArgument(args, 'api-port'),
    celeryExporter: portArgument(args, 'celery-exporter-port'),
    control: portArgument(args, 'control-port'),
    redis: args.includes('--redis') ? args[args.indexOf('--redis') + 1] : undefined,
  });
  console.log(`api metrics     http://${simulator.address('api')}/metrics`);
  console.log(`celery-exporter http://${simulator.address('celeryExporter')}/metrics`);
  console.log(`faults          http://${simulator.address('control')}/faults  (POST {"errorRatio":0.1} to inject)`);
  const stop = () => void simulator.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
  });
}
