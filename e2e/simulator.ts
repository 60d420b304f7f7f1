/**
 * A stand-in for the Stock Tracker service: its metric contract (`METRICS.app` in the catalog:
 * names, types, label names) exposed with prom-client, driven by simulated traffic with realistic
 * rates and latencies, and a control endpoint to inject the faults the drills need.
 *
 * Two scrape targets, as in production: the FastAPI process (job `api`) and a Celery worker (job
 * `celery`), plus a control port (`GET/POST /faults`, `POST /faults/reset`) that stays up while
 * the API is "down". Shares that decide alerts (5xx, failed syncs) are exact, not random, so a
 * 10 % fault reads 10 % in every window instead of sometimes dipping under the threshold.
 *
 * Standalone: `npx ts-node e2e/simulator.ts [--api-port 8000] [--worker-port 9808] [--control-port 8001]
 * [--redis 127.0.0.1:6379]`.
 */
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { LabelName, LabelValue, METRICS, Metric, PLATFORMS, Platform, TARGET_LABELS } from '../rules';

const { app } = METRICS;
type AppMetricKey = keyof typeof app;
type OwnLabel<M extends Metric> = Exclude<LabelName<M>, keyof typeof TARGET_LABELS>;
/** Every label of a metric but the target labels Prometheus adds, with the catalog's typed values. */
type Labels<M extends Metric> = { [K in OwnLabel<M>]: LabelValue<M, K> };

/** The simulated processes, each a scrape target of its own. */
export type SimulatedProcess = 'api' | 'worker';

/** Which process exposes each catalog metric (a new catalog metric does not compile until placed). */
const EXPOSED_BY: Record<AppMetricKey, SimulatedProcess> = {
  httpRequests: 'api',
  httpRequestDuration: 'api',
  httpRequestsInFlight: 'api',
  httpExceptions: 'api',
  dbQueryDuration: 'api',
  productsTracked: 'api',
  celeryTasks: 'worker',
  celeryTaskDuration: 'worker',
  celeryQueueLength: 'worker',
  celeryActiveTasks: 'worker',
  celeryWorkers: 'worker',
  syncOperations: 'worker',
  syncDuration: 'worker',
  externalApiErrors: 'worker',
  googleSheetsOperations: 'worker',
};

export interface SimulatorFaults {
  /** Share of API responses that are 5xx. */
  errorRatio: number;
  /** Seconds added to every API request. */
  addedLatencySeconds: number;
  /** Tasks piled up in the `sync` queue on top of its normal length. */
  queueBacklog: number;
  /** Share of stock syncs that fail. */
  syncFailureRatio: number;
  /** No sync runs at all (Celery beat stopped scheduling them). */
  syncStopped: boolean;
  /** The API process is gone: its metrics port refuses connections (APIDown). */
  apiDown: boolean;
}

/** A healthy service: a trickle of errors and failed syncs, as in real life. */
export const HEALTHY: Readonly<SimulatorFaults> = {
  errorRatio: 0.002,
  addedLatencySeconds: 0,
  queueBacklog: 0,
  syncFailureRatio: 0.02,
  syncStopped: false,
  apiDown: false,
};

/** Refuses what is not a fault or not of its type, naming the field and the value. */
export function parseFaults(raw: unknown): Partial<SimulatorFaults> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`faults must be a JSON object, got ${JSON.stringify(raw)}`);
  const faults: Partial<Record<keyof SimulatorFaults, unknown>> = {};
  for (const [field, value] of Object.entries(raw)) {
    if (!(field in HEALTHY)) throw new Error(`unknown fault "${field}" (known: ${Object.keys(HEALTHY).join(', ')})`);
    const expected = typeof HEALTHY[field as keyof SimulatorFaults];
    const ratio = field.endsWith('Ratio');
    const valid = typeof value === expected && (expected !== 'number' || ((value as number) >= 0 && (!ratio || (value as number) <= 1)));
    if (!valid) throw new Error(`fault ${field}: ${JSON.stringify(value)} is not ${ratio ? 'a ratio in [0, 1]' : expected === 'number' ? 'a number >= 0' : 'a boolean'}`);
    faults[field as keyof SimulatorFaults] = value;
  }
  return faults as Partial<SimulatorFaults>;
}

