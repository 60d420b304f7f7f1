/**
 * Prometheus, through its HTTP API: targets of every expected job up (the ones down and why),
 * rule groups loaded and evaluating without errors, Alertmanager found, firing alerts, and the
 * catalog's metrics arriving from each source.
 */
import {
  COMPONENTS,
  COMPONENT_DESCRIPTORS,
  JOB,
  MetricSource,
  ScrapeJobKey,
  componentOfJob,
} from '../../core/components';
import { METRICS, Metric, allMetrics, gt, increase, seriesNames, sumBy } from '../../domain/metrics';
import { Duration } from '../../core/duration';
import { WATCHDOG } from '../../domain/alerting';
import { Check, CheckComponent, CheckOutcome, failed, listed, once, passed } from './check';
import { HttpClient } from '../../clients/http';
import { PrometheusApi, ScrapeTarget } from '../../clients/prometheus';
import { CheckTargets } from './targets';

/** Failed refreshes of each discovery mechanism over 5 minutes, where there were any. */
const DISCOVERY_FAILURES = gt(
  sumBy(['mechanism'], increase(METRICS.prometheus.serviceDiscoveryRefreshFailures, Duration.minutes(5))),
  0,
);

/** Severities a firing alert must not have for the stack to count as healthy. */
const ALARMING_SEVERITIES = ['critical', 'warning'];

function judgeJob(targets: ScrapeTarget[]): CheckOutcome {
  if (targets.length === 0) return failed('no targets: not in the scrape configuration, or discovery found none');
  const down = targets.filter((target) => target.health !== 'up');
  const summary = `${targets.length - down.length}/${targets.length} up`;
  if (down.length === 0) return passed(`${summary} (${listed(targets.map((t) => t.labels.instance))})`);
  const reasons = down.map(
    (t) =>
      `${t.labels.instance} ${t.health === 'unknown' ? 'not scraped yet' : `down: ${t.lastError || 'no error given'}`}`,
  );
  return failed(`${summary}; ${listed(reasons, 3)}`);
}

interface ScrapedSource {
  /** What the table calls it. */
  label: string;
  metrics: Metric[];
  /** The component skipping which skips this check. */
  about?: CheckComponent;
}

/**
 * Who the catalog's metrics are scraped from: the API, and the exporters (components of which only
 * the catalog's series are kept).
 * The celery-exporter's check is about no component: whoever runs it (the stack or the
 * application), its series are the same.
 */
function scrapedSources(): ScrapedSource[] {
  const from = (source: MetricSource) => allMetrics().filter((metric) => metric.source === source);
  return [
    { label: 'Stock Tracker API', metrics: from('stock-tracker'), about: 'api' },
    ...COMPONENTS.flatMap((component) => {
      const { metricSource, keepOnlyCatalogSeries, title } = COMPONENT_DESCRIPTORS[component];
      if (metricSource === undefined || !keepOnlyCatalogSeries) return [];
      return [
        { label: title, metrics: from(metricSource), ...(component === 'celeryExporter' ? {} : { about: component }) },
      ];
    }),
  ];
}

/** The component a built-in scrape job watches (the celery-exporter's and extra jobs have none to skip). */
function jobComponent(job: string): CheckComponent | undefined {
  const key = (Object.keys(JOB) as ScrapeJobKey[]).find((candidate) => JOB[candidate] === job);
  const component = key && componentOfJob(key);
  return component === 'celeryExporter' ? undefined : component;
}

/** The series name that proves a catalog metric arrives (a histogram's `_count`). */
function probeSeries(metric: Metric): string {
  return seriesNames(metric).find((name) => name.endsWith('_count')) ?? metric.name;
}

