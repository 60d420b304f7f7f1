/**
 * Each component answers its own endpoint; the exporters also say whether they reach what they
 * watch (`pg_up`, `redis_up`; the celery-exporter by answering `/metrics` at all), which is how the
 * check sees the application's PostgreSQL, Redis and Celery broker.
 */
import { COMPONENTS, COMPONENT_DESCRIPTORS, ComponentName, JOB } from '../../core/components';
import { escapeRegex } from '../../core/regex';
import { METRICS, Metric } from '../../domain/metrics';
import { Check, CheckOutcome, failed, listed, notChecked, once, passed, unreachable } from './check';
import { HttpClient, excerpt } from '../../clients/http';
import { PrometheusApi, ScrapeTarget } from '../../clients/prometheus';
import { CheckTargets } from './targets';

export interface HealthEndpoint {
  /** Path that answers 200 when the component works (more than "the process runs"). */
  path: string;
  /** What the answer must say besides 200; default anything. */
  judge?: (body: string) => CheckOutcome;
  /** What another status than 200 means, where it means more than "not working". */
  notOk?: string;
}

/** Value of an unlabelled sample in a text exposition, or undefined when absent. */
export function sampleValue(exposition: string, metric: Metric): number | undefined {
  const line = new RegExp(`^${metric.name}(?:\\{[^}]*\\})? (\\S+)`, 'm').exec(exposition);
  return line ? Number(line[1]) : undefined;
}

/** An exporter's answer carries `metric` at 1: it reaches what it watches. */
function reaches(metric: Metric, backend: string): (body: string) => CheckOutcome {
  return (body) => {
    const value = sampleValue(body, metric);
    if (value === undefined) return failed(`answers, but without ${metric.name}: is it the right exporter?`);
    return value === 1
      ? passed(`answers; ${metric.name} 1: reaches ${backend}`)
      : failed(`answers, but ${metric.name} is ${value}: it cannot reach ${backend}`);
  };
}

function carries(metric: Metric): (body: string) => CheckOutcome {
  return (body) =>
    sampleValue(body, metric) === undefined
      ? failed(`answers, but without ${metric.name}`)
      : passed(`answers with ${metric.name}`);
}

/**
 * The celery-exporter answers `/metrics` with 200 only while it reaches the Celery broker (each scrape
 * asks it for queue lengths; without it the answer is 500, while `/health` still says 200:
 * __tests__/fixtures/celery-exporter/FACTS.md f).
 */
function reachesBroker(body: string): CheckOutcome {
  const lines = body.split('\n');
  const samples = lines.filter((line) => line.startsWith('celery_'));
  if (samples.length > 0) {
    const workersUp = samples.filter((line) => /^celery_worker_up(\{[^}]*\})? 1(\.0)?( |$)/.test(line)).length;
    const workers = `${workersUp} worker${workersUp === 1 ? '' : 's'} up`;
    return passed(`answers with ${samples.length} celery_ series: reaches the Celery broker; ${workers}`);
  }
  // Families without samples: the broker answered, but no worker or queue was seen yet.
  return lines.some((line) => line.startsWith('# TYPE celery_'))
    ? passed('answers: reaches the Celery broker; no celery_ series yet (no worker or queue seen)')
    : failed('answers, but without celery_ series: is it the celery-exporter?');
}

function grafanaDatabaseOk(body: string): CheckOutcome {
  const health = JSON.parse(body) as { database?: string; version?: string };
  return health.database === 'ok'
    ? passed(`version ${health.version ?? 'unknown'}, database ok`)
    : failed(`database ${health.database ?? 'not reported'}`);
}

/**
 * What a component's answer must say besides 200, where more than "it serves" can be read: the
 * exporters that watch a backend say whether they reach it.
 */
const JUDGES: Partial<Record<ComponentName, (body: string) => CheckOutcome>> = {
  grafana: grafanaDatabaseOk,
  postgresExporter: reaches(METRICS.postgres.up, 'PostgreSQL'),
  redisExporter: reaches(METRICS.redis.up, 'Redis'),
  nodeExporter: carries(METRICS.node.load1),
  celeryExporter: reachesBroker,
};

/** What a component's other answer than 200 says. */
const NOT_OK: Partial<Record<ComponentName, string>> = {
  celeryExporter: 'it cannot reach the Celery broker (the celery-exporter answers 500 on /metrics without it)',
};

/** Each component's health endpoint: its descriptor's `checkPath`, judged as above. */
export const HEALTH_ENDPOINTS: Readonly<Record<ComponentName, HealthEndpoint>> = Object.fromEntries(
  COMPONENTS.map((component) => {
    const judge = JUDGES[component];
    const notOk = NOT_OK[component];
    return [
      component,
      { path: COMPONENT_DESCRIPTORS[component].checkPath, ...(judge ? { judge } : {}), ...(notOk ? { notOk } : {}) },
    ];
  }),
) as Record<ComponentName, HealthEndpoint>;