/** Events of a steady rate, counted exactly over uneven ticks (no Poisson noise in the ratios). */
class Pace {
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

const ROUTES = [
  { method: 'GET', endpoint: '/api/v1/products', weight: 0.4, medianSeconds: 0.04, queries: 2 },
  { method: 'GET', endpoint: '/api/v1/products/{id}', weight: 0.25, medianSeconds: 0.025, queries: 1 },
  { method: 'GET', endpoint: '/api/v1/stocks', weight: 0.15, medianSeconds: 0.08, queries: 3 },
  { method: 'POST', endpoint: '/api/v1/sync', weight: 0.05, medianSeconds: 0.12, queries: 2 },
  { method: 'GET', endpoint: '/health', weight: 0.15, medianSeconds: 0.003, queries: 0 },
] as const satisfies readonly { method: Labels<typeof app.httpRequests>['method']; endpoint: string; weight: number; medianSeconds: number; queries: number }[];
type Route = (typeof ROUTES)[number];

const TENANTS = ['1001', '1002', '1003'] as const;
const PRODUCTS: Record<(typeof TENANTS)[number], Record<Platform, number>> = {
  '1001': { wb: 1240, ozon: 830 },
  '1002': { wb: 310, ozon: 120 },
  '1003': { wb: 2875, ozon: 1904 },
};
const SYNC_TASK = 'app.tasks.sync_stocks';
const EXPORT_TASK = 'app.tasks.export_to_sheets';
const DIGEST_TASK = 'app.tasks.send_daily_digest';
const SERVER_ERRORS = ['500', '502', '503'] as const;
/** What an unhandled 500 raises: a lost database connection, a marketplace call that timed out. */
const EXCEPTIONS = ['OperationalError', 'TimeoutError'] as const;

/** Traffic of a mid-sized deployment, per second. */
const RATES = { requests: 20, syncs: 0.6, digests: 0.05, rateLimited: 0.1 };
const TICK_MS = 250;

type PromMetric = Counter<string> | Gauge<string> | Histogram<string>;

/** prom-client metrics made from catalog handles, used through typed label sets. */
class Exposition {
  readonly registries: Record<SimulatedProcess, Registry> = { api: new Registry(), worker: new Registry() };
  private readonly metrics = new Map<string, PromMetric>();

  constructor() {
    for (const key of Object.keys(app) as AppMetricKey[]) {
      const metric: Metric = app[key];
      const options = {
        name: metric.name,
        help: metric.help,
        labelNames: Object.keys(metric.labels).filter((name) => !(name in TARGET_LABELS)),
        registers: [this.registries[EXPOSED_BY[key]]],
      };
      const made =
        metric.type === 'counter'
          ? new Counter(options)
          : metric.type === 'gauge'
            ? new Gauge(options)
            : new Histogram({ ...options, buckets: [...(metric.buckets ?? [])] });
      this.metrics.set(metric.name, made);
    }
  }

  inc<M extends Metric<'counter'>>(metric: M, labels: Labels<M>, by = 1): void {
    (this.metrics.get(metric.name) as Counter<string>).inc(labels as Record<string, string>, by);
  }
  set<M extends Metric<'gauge'>>(metric: M, labels: Labels<M>, value: number): void {
    (this.metrics.get(metric.name) as Gauge<string>).set(labels as Record<string, string>, value);
  }
  observe<M extends Metric<'histogram'>>(metric: M, labels: Labels<M>, value: number): void {
    (this.metrics.get(metric.name) as Histogram<string>).observe(labels as Record<string, string>, value);
  }
}

/** The simulated service's behaviour: what happens in `seconds` of its life. */
class StockTrackerModel {
  private readonly pace = { requests: new Pace(), syncs: new Pace(), digests: new Pace(), rateLimited: new Pace() };
  private readonly share = { errors: new Share(), notFound: new Share(), syncFailures: new Share(), sheetsFailures: new Share(), retries: new Share() };
  private serverErrors = 0;

