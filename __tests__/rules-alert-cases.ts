/**
 * promtool unit-test cases of every alert, typed: series come from catalog handles, expected
 * labels are the alert's own. Each alert fires after exactly its `for` (the renderer checks one
 * evaluation earlier too) and stays quiet just below its threshold. The record type makes a
 * missing alert a compile error; __tests__/rules-promtool.test.ts runs them all in one promtool call.
 */
import { Duration } from '../core/duration';
import { ALERTS, AlertName } from '../domain/rules';
import { SYNC_TASK } from '../domain/metrics/recordings';
import { METRICS } from '../domain/metrics';
import { AlertRule } from '../domain/rules/model';
import {
  AlertTestSuite,
  InputSeries,
  PerRangeSelection,
  TEST_INTERVAL,
  casesFor,
  histogramSeries,
  observationCountSeries,
  series,
} from '../domain/rules/unit-tests';
import { API, CELERY, TENANT, WORKER_HOST } from './rule-inputs';
import { sloAlertCases } from './slo-alert-cases';
import { DEFAULT_SLO_SETTINGS } from '../config/slo-settings';

const { app, celery, node, postgres, redis, cadvisor, prometheus, alertmanager, scrape } = METRICS;
const minutes = Duration.minutes;

/**
 * When a condition over a window of samples starts (or stops) holding at `minute` under Prometheus
 * 2's closed windows: one sample earlier under Prometheus 3's left-open ones, which no longer read
 * the sample on the window's left edge, the last one from before the change (unit-tests.ts,
 * `RangeSelection`).
 */
function windowEdge(minute: number): PerRangeSelection<Duration> {
  return { closed: minutes(minute), leftOpen: Duration.millis(minutes(minute).millis - TEST_INTERVAL.millis) };
}

const NODE = { job: 'node-exporter', instance: 'node-exporter:9100' } as const;
const PG_EXPORTER = { job: 'postgres-exporter', instance: 'postgres-exporter:9187' } as const;
const REDIS_EXPORTER = { job: 'redis-exporter', instance: 'redis-exporter:9121' } as const;
const PROMETHEUS = { job: 'prometheus', instance: 'localhost:9090' } as const;
const DOCKER_SD = { ...PROMETHEUS, mechanism: 'docker' } as const;
const ALERTMANAGER = { job: 'alertmanager', instance: 'alertmanager:9093' } as const;

/** Samples every minute for 40 minutes unless a case needs longer. */
const SPAN = 40;

/** Ozon syncs counted by the application, ending in success. */
function ozonSyncs(values: string): InputSeries {
  return series(app.syncOperations, { ...API, platform: 'ozon', status: 'success', tenant_id: TENANT }, values);
}
/** The celery-exporter scraped every minute from the start, and 20 minutes past the usual span. */
const celeryScraped = series(scrape.up, CELERY, `1x${SPAN + 20}`);

/** API traffic: `perMinute[status]` requests a minute, all GET /api/v1/products/. */
function apiRequests(perMinute: Record<string, number>): InputSeries[] {
  return Object.entries(perMinute).map(([status, count]) =>
    series(app.httpRequests, { ...API, method: 'GET', endpoint: '/api/v1/products/', status }, `0+${count}x${SPAN}`),
  );
}

/** Request durations of GET /api/v1/products/, as the Python client writes its bounds (`1.0`). */
function requestDurations(perMinute: Readonly<Record<string, number>>): InputSeries[] {
  return histogramSeries(
    app.httpRequestDuration,
    { ...API, method: 'GET', endpoint: '/api/v1/products/' },
    perMinute,
    SPAN,
  );
}

/**
 * One core, half idle for 10 minutes, then idle a share `idle` of the time. The 5-minute rate
 * sees only the new level from minute 15.
 */
function cpu(idle: number): InputSeries[] {
  return [
    series(node.cpuSeconds, { ...NODE, cpu: '0', mode: 'idle' }, `0+30x10 300+${Math.round(idle * 600) / 10}x${SPAN}`),
  ];
}

/** Host memory of 1000 bytes, half available for 2 minutes, then `available`. */
function memory(available: number): InputSeries[] {
  return [
    series(node.memoryTotal, NODE, `1000x${SPAN}`),
    series(node.memoryAvailable, NODE, `500 500 ${available}x${SPAN}`),
  ];
}

const ROOT_FS = { ...NODE, device: '/dev/sda1', fstype: 'ext4', mountpoint: '/' } as const;
/** A filesystem of 1000 bytes of which `available` is free from minute 2 on (500 before). */
function filesystem(labels: { device: string; fstype: string; mountpoint: string }, available: number): InputSeries[] {
  return [
    series(node.filesystemSize, { ...NODE, ...labels }, `1000x${SPAN}`),
    series(node.filesystemAvailable, { ...NODE, ...labels }, `500 500 ${available}x${SPAN}`),
  ];
}

/** Utilisation alert cases: fires at `firing`, quiet at `quiet` (shares of 1). */
function hostCases<P extends string>(
  alert: AlertRule<string, P>,
  input: (used: number) => InputSeries[],
  firing: number,
  quiet: number,
  activeFrom: Duration | PerRangeSelection<Duration>,
  labels: { readonly [K in P]?: string },
) {
  return casesFor(alert, {
    fires: [{ name: `${firing * 100}% used`, input: input(firing), activeFrom, labels, value: `${firing * 100}%` }],
    quiet: [{ name: `${quiet * 100}% is below the threshold`, input: input(quiet), at: minutes(30) }],
  });
}