/** One check per component: its health endpoint answers 200, and says it works. */
export function endpointChecks(targets: CheckTargets, http: HttpClient): Check[] {
  return COMPONENTS.map((component) => {
    const endpoint = HEALTH_ENDPOINTS[component];
    const url = `${targets.urls[component]}${endpoint.path}`;
    return {
      component,
      name: `answers ${endpoint.path}`,
      async run() {
        // HttpClient throws only when nothing answered: the component is not there (or not on this port).
        const answer = await http.get(url).catch((error: Error) => error);
        if (answer instanceof Error) return unreachable(new URL(url).host, answer.message);
        if (answer.status !== 200) {
          const meaning = endpoint.notOk ? `: ${endpoint.notOk}` : '';
          return failed(`${url} answered ${answer.status}: ${excerpt(answer.body)}${meaning}`);
        }
        return endpoint.judge ? endpoint.judge(answer.body) : passed(`answers: ${excerpt(answer.body, 60)}`);
      },
    };
  });
}

const APP_METRIC_NAMES = Object.values(METRICS.app).map((metric) => metric.name);

/** How many of monitoring.py's metrics the API exposes, as a verdict (a histogram counts by any of its series). */
function judgeAppMetrics(exposed: number): CheckOutcome {
  if (exposed === 0) {
    return failed(
      `answers, but with none of the ${APP_METRIC_NAMES.length} metrics of monitoring.py's PrometheusMetrics (only process metrics?): see README, Connecting to Stock Tracker`,
    );
  }
  return passed(
    `answers with ${exposed} of the ${APP_METRIC_NAMES.length} metrics of monitoring.py's PrometheusMetrics`,
  );
}

/**
 * The API at `url`, which this host gives no answer from (`why`), judged by what Prometheus says of
 * its targets of job `api`: the one at that URL (or instance), else every one it has. Not checked
 * when Prometheus does not answer either.
 */
async function apiThroughPrometheus(
  url: string,
  why: string,
  prometheus: PrometheusApi,
  scrapeTargets: () => Promise<ScrapeTarget[]>,
): Promise<CheckOutcome> {
  const host = new URL(url).host;
  const judged = `judged through Prometheus, as this host gets no answer from ${host} (${why})`;
  const all = await scrapeTargets().catch((error: Error) => error);
  if (all instanceof Error) {
    return notChecked(
      `not checked: ${host}: ${why}, and Prometheus gives no answer either: pass --api-url with the address the API is published on`,
      host,
    );
  }
  const ofJob = all.filter((target) => target.scrapePool === JOB.api);
  const same = ofJob.filter((target) => target.scrapeUrl === url || target.labels.instance === host);
  const seen = same.length > 0 ? same : ofJob;
  if (seen.length === 0) return failed(`${judged}: Prometheus has no target of job ${JOB.api}`);
  const instances = seen.map((target) => target.labels.instance);
  const down = seen.filter((target) => target.health !== 'up');
  if (down.length > 0) {
    return failed(
      `${judged}: ${listed(
        down.map(
          (t) =>
            `${t.labels.instance} ${t.health === 'unknown' ? 'not scraped yet' : `down: ${t.lastError || 'no error given'}`}`,
        ),
        2,
      )}`,
    );
  }
  // Raw (backquoted) PromQL strings: the escaped dots of an address stay as they are.
  const names = `(${APP_METRIC_NAMES.join('|')})(_bucket|_count|_sum)?`;
  const selector = `job="${JOB.api}",instance=~\`${instances.map(escapeRegex).join('|')}\`,__name__=~\`${names}\``;
  const series = (await prometheus.query(`count by (__name__) ({${selector}})`)).map((s) => s.metric.__name__);
  const exposed = APP_METRIC_NAMES.filter((name) => series.some((s) => s.replace(/_(bucket|count|sum)$/, '') === name));
  const verdict = judgeAppMetrics(exposed.length);
  return { ...verdict, detail: `${judged}: ${listed(instances, 2)} up, ${verdict.detail}` };
}

/**
 * The API serves `/metrics` with the Stock Tracker metrics the rules and dashboards read. A
 * configured target this host gives no answer from is judged through Prometheus.
 */
export function apiChecks(targets: CheckTargets, http: HttpClient): Check[] {
  const prometheus = new PrometheusApi(targets.urls.prometheus, http);
  const scrapeTargets = once(() => prometheus.targets());
  return targets.apiMetricsUrls.map((url) => ({
    component: 'api',
    name: `answers ${new URL(url).pathname} (${new URL(url).host})`,
    async run() {
      const answer = await http.get(url).catch((error: Error) => error);
      if (answer instanceof Error) {
        const why = answer.message.replace(`GET ${url}: `, '');
        if (targets.apiThroughPrometheus) return apiThroughPrometheus(url, why, prometheus, scrapeTargets);
        return unreachable(new URL(url).host, answer.message);
      }
      if (answer.status !== 200) return failed(`${url} answered ${answer.status}: ${excerpt(answer.body)}`);
      const exposed = APP_METRIC_NAMES.filter((name) =>
        new RegExp(`^${name}(_bucket|_count|_sum)?[{ ]`, 'm').test(answer.body),
      );
      return judgeAppMetrics(exposed.length);
    },
  }));
}