  constructor(private readonly out: Exposition, private readonly faults: () => SimulatorFaults) {
    // Every outcome the app can report exists from the start at 0, as instrumentation guides advise:
    // a counter born with its first error loses that error to rate(), and a 5xx burst reads late.
    for (const route of ROUTES) {
      for (const status of [this.successStatus(route), ...SERVER_ERRORS]) this.out.inc(app.httpRequests, { method: route.method, endpoint: route.endpoint, status }, 0);
      for (const exceptionType of EXCEPTIONS) this.out.inc(app.httpExceptions, { endpoint: route.endpoint, exception_type: exceptionType }, 0);
    }
    for (const tenant of TENANTS) for (const platform of PLATFORMS) this.out.inc(app.syncOperations, { tenant, platform, outcome: 'failure' }, 0);
  }

  advance(seconds: number): void {
    const faults = this.faults();
    this.serveRequests(this.pace.requests.due(RATES.requests, seconds), faults);
    if (!faults.syncStopped) for (let i = this.pace.syncs.due(RATES.syncs, seconds); i > 0; i -= 1) this.sync(faults);
    for (let i = this.pace.digests.due(RATES.digests, seconds); i > 0; i -= 1) this.task(DIGEST_TASK, 'success', duration(0.5));
    for (let i = this.pace.rateLimited.due(RATES.rateLimited, seconds); i > 0; i -= 1) {
      this.out.inc(app.externalApiErrors, { tenant: pick(TENANTS), platform: 'wb', error_type: 'rate_limited' });
    }
    this.setGauges(faults);
  }