function diskCases(
  alert: AlertRule<'job' | 'instance' | 'device' | 'fstype' | 'mountpoint'>,
  firingFree: number,
  quietFree: number,
) {
  return casesFor(alert, {
    fires: [
      {
        name: `${100 - firingFree / 10}% of / used`,
        input: filesystem(ROOT_FS, firingFree),
        activeFrom: minutes(2),
        labels: ROOT_FS,
        value: `${100 - firingFree / 10}%`,
      },
    ],
    quiet: [
      {
        name: `/ at ${100 - quietFree / 10}%; full tmpfs and overlay filesystems are ignored`,
        input: [
          ...filesystem(ROOT_FS, quietFree),
          ...filesystem({ device: 'tmpfs', fstype: 'tmpfs', mountpoint: '/run' }, 1),
          ...filesystem({ device: 'overlay', fstype: 'overlay', mountpoint: '/var/lib/docker/overlay2/x/merged' }, 1),
        ],
        at: minutes(20),
      },
    ],
  });
}

/** A filesystem's available space, sampled every minute for `FILLING_SPAN` minutes. */
const FILLING_SPAN = 200;

/**
 * A filesystem of 40000 bytes whose available space starts at `available` and falls by `perMinute`
 * every minute: at that rate it is full `available(t) / perMinute` minutes after `t`.
 */
function fillingFilesystem(
  available: number,
  perMinute: number,
  options: { fs?: { device: string; fstype: string; mountpoint: string }; readonly?: boolean } = {},
): InputSeries[] {
  const labels = { ...NODE, ...(options.fs ?? ROOT_FS) };
  return [
    series(node.filesystemSize, labels, `40000x${FILLING_SPAN}`),
    series(node.filesystemAvailable, labels, `${available}-${perMinute}x${FILLING_SPAN}`),
    series(node.filesystemReadonly, labels, `${options.readonly ? 1 : 0}x${FILLING_SPAN}`),
  ];
}

/** A backend behind an exporter: down by `*_up`, by the exporter's own target, and healthy. */
function backendDownCases(
  alert: AlertRule<'job', 'job' | 'instance'>,
  backendUp: typeof postgres.up | typeof redis.up,
  exporter: typeof PG_EXPORTER | typeof REDIS_EXPORTER,
) {
  return casesFor(alert, {
    fires: [
      {
        name: 'the exporter is up but reports the backend down',
        input: [series(backendUp, exporter, `1 1 0x${SPAN}`), series(scrape.up, exporter, `1x${SPAN}`)],
        activeFrom: minutes(2),
        labels: exporter,
      },
      {
        name: 'the exporter itself cannot be scraped',
        input: [series(backendUp, exporter, `1 1 stale`), series(scrape.up, exporter, `1 1 0x${SPAN}`)],
        activeFrom: minutes(2),
        labels: exporter,
      },
      {
        name: 'no exporter target exists at all',
        input: [series(scrape.up, API, `1x${SPAN}`)],
        activeFrom: minutes(0),
        labels: { job: exporter.job },
      },
    ],
    quiet: [
      {
        name: 'one failed check is shorter than the 1m `for`',
        input: [series(backendUp, exporter, `1 1 0 1x${SPAN}`), series(scrape.up, exporter, `1x${SPAN}`)],
        at: minutes(3),
      },
    ],
  });
}

function reloadCases(
  alert: AlertRule<'job' | 'instance'>,
  metric: typeof prometheus.configReloadSuccessful | typeof alertmanager.configReloadSuccessful,
  target: typeof PROMETHEUS | typeof ALERTMANAGER,
) {
  return casesFor(alert, {
    fires: [
      {
        name: 'the last reload failed',
        input: [series(metric, target, `1 1 0x${SPAN}`)],
        activeFrom: minutes(2),
        labels: target,
      },
    ],
    quiet: [
      {
        name: 'a failed reload fixed within 9 minutes',
        input: [series(metric, target, `1 0x8 1x${SPAN}`)],
        at: minutes(12),
      },
    ],
  });
}

const PG_CONNECTIONS = (idle: number) => [
  series(postgres.activityCount, { ...PG_EXPORTER, datname: 'stock_tracker', state: 'active' }, `50x${SPAN}`),
  series(postgres.activityCount, { ...PG_EXPORTER, datname: 'stock_tracker', state: 'idle' }, `10 10 ${idle}x${SPAN}`),
];

function connectionCases(alert: AlertRule<'instance'>, firing: number, quiet: number) {
  return casesFor(alert, {
    fires: [
      {
        name: `${firing} connections`,
        input: PG_CONNECTIONS(firing - 50),
        activeFrom: minutes(2),
        labels: { instance: PG_EXPORTER.instance },
        value: String(firing),
      },
    ],
    quiet: [
      { name: `${quiet} connections is not above the threshold`, input: PG_CONNECTIONS(quiet - 50), at: minutes(20) },
    ],
  });
}

/**
 * The celery-exporter's task counters for one task, as it exposes them: per run that ended well,
 * failed for good, or was retried, `perMinute` of each, every counter present from the start.
 */