export function prometheusChecks(targets: CheckTargets, http: HttpClient): Check[] {
  const api = new PrometheusApi(targets.urls.prometheus, http);
  const expected = targets.expected;
  // One request for all the per-job checks, one for both rule checks: a check list serves one run.
  const targetsOnce = once(() => api.targets());
  const rulesOnce = once(() => api.ruleGroups());

  const jobChecks: Check[] = expected.jobs.map((job) => ({
    component: 'prometheus',
    name: `targets of job ${job}`,
    about: jobComponent(job),
    run: async () => judgeJob((await targetsOnce()).filter((target) => target.scrapePool === job)),
  }));

  const metricChecks: Check[] = scrapedSources().map(({ label, metrics, about }) => ({
    component: 'prometheus',
    name: `metrics from ${label}`,
    ...(about ? { about } : {}),
    async run() {
      const names = metrics.map(probeSeries);
      const present = new Set(
        (await api.query(`count by (__name__) ({__name__=~"${names.join('|')}"})`)).map((s) => s.metric.__name__),
      );
      const missing = metrics.filter((metric) => !present.has(probeSeries(metric))).map((metric) => metric.name);
      if (present.size === 0) return failed(`none of the ${metrics.length} catalog metrics (is the target up?)`);
      const note = missing.length === 0 ? '' : `; not (yet) exposed: ${listed(missing, 3)}`;
      return passed(`${present.size}/${metrics.length} catalog metrics${note}`);
    },
  }));

  return [
    {
      component: 'prometheus',
      name: 'configuration loaded',
      async run() {
        const info = await api.runtimeInfo();
        return info.reloadConfigSuccess
          ? passed(`loaded ${info.lastConfigTime}, retention ${info.storageRetention}`)
          : failed(`the last reload failed (since ${info.lastConfigTime}): see the Prometheus log`);
      },
    },
    ...jobChecks,
    {
      component: 'prometheus',
      name: 'rule groups loaded',
      async run() {
        const loaded = new Set((await rulesOnce()).map((group) => group.name));
        const missing = expected.ruleGroups.filter((name) => !loaded.has(name));
        return missing.length === 0
          ? passed(`${expected.ruleGroups.length}/${expected.ruleGroups.length} groups (${loaded.size} loaded in all)`)
          : failed(`missing: ${listed(missing)}`);
      },
    },
    {
      component: 'prometheus',
      name: 'rule evaluation',
      async run() {
        const rules = (await rulesOnce()).flatMap((group) => group.rules);
        const broken = rules.filter((rule) => rule.health === 'err');
        if (broken.length > 0)
          return failed(
            `${broken.length} failing: ${listed(
              broken.map((rule) => `${rule.name}: ${rule.lastError}`),
              2,
            )}`,
          );
        const waiting = rules.filter((rule) => rule.health === 'unknown').length;
        return passed(`${rules.length} rules without errors${waiting > 0 ? ` (${waiting} not evaluated yet)` : ''}`);
      },
    },
    {
      component: 'prometheus',
      name: 'Alertmanager found',
      async run() {
        const alertmanagers = await api.alertmanagers();
        return alertmanagers.length > 0
          ? passed(listed(alertmanagers))
          : failed('no Alertmanager: alerts go nowhere (check alerting.alertmanagers in prometheus.yml)');
      },
    },
    {
      component: 'prometheus',
      name: 'service discovery',
      async run() {
        const failing = await api.query(DISCOVERY_FAILURES.text);
        if (failing.length === 0) return passed('no failed refresh in 5 minutes');
        const which = failing.map(
          (sample) => `${sample.metric.mechanism}: ${Number(sample.value[1]).toFixed(0)} failed refreshes in 5 min`,
        );
        return failed(
          `${listed(which)}: the targets it finds are gone (Prometheus' log says why: "Unable to refresh target groups"; permission denied on the socket is DOCKER_GROUP_ID)`,
        );
      },
    },
    {
      component: 'prometheus',
      name: 'firing alerts',
      async run() {
        const alerts = await api.alerts();
        const firing = alerts.filter((alert) => alert.state === 'firing' && alert.labels.alertname !== WATCHDOG);
        const pending = alerts.filter((alert) => alert.state === 'pending').length;
        const names = firing.map((alert) => `${alert.labels.alertname} (${alert.labels.severity ?? 'no severity'})`);
        const alarming = firing.some((alert) => ALARMING_SEVERITIES.includes(alert.labels.severity));
        const text = `${firing.length === 0 ? 'none firing' : `${firing.length} firing: ${listed([...new Set(names)])}`}${pending > 0 ? `; ${pending} pending` : ''}`;
        return alarming ? failed(text) : passed(text);
      },
    },
    ...metricChecks,
  ];
}