  private serveRequests(count: number, faults: SimulatorFaults): void {
    for (let i = 0; i < count; i += 1) {
      const route = this.route();
      const status = this.status(route, faults);
      const labels = { method: route.method, endpoint: route.endpoint };
      this.out.inc(app.httpRequests, { ...labels, status });
      this.out.observe(app.httpRequestDuration, labels, duration(route.medianSeconds) + faults.addedLatencySeconds);
      if (status === '500') this.out.inc(app.httpExceptions, { endpoint: route.endpoint, exception_type: pick(EXCEPTIONS) });
      for (let q = 0; q < route.queries; q += 1) {
        this.out.observe(app.dbQueryDuration, { operation: route.method === 'POST' && q > 0 ? 'insert' : 'select' }, duration(0.004));
      }
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
    if (route.endpoint === '/api/v1/products/{id}' && this.share.notFound.take(0.03)) return '404';
    return this.successStatus(route);
  }

  private successStatus(route: Route): Labels<typeof app.httpRequests>['status'] {
    return route.method === 'POST' ? '201' : '200';
  }

  /** One stock sync (a Celery task): marketplace calls, then a Sheets export when it worked. */
  private sync(faults: SimulatorFaults): void {
    const tenant = pick(TENANTS);
    const platform = pick(PLATFORMS);
    const failed = this.share.syncFailures.take(faults.syncFailureRatio);
    const seconds = duration(20, 0.5);
    this.out.inc(app.syncOperations, { tenant, platform, outcome: failed ? 'failure' : 'success' });
    this.out.observe(app.syncDuration, { tenant, platform }, seconds);
    this.task(SYNC_TASK, failed ? 'failure' : this.share.retries.take(0.05) ? 'retry' : 'success', seconds);
    if (failed) {
      this.out.inc(app.externalApiErrors, { tenant, platform, error_type: pick(['timeout', 'http_5xx', 'invalid_response']) });
      return;
    }
    const sheetsFailed = this.share.sheetsFailures.take(0.005);
    this.out.inc(app.googleSheetsOperations, { tenant, platform, operation: 'read', outcome: 'success' });
    this.out.inc(app.googleSheetsOperations, { tenant, platform, operation: 'write', outcome: sheetsFailed ? 'failure' : 'success' });
    this.task(EXPORT_TASK, sheetsFailed ? 'failure' : 'success', duration(2));
  }

  private task(taskName: string, outcome: Labels<typeof app.celeryTasks>['outcome'], seconds: number): void {
    this.out.inc(app.celeryTasks, { task_name: taskName, outcome });
    this.out.observe(app.celeryTaskDuration, { task_name: taskName }, seconds);
  }

  private setGauges(faults: SimulatorFaults): void {
    const meanLatency = 0.05 + faults.addedLatencySeconds;
    this.out.set(app.httpRequestsInFlight, {}, Math.round(RATES.requests * meanLatency + Math.random() * 2));
    this.out.set(app.celeryQueueLength, { queue_name: 'default' }, Math.floor(Math.random() * 4));
    this.out.set(app.celeryQueueLength, { queue_name: 'sync' }, Math.floor(Math.random() * 7) + faults.queueBacklog);
    this.out.set(app.celeryActiveTasks, {}, 1 + Math.floor(Math.random() * 4));
    this.out.set(app.celeryWorkers, {}, 2);
    for (const tenant of TENANTS) {
      for (const platform of PLATFORMS) this.out.set(app.productsTracked, { tenant, platform }, PRODUCTS[tenant][platform]);
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
  /** Ports to listen on; 0 (default) picks a free one. */
  api?: number;
  worker?: number;
  control?: number;
  /** `host:port` of the Redis the app caches in; without it, no cache traffic. */
  redis?: string;
}

async function listen(server: Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
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
  private readonly ports: Record<SimulatedProcess | 'control', number> = { api: 0, worker: 0, control: 0 };
  private ticker?: NodeJS.Timeout;
  private lastTick = Date.now();
  private readonly cache?: RedisCacheTraffic;

  private constructor(redis: string | undefined) {
    this.cache = redis ? new RedisCacheTraffic(redis) : undefined;
    this.servers = {
      api: createServer((request, response) => void this.serveMetrics('api', request, response)),
      worker: createServer((request, response) => void this.serveMetrics('worker', request, response)),
      control: createServer((request, response) => void this.control(request, response)),
    };
  }

  static async start(options: SimulatorOptions = {}): Promise<StockTrackerSimulator> {
    const simulator = new StockTrackerSimulator(options.redis);
    // A minute of history, so every series a healthy service has exists from the first scrape.
    simulator.model.advance(60);
    simulator.ticker = setInterval(() => simulator.tick(), TICK_MS);
    try {
      simulator.ports.api = await listen(simulator.servers.api, options.api ?? 0);
      simulator.ports.worker = await listen(simulator.servers.worker, options.worker ?? 0);
      simulator.ports.control = await listen(simulator.servers.control, options.control ?? 0);
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
    else if (!this.servers.api.listening) await listen(this.servers.api, this.ports.api);
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

  private async serveMetrics(process: SimulatedProcess, request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.url !== '/metrics') return reply(response, 404, 'not found\n', 'text/plain');
    const registry = this.exposition.registries[process];
    reply(response, 200, await registry.metrics(), registry.contentType);
  }

  private async control(request: IncomingMessage, response: ServerResponse): Promise<void> {
    try {
      if (request.method === 'GET' && request.url === '/faults') return reply(response, 200, JSON.stringify(this.faults));
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
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error(`--${name}: ${JSON.stringify(args[at + 1])} is not a port`);
  return port;
}

async function main(args: string[]): Promise<void> {
  const simulator = await StockTrackerSimulator.start({
    api: portArgument(args, 'api-port'),
    worker: portArgument(args, 'worker-port'),
    control: portArgument(args, 'control-port'),
    redis: args.includes('--redis') ? args[args.indexOf('--redis') + 1] : undefined,
  });
  console.log(`api metrics     http://${simulator.address('api')}/metrics`);
  console.log(`worker metrics  http://${simulator.address('worker')}/metrics`);
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