function taskEvents(
  name: string,
  queue: string,
  perMinute: { succeeded: number; failed: number; retried?: number },
  values?: (count: number) => string,
): InputSeries[] {
  const labels = { ...CELERY, name, hostname: WORKER_HOST, queue_name: queue };
  const rise = values ?? ((count: number) => `0+${count}x${SPAN}`);
  return [
    series(celery.tasksReceived, labels, rise(perMinute.succeeded + perMinute.failed + (perMinute.retried ?? 0))),
    series(celery.tasksSucceeded, labels, rise(perMinute.succeeded)),
    series(celery.tasksFailed, { ...labels, exception: '' }, `0x${SPAN + 20}`),
    series(celery.tasksFailed, { ...labels, exception: 'TimeoutError' }, rise(perMinute.failed)),
    series(celery.tasksRetried, labels, rise(perMinute.retried ?? 0)),
  ];
}

/** Runs of the sync task. */
function syncTask(
  perMinute: { succeeded: number; failed: number; retried?: number },
  values?: (count: number) => string,
): InputSeries[] {
  return taskEvents(SYNC_TASK, 'sync', perMinute, values);
}

/** Syncs the application counts, per minute, of one marketplace. */
function syncs(platform: 'wildberries' | 'ozon', perMinute: { success: number; failure: number }): InputSeries[] {
  return (['success', 'failure'] as const).map((status) =>
    series(app.syncOperations, { ...API, platform, status, tenant_id: TENANT }, `0+${perMinute[status]}x${SPAN}`),
  );
}

function sheetsErrors(values: string): InputSeries[] {
  return [series(app.sheetsOperations, { ...API, operation: 'update', status: 'error', tenant_id: TENANT }, values)];
}

/** The celery-exporter's view of the workers: how many consume each queue (the compose worker takes sync and default). */
function consumers(values: { sync: string; default: string; maintenance: string }): InputSeries[] {
  return (['sync', 'default', 'maintenance'] as const).map((queue) =>
    series(celery.activeWorkers, { ...CELERY, queue_name: queue }, values[queue]),
  );
}

function tsdb(metric: typeof prometheus.tsdbCompactionsFailed, values: string): InputSeries[] {
  return [series(metric, PROMETHEUS, values)];
}

function notifications(failedPerMinute: number, totalPerMinute: number): InputSeries[] {
  return [
    series(
      alertmanager.notificationsFailed,
      { ...ALERTMANAGER, integration: 'telegram' },
      `0+${failedPerMinute}x${SPAN}`,
    ),
    series(alertmanager.notifications, { ...ALERTMANAGER, integration: 'telegram' }, `0+${totalPerMinute}x${SPAN}`),
  ];
}

/**
 * A Docker container as cAdvisor labels its series (metrics/prometheus.go BaseContainerLabels): `id`
 * the cgroup (Docker's systemd cgroup driver), `name` the container's name, `image` as it was run.
 */
export const API_CONTAINER = {
  job: 'cadvisor',
  instance: 'stock-tracker-cadvisor:8080',
  name: 'stock-tracker-api',
  image: 'stock-tracker/api:1.4.2',
  id: '/system.slice/docker-4f2a9c6e1b7d3058a4c2e9f61d0b8a7c5e3f2d1a9b8c7d6e5f4a3b2c1d0e9f8a.scope',
} as const;

/** 2026-01-01T00:00:00Z, when the container was created (Unix seconds). */
const CREATED = 1_767_225_600;

/**
 * cAdvisor's `container_start_time_seconds` of API_CONTAINER when Docker's restart policy restarts
 * it at each of `restartsAt` (minutes, ascending), as cAdvisor exports it with the stack's flags: a
 * first series without restart count, then at each restart the old series ends and one labelled
 * with the next `container_label_restartcount` begins. Its value is the creation time in every
 * series up to cAdvisor 0.56 (`creation`), the start of the run from 0.57 (`run`).
 */
export function restartedContainer(
  restartsAt: readonly number[],
  value: 'creation' | 'run' = 'creation',
): InputSeries[] {
  const starts = [0, ...restartsAt];
  return starts.map((start, run) => {
    const end = starts[run + 1];
    const sample = value === 'creation' ? CREATED : CREATED + start * 60;
    const before = start > 0 ? `_x${start} ` : '';
    const samples = end === undefined ? `${sample}x${SPAN - start}` : `${sample}x${end - start - 1} stale`;
    return series(
      cadvisor.startTime,
      { ...API_CONTAINER, container_label_restartcount: run > 0 ? String(run) : undefined },
      `${before}${samples}`,
    );
  });
}

/** The API answers its scrape every minute. */
const apiUp = series(scrape.up, API, `1x${SPAN}`);

/** A contract's warning: fires for a target that is up without any of the group (`besides` are there), quiet once one is. */
function contractCases(alert: AlertRule<'job' | 'instance'>, present: InputSeries, besides: InputSeries[] = []) {
  return casesFor(alert, {
    fires: [
      {
        name: `the target answers without any of them${besides.length > 0 ? ', only with other series' : ''}`,
        input: [apiUp, ...besides],
        activeFrom: minutes(0),
        labels: API,
      },
    ],
    quiet: [
      { name: 'one of them is there', input: [apiUp, present], at: minutes(20) },
      { name: 'the target is down: APIDown says so', input: [series(scrape.up, API, `0x${SPAN}`)], at: minutes(20) },
    ],
  });
}

/** Tasks the worker is running, from its heartbeats (sent without task events too). */
function tasksActive(values: string): InputSeries {
  return series(celery.workerTasksActive, { ...CELERY, hostname: WORKER_HOST }, values);
}

export const ALERT_CASES: { readonly [N in AlertName]: AlertTestSuite } = {
  ...sloAlertCases(DEFAULT_SLO_SETTINGS),
  APIDown: casesFor(ALERTS.APIDown, {
    fires: [
      {
        name: 'the API target stops answering',
        input: [series(scrape.up, API, `1 1 0x${SPAN}`)],
        activeFrom: minutes(2),
        labels: API,
      },
      {
        name: 'no API target is scraped at all',
        input: [series(scrape.up, CELERY, `1x${SPAN}`)],
        activeFrom: minutes(0),
        labels: { job: 'api' },
      },
      {
        name: 'a static API target stops answering while the discovery fails: it still pages',
        input: [
          series(scrape.up, API, `1 1 0x${SPAN}`),
          series(prometheus.serviceDiscoveryRefreshFailures, DOCKER_SD, `0+2x${SPAN}`),
        ],
        activeFrom: minutes(2),
        labels: API,
      },
    ],
    quiet: [
      {
        // Prometheus started with a socket it may not read (a wrong DOCKER_GROUP_ID): the discovery
        // never found the API; ServiceDiscoveryFailing pages, not APIDown.
        name: 'no API target while every discovery refresh fails',
        input: [
          series(scrape.up, CELERY, `1x${SPAN}`),
          series(prometheus.serviceDiscoveryRefreshFailures, DOCKER_SD, `0+2x${SPAN}`),
        ],
        at: minutes(10),
      },
      {
        name: 'one failed scrape is shorter than the 1m `for`',
        input: [series(scrape.up, API, `1 1 0 1x${SPAN}`)],
        at: minutes(3),
      },
    ],
  }),
  PostgreSQLDown: backendDownCases(ALERTS.PostgreSQLDown, postgres.up, PG_EXPORTER),
  RedisDown: backendDownCases(ALERTS.RedisDown, redis.up, REDIS_EXPORTER),
  CeleryWorkerDown: casesFor(ALERTS.CeleryWorkerDown, {
    fires: [
      {
        name: 'no worker answers on any queue',
        input: [
          ...consumers({ sync: `1 1 0x${SPAN}`, default: `1 1 0x${SPAN}`, maintenance: `0x${SPAN}` }),
          series(scrape.up, CELERY, `1x${SPAN}`),
        ],
        activeFrom: minutes(2),
        labels: CELERY,
      },
      {
        name: 'the celery-exporter answers without any queue: it never saw a worker',
        input: [series(scrape.up, CELERY, `1x${SPAN}`)],
        activeFrom: minutes(0),
        labels: CELERY,
      },
      {
        name: 'the celery-exporter cannot be scraped',
        input: [
          ...consumers({ sync: '1 1 stale', default: '1 1 stale', maintenance: '0 0 stale' }),
          series(scrape.up, CELERY, `1 1 0x${SPAN}`),
        ],
        activeFrom: minutes(2),
        labels: CELERY,
      },
      {
        name: 'no celery-exporter is scraped at all',
        input: [series(scrape.up, API, `1x${SPAN}`)],
        activeFrom: minutes(0),
        labels: { job: 'celery' },
      },
    ],
    quiet: [
      {
        name: 'Redis (the broker) is down, and for 2 minutes after it is back: RedisDown is the page',
        input: [
          ...consumers({ sync: '1 1 0x14 1x30', default: '1 1 0x14 1x30', maintenance: `0x${SPAN}` }),
          series(scrape.up, CELERY, `1x${SPAN}`),
          series(redis.up, REDIS_EXPORTER, '1 1 0x12 1x30'),
        ],
        at: minutes(15),
      },
      {
        name: 'nobody consumes maintenance, but a worker takes sync and default',
        input: [
          ...consumers({ sync: `1x${SPAN}`, default: `1x${SPAN}`, maintenance: `0x${SPAN}` }),
          series(scrape.up, CELERY, `1x${SPAN}`),
        ],
        at: minutes(20),
      },
      {
        name: 'the worker restarts within the 2m `for`',
        input: [
          ...consumers({ sync: `1 1 0 0 1x${SPAN}`, default: `1 1 0 0 1x${SPAN}`, maintenance: `0x${SPAN}` }),
          series(scrape.up, CELERY, `1x${SPAN}`),
        ],
        at: minutes(4),
      },
    ],
  }),
  HighErrorRate: casesFor(ALERTS.HighErrorRate, {
    fires: [
      {
        name: '10% of 1 request/s fail',
        input: apiRequests({ 200: 54, 500: 6 }),
        activeFrom: minutes(1),
        labels: { job: 'api' },
        value: '10%',
      },
    ],
    quiet: [
      { name: '4% errors is below 5%', input: apiRequests({ 200: 96, 503: 4 }), at: minutes(20) },
      {
        // The 5-minute ratio stays above 5% until minute 17, past the 5m `for`: without the "still
        // answering 5xx" clause this pages at minute 16, three minutes after the burst ended.
        name: 'a 3-minute burst of 29% errors that ended at minute 13',
        input: [
          ...apiRequests({ 200: 60 }),
          series(
            app.httpRequests,
            { ...API, method: 'GET', endpoint: '/api/v1/products/', status: '500' },
            `0x10 25 50 75x${SPAN}`,
          ),
        ],
        at: minutes(16),
      },
      {
        name: '50% errors at 0.05 requests/s is too little traffic to judge',
        input: apiRequests({ 200: 1.5, 500: 1.5 }),
        at: minutes(20),
      },
      {
        name: '10% errors, but 4 in 5 minutes (of 40 requests) are too few to judge',
        input: apiRequests({ 200: 7.2, 500: 0.8 }),
        at: minutes(20),
      },
    ],
  }),
  DatabaseConnectionPoolExhausted: connectionCases(ALERTS.DatabaseConnectionPoolExhausted, 96, 95),
  CriticalCPUUsage: hostCases(ALERTS.CriticalCPUUsage, (used) => cpu(1 - used), 0.96, 0.94, windowEdge(15), {
    instance: NODE.instance,
  }),
  CriticalMemoryUsage: hostCases(
    ALERTS.CriticalMemoryUsage,
    (used) => memory(1000 - used * 1000),
    0.96,
    0.94,
    minutes(2),
    NODE,
  ),
  CriticalDiskUsage: diskCases(ALERTS.CriticalDiskUsage, 40, 60),
  HighLatency: casesFor(ALERTS.HighLatency, {
    fires: [
      {
        name: '10% of requests take 2.5-5 s (p95 about 3.1 s)',
        input: [...apiRequests({ 200: 60 }), ...requestDurations({ '1.0': 50, '2.5': 54, '5.0': 60, '+Inf': 60 })],
        activeFrom: minutes(1),
        labels: { job: 'api' },
        value: '10%',
      },
    ],
    quiet: [
      {
        name: 'every request takes 1-2.5 s: p95 interpolates to 2.4 s, above the required 2 s, but not one request is slower than 2.5 s',
        input: [...apiRequests({ 200: 60 }), ...requestDurations({ '1.0': 0, '2.5': 60, '5.0': 60, '+Inf': 60 })],
        at: minutes(20),
      },
      {
        name: '4% of requests slower than 2.5 s (p95 below it)',
        input: [
          ...apiRequests({ 200: 100 }),
          ...histogramSeries(
            app.httpRequestDuration,
            { ...API, method: 'GET', endpoint: '/api/v1/products/' },
            { '2.5': 96, '+Inf': 100 },
            SPAN,
          ),
        ],
        at: minutes(20),
      },
    ],
  }),
  SlowDatabaseQueries: casesFor(ALERTS.SlowDatabaseQueries, {
    fires: [
      {
        name: '10% of queries take longer than 1 s, the highest bucket (histogram_quantile would stop at 1 s)',
        input: histogramSeries(
          app.dbQueryDuration,
          { ...API, operation: 'select' },
          { '0.5': 40, '1.0': 54, '+Inf': 60 },
          SPAN,
        ),
        activeFrom: minutes(1),
        labels: { job: 'api' },
        value: '10%',
      },
    ],
    quiet: [
      {
        name: '4% of queries take longer than 1 s',
        input: histogramSeries(app.dbQueryDuration, { ...API, operation: 'select' }, { '1.0': 96, '+Inf': 100 }, SPAN),
        at: minutes(20),
      },
    ],
  }),
  HighDatabaseConnections: connectionCases(ALERTS.HighDatabaseConnections, 81, 80),
  RedisEvictingKeys: casesFor(ALERTS.RedisEvictingKeys, {
    fires: [
      {
        name: 'Redis evicts keys',
        input: [series(redis.evictedKeys, REDIS_EXPORTER, `0 0 0 10+10x${SPAN}`)],
        activeFrom: minutes(3),
        labels: REDIS_EXPORTER,
        value: '10',
      },
    ],
    quiet: [
      {
        name: 'no eviction in 5 minutes',
        input: [series(redis.evictedKeys, REDIS_EXPORTER, `0 0 10x${SPAN}`)],
        at: minutes(10),
      },
    ],
  }),
  RedisHighMemoryUsage: casesFor(ALERTS.RedisHighMemoryUsage, {
    fires: [
      {
        name: '95% of maxmemory used',
        input: [
          series(redis.memoryMax, REDIS_EXPORTER, `1000x${SPAN}`),
          series(redis.memoryUsed, REDIS_EXPORTER, `500 500 950x${SPAN}`),
        ],
        activeFrom: minutes(2),
        labels: REDIS_EXPORTER,
        value: '95%',
      },
    ],
    quiet: [
      {
        name: '89% is below 90%',
        input: [
          series(redis.memoryMax, REDIS_EXPORTER, `1000x${SPAN}`),
          series(redis.memoryUsed, REDIS_EXPORTER, `890x${SPAN}`),
        ],
        at: minutes(20),
      },
      {
        name: 'no maxmemory set (0): no ratio, no division by zero',
        input: [
          series(redis.memoryMax, REDIS_EXPORTER, `0x${SPAN}`),
          series(redis.memoryUsed, REDIS_EXPORTER, `950x${SPAN}`),
        ],
        at: minutes(20),
      },
    ],
  }),
  CeleryQueueBacklog: casesFor(ALERTS.CeleryQueueBacklog, {
    fires: [
      {
        name: '150 tasks waiting',
        input: [series(celery.queueLength, { ...CELERY, queue_name: 'sync' }, `50 50 150x${SPAN}`)],
        activeFrom: minutes(2),
        labels: { queue_name: 'sync' },
        value: '150',
      },
      {
        name: 'health checks pile up in maintenance, which no worker consumes',
        input: [series(celery.queueLength, { ...CELERY, queue_name: 'maintenance' }, `90+1x${SPAN}`)],
        activeFrom: minutes(11),
        labels: { queue_name: 'maintenance' },
        value: '111',
      },
    ],
    quiet: [
      {
        name: '100 tasks is not above the threshold',
        input: [series(celery.queueLength, { ...CELERY, queue_name: 'sync' }, `100x${SPAN}`)],
        at: minutes(20),
      },
      {
        name: "the application's own gauge of the same name (job api) is not the exporter's",
        input: [series(app.celeryQueueLength, { ...API, queue_name: 'sync' }, `500x${SPAN}`)],
        at: minutes(20),
      },
    ],
  }),
  CeleryHighFailureRate: casesFor(ALERTS.CeleryHighFailureRate, {
    fires: [
      {
        name: '20% of runs fail for good; retries do not dilute the ratio',
        input: syncTask({ succeeded: 48, failed: 12, retried: 600 }),
        activeFrom: minutes(1),
        labels: { name: SYNC_TASK },
        value: '20%',
      },
      {
        name: 'a low-volume task: 4 of 8 runs in 5 minutes fail, enough failures to judge',
        input: taskEvents('stock_tracker.workers.tasks.cleanup_old_logs', 'default', { succeeded: 0.8, failed: 0.8 }),
        // From 4 minutes the 5-minute window holds enough samples for the count of failures (rate × 5m) to reach 3.
        activeFrom: minutes(4),
        labels: { name: 'stock_tracker.workers.tasks.cleanup_old_logs' },
        value: '50%',
      },
    ],
    quiet: [
      { name: '8% is below 10%', input: syncTask({ succeeded: 46, failed: 4 }), at: minutes(20) },
      {
        name: '50% failures at 0.01 tasks/s is too little traffic to judge',
        input: syncTask({ succeeded: 0.3, failed: 0.3 }),
        at: minutes(20),
      },
      {
        name: 'a low-volume task: 2 of 8 runs in 5 minutes fail (25%), too few failures to judge',
        input: taskEvents('stock_tracker.workers.tasks.cleanup_old_logs', 'default', { succeeded: 1.2, failed: 0.4 }),
        at: minutes(20),
      },
    ],
  }),
  HighCPUUsage: hostCases(ALERTS.HighCPUUsage, (used) => cpu(1 - used), 0.9, 0.79, windowEdge(14), {
    instance: NODE.instance,
  }),
  HighMemoryUsage: hostCases(ALERTS.HighMemoryUsage, (used) => memory(1000 - used * 1000), 0.9, 0.84, minutes(2), NODE),
  HighDiskUsage: diskCases(ALERTS.HighDiskUsage, 100, 160),
  DiskFillingUp: casesFor(ALERTS.DiskFillingUp, {
    fires: [
      {
        // 10 bytes a minute is 14400 a day: from minute 61 less than that is left (14395), at minute 60 more (14405).
        name: 'losing 10 bytes a minute with 14395 left: full in 23h59m30s; fires an hour later, 65.51% used',
        input: fillingFilesystem(15005, 10),
        activeFrom: minutes(61),
        labels: ROOT_FS,
        value: '65.51%',
      },
    ],
    quiet: [
      {
        name: 'losing 10 bytes a minute with 15000 left (62.5% used): full in 25 hours',
        input: fillingFilesystem(16200, 10),
        at: minutes(120),
      },
      {
        name: 'filling twice as fast, but 57.5% used: below the level from which growth is watched',
        input: fillingFilesystem(20000, 20),
        at: minutes(150),
      },
      {
        name: 'read-only: nothing writes to it',
        input: fillingFilesystem(15005, 10, { readonly: true }),
        at: minutes(150),
      },
      {
        name: 'a tmpfs filling as fast: memory, not disk',
        input: fillingFilesystem(15005, 10, { fs: { device: 'tmpfs', fstype: 'tmpfs', mountpoint: '/run' } }),
        at: minutes(150),
      },
    ],
  }),
  SyncOperationFailures: casesFor(ALERTS.SyncOperationFailures, {
    fires: [
      {
        name: "40% of Wildberries syncs fail (the application's counters)",
        input: [...syncs('wildberries', { success: 6, failure: 4 }), ...syncs('ozon', { success: 10, failure: 0 })],
        activeFrom: minutes(1),
        labels: { platform: 'wildberries' },
        value: '40%',
      },
      {
        name: '40% of sync task runs fail for good, no application counters (all marketplaces)',
        input: syncTask({ succeeded: 6, failed: 4 }),
        activeFrom: minutes(1),
        labels: { platform: 'all marketplaces' },
        value: '40%',
      },
    ],
    quiet: [
      { name: '28% is below 30%', input: syncs('wildberries', { success: 7.2, failure: 2.8 }), at: minutes(30) },
      {
        name: "the sync task fails 40%, but the application's counters exist and say 0%: they are preferred",
        input: [...syncTask({ succeeded: 6, failed: 4 }), ...syncs('ozon', { success: 10, failure: 0 })],
        at: minutes(30),
      },
    ],
  }),
  NoSyncActivity: casesFor(ALERTS.NoSyncActivity, {
    fires: [
      {
        name: "the application's last sync ended 30 minutes ago",
        input: [ozonSyncs(`0+1x10 10x${SPAN + 20}`), celeryScraped],
        activeFrom: windowEdge(40),
        labels: {},
      },
      {
        name: "the sync task's last run ended 30 minutes ago",
        input: [
          ...syncTask({ succeeded: 1, failed: 0 }, (count) => `0+${count}x10 ${count * 10}x${SPAN + 20}`),
          celeryScraped,
        ],
        activeFrom: windowEdge(40),
        labels: {},
      },
      {
        name: 'other tasks send events, the sync task never ran',
        input: [
          ...taskEvents(
            'stock_tracker.workers.tasks.schedule_tenant_syncs',
            'default',
            { succeeded: 1, failed: 0 },
            (count) => `0+${count}x${SPAN + 20}`,
          ),
          celeryScraped,
        ],
        activeFrom: minutes(30),
        labels: { name: SYNC_TASK },
      },
    ],
    quiet: [
      {
        name: 'the last sync inside the 30-minute window (its counter rose from minute 9 to 10)',
        input: [ozonSyncs(`0+1x10 10x${SPAN + 20}`), celeryScraped],
        at: windowEdge(39),
      },
      {
        name: 'a fresh Prometheus: no sync in its first 29 minutes',
        input: [ozonSyncs(`5x${SPAN}`), celeryScraped],
        at: minutes(29),
      },
      {
        name: 'no task events at all: blind, not silent (CeleryTaskEventsMissing says so)',
        input: [celeryScraped],
        at: minutes(50),
      },
    ],
  }),
  GoogleSheetsAPIErrors: casesFor(ALERTS.GoogleSheetsAPIErrors, {
    fires: [
      {
        name: '30 failed updates',
        input: sheetsErrors(`0x5 30x${SPAN}`),
        activeFrom: minutes(6),
        labels: { operation: 'update' },
        value: '30',
      },
    ],
    quiet: [
      { name: '5 failed updates is not above the threshold', input: sheetsErrors(`0x5 5x${SPAN}`), at: minutes(12) },
    ],
  }),
  Watchdog: casesFor(ALERTS.Watchdog, {
    fires: [{ name: 'always, from the first evaluation', input: [], activeFrom: minutes(0), labels: {} }],
    quiet: { alwaysFires: "a dead man's switch: its silence is the alarm" },
  }),
  TargetDown: casesFor(ALERTS.TargetDown, {
    fires: [
      {
        name: 'node-exporter stops answering',
        input: [series(scrape.up, NODE, `1 0x${SPAN}`)],
        activeFrom: minutes(1),
        labels: NODE,
      },
    ],
    quiet: [
      {
        name: 'down for 4 minutes, less than the 5m `for`',
        input: [series(scrape.up, NODE, `1 0 0 0 0 1x${SPAN}`)],
        at: minutes(6),
      },
    ],
  }),
  ServiceDiscoveryFailing: casesFor(ALERTS.ServiceDiscoveryFailing, {
    fires: [
      {
        // As Prometheus counts them (2.42 and 3.5.3 on a socket it cannot open): every refresh ends
        // in its duration summary's count, and a failed one in the failure counter too.
        name: 'every Docker discovery refresh fails (a refresh every 30 s)',
        input: [
          series(prometheus.serviceDiscoveryRefreshFailures, DOCKER_SD, `0+2x${SPAN}`),
          series(prometheus.serviceDiscoveryRefreshes, DOCKER_SD, `0+2x${SPAN}`),
        ],
        activeFrom: minutes(1),
        labels: DOCKER_SD,
        value: '100%',
      },
      {
        // Prometheus counts the failure before it observes the refresh (discovery/refresh/refresh.go):
        // scraped between the two, the failures run ahead and the raw share is above 1 (seen on CI).
        name: 'more failures read than refreshes: the share is 100%, not more',
        input: [
          series(prometheus.serviceDiscoveryRefreshFailures, DOCKER_SD, `0+2.2x${SPAN}`),
          series(prometheus.serviceDiscoveryRefreshes, DOCKER_SD, `0+2x${SPAN}`),
        ],
        activeFrom: minutes(1),
        labels: DOCKER_SD,
        value: '100%',
      },
      {
        name: 'every refresh fails with refresh_interval 2m: the share does not depend on the interval',
        input: [
          series(prometheus.serviceDiscoveryRefreshFailures, DOCKER_SD, `0+0.5x${SPAN}`),
          series(prometheus.serviceDiscoveryRefreshes, DOCKER_SD, `0+0.5x${SPAN}`),
        ],
        activeFrom: minutes(1),
        labels: DOCKER_SD,
        value: '100%',
      },
    ],
    quiet: [
      {
        name: 'three refreshes in ten fail: a flaky engine, not a broken discovery',
        input: [
          series(prometheus.serviceDiscoveryRefreshFailures, DOCKER_SD, `0+0.6x${SPAN}`),
          series(prometheus.serviceDiscoveryRefreshes, DOCKER_SD, `0+2x${SPAN}`),
        ],
        at: minutes(20),
      },
    ],
  }),
  PrometheusRuleEvaluationFailures: casesFor(ALERTS.PrometheusRuleEvaluationFailures, {
    fires: [
      {
        name: 'one failure a minute',
        input: [
          series(
            prometheus.ruleEvaluationFailures,
            { ...PROMETHEUS, rule_group: '/etc/prometheus/rules/host.yml;host' },
            `0 0 1+1x${SPAN}`,
          ),
        ],
        activeFrom: minutes(2),
        labels: { ...PROMETHEUS, rule_group: '/etc/prometheus/rules/host.yml;host' },
        value: '5',
      },
    ],
    quiet: [
      {
        name: 'a single failure more than 5 minutes ago',
        input: [
          series(
            prometheus.ruleEvaluationFailures,
            { ...PROMETHEUS, rule_group: '/etc/prometheus/rules/host.yml;host' },
            `0 1x${SPAN}`,
          ),
        ],
        at: minutes(10),
      },
    ],
  }),
  PrometheusConfigReloadFailed: reloadCases(
    ALERTS.PrometheusConfigReloadFailed,
    prometheus.configReloadSuccessful,
    PROMETHEUS,
  ),
  PrometheusTSDBFailures: casesFor(ALERTS.PrometheusTSDBFailures, {
    fires: [
      {
        name: 'a compaction failed',
        input: tsdb(prometheus.tsdbCompactionsFailed, `0 0 1x${SPAN}`),
        activeFrom: minutes(2),
        labels: PROMETHEUS,
      },
      {
        name: 'the WAL is corrupted',
        input: tsdb(prometheus.tsdbWalCorruptions, `0 0 0 1x${SPAN}`),
        activeFrom: minutes(3),
        labels: PROMETHEUS,
      },
    ],
    quiet: [
      {
        name: 'no failure in any TSDB counter',
        input: [
          prometheus.tsdbCompactionsFailed,
          prometheus.tsdbHeadTruncationsFailed,
          prometheus.tsdbReloadsFailed,
          prometheus.tsdbWalCorruptions,
        ].flatMap((metric) => tsdb(metric, `0x${SPAN}`)),
        at: minutes(20),
      },
    ],
  }),
  AlertmanagerNotificationsFailing: casesFor(ALERTS.AlertmanagerNotificationsFailing, {
    fires: [
      {
        name: 'one Telegram notification in four fails',
        input: notifications(1, 4),
        activeFrom: minutes(1),
        labels: { ...ALERTMANAGER, integration: 'telegram' },
        value: '25%',
      },
    ],
    quiet: [{ name: '5% is below 10%', input: notifications(1, 20), at: minutes(20) }],
  }),
  AlertmanagerConfigReloadFailed: reloadCases(
    ALERTS.AlertmanagerConfigReloadFailed,
    alertmanager.configReloadSuccessful,
    ALERTMANAGER,
  ),
  RequestMetricsMissing: contractCases(
    ALERTS.RequestMetricsMissing,
    series(app.httpRequests, { ...API, method: 'GET', endpoint: '/api/v1/health/', status: '200' }, `0+2x${SPAN}`),
  ),
  DatabaseMetricsMissing: contractCases(
    ALERTS.DatabaseMetricsMissing,
    observationCountSeries(app.dbQueryDuration, { ...API, operation: 'select' }, `0+10x${SPAN}`),
    // Request metrics, and the unlabelled connection gauge at the 0 it shows before anything sets it.
    [
      series(app.httpRequests, { ...API, method: 'GET', endpoint: '/api/v1/health/', status: '200' }, `0+2x${SPAN}`),
      series(app.dbConnectionsActive, API, `0x${SPAN}`),
    ],
  ),
  BusinessMetricsMissing: contractCases(ALERTS.BusinessMetricsMissing, ozonSyncs(`0+1x${SPAN}`)),
  CeleryTaskEventsMissing: casesFor(ALERTS.CeleryTaskEventsMissing, {
    fires: [
      {
        name: 'the workers run tasks (heartbeats), no task event arrives (no -E)',
        input: [tasksActive(`0 0 1 2 1 0x${SPAN}`), series(scrape.up, CELERY, `1x${SPAN}`)],
        activeFrom: minutes(2),
        labels: CELERY,
      },
      {
        name: 'task events stopped: the counters the exporter keeps stay flat while tasks run again',
        input: [
          tasksActive(`1x5 0x33 1x${SPAN}`),
          ...syncTask({ succeeded: 1, failed: 0 }, (count) => `0+${count}x5 ${count * 5}x${SPAN + 20}`),
        ],
        activeFrom: minutes(40),
        labels: CELERY,
      },
    ],
    quiet: [
      {
        name: 'task events arrive',
        input: [tasksActive(`1x${SPAN}`), ...syncTask({ succeeded: 1, failed: 0 })],
        at: minutes(20),
      },
      { name: 'no task ran: nothing to see, nothing missed', input: [tasksActive(`0x${SPAN}`)], at: minutes(20) },
    ],
  }),
  ContainerRestarting: casesFor(ALERTS.ContainerRestarting, {
    fires: [
      {
        name: 'three restarts of one container in 15 minutes (cAdvisor 0.47: the start time is the creation time)',
        input: restartedContainer([5, 8, 11]),
        activeFrom: minutes(11),
        labels: API_CONTAINER,
        value: '3',
      },
      {
        name: 'three restarts of one container in 15 minutes (cAdvisor 0.57 and later: the start time of each run)',
        input: restartedContainer([5, 8, 11], 'run'),
        activeFrom: minutes(11),
        labels: API_CONTAINER,
        value: '3',
      },
    ],
    quiet: [
      { name: 'two restarts in 15 minutes', input: restartedContainer([5, 8]), at: minutes(12) },
      {
        name: 'three restarts, the first 15 minutes before the third: it has left the window',
        input: restartedContainer([5, 12, 20]),
        at: minutes(20),
      },
    ],
  }),
};
