/**
 * Blind spots as alerts, not silence. A target that answers its scrape but exposes none of the
 * metrics a group of alerts and panels reads makes those alerts unable to fire and those panels
 * empty, while everything looks green. Each contract below names such a group of metrics, the job
 * that must expose them, what shows the job is at work, and the usual cause; its alert says which
 * alerts and panels are blind, computed from their typed expressions, so the list cannot go stale.
 */
import { Duration } from '../../core/duration';
import { PanelRef, panelReadings } from '../dashboards';
import { GROUP_ALERTS } from './groups';
import { Histogram, METRICS, Metric } from '../metrics';
import { JOB, ScrapeJobName } from '../../core/components';
import { AlertRule, RuleGroupName, alert, bySeverity, t, $label } from './model';
import {
  Expr,
  aggregateBy,
  eq,
  gt,
  increase,
  maxBy,
  observations,
  or,
  overTime,
  select,
  unless,
} from '../metrics/promql';
import { Recording } from '../metrics/recordings';

const { app, celery, scrape } = METRICS;

export interface MetricContract<N extends string = string> {
  /** The alert's name: `<What>Missing`. */
  readonly alert: N;
  /** The group of metrics, in words: `request metrics`. */
  readonly what: string;
  /** The job whose targets must expose them. */
  readonly job: ScrapeJobName;
  /** The rule group its warning is evaluated in: the one of the alerts it watches over. */
  readonly group: RuleGroupName;
  /** Every metric of the group; any one of them present meets the contract. */
  readonly metrics: readonly Metric[];
  /** Per target (`job`, `instance`): when the metrics should be there. Default: the target is up. */
  readonly atWork?: Expr<'job' | 'instance'>;
  /** Per target: a series when the metrics are there. Default: any of `metrics` has a series. */
  readonly present?: Expr<'job' | 'instance'>;
  /** The usual cause and its fix, one or two sentences. */
  readonly cause: string;
  /** The panel that goes empty first when the metrics are missing: the warning's `dashboard_url`. */
  readonly panel: PanelRef;
}

/** How long a target may expose none of a group before it is called blind (a restarted API has no request series until its first request). */
const GRACE = Duration.minutes(10);

/** Window in which the Celery workers must have run a task for missing task events to mean blindness. */
const TASKS_RAN_WINDOW = Duration.minutes(30);

function contract<const N extends string>(spec: MetricContract<N>): MetricContract<N> {
  return spec;
}

export const METRIC_CONTRACTS = [
  contract({
    alert: 'RequestMetricsMissing',
    panel: { dashboard: 'overview', title: 'Request rate by status' },
    group: 'stock-tracker-api',
    what: 'request metrics',
    job: JOB.api,
    metrics: [app.httpRequests, app.httpRequestDuration, app.httpRequestsInProgress],
    cause:
      "Its /metrics has only the Python process metrics: in Stock Tracker the package stock_tracker/monitoring/ shadows monitoring.py and registers nothing (README, 'Connecting to Stock Tracker').",
  }),
  contract({
    alert: 'DatabaseMetricsMissing',
    panel: { dashboard: 'infrastructure', title: 'Database query time p95' },
    group: 'stock-tracker-api',
    what: 'database metrics',
    job: JOB.api,
    // Not db_connections_active: an unlabelled gauge shows at 0 as soon as the class is used, set or not.
    metrics: [app.dbQueryDuration, app.dbErrors],
    cause:
      'Nothing in the service records db_query_duration_seconds yet: time its queries (an SQLAlchemy event hook) with the PrometheusMetrics class.',
  }),
  contract({
    alert: 'BusinessMetricsMissing',
    panel: { dashboard: 'business', title: 'Products tracked' },
    group: 'stock-tracker-api',
    what: 'business metrics',
    job: JOB.api,
    metrics: [app.products, app.syncOperations, app.syncDuration, app.externalApiErrors, app.sheetsOperations],
    cause:
      'Syncs and Sheets exports run in the Celery workers, which serve no /metrics: counters incremented there never reach Prometheus. The sync alerts fall back on the task events.',
  }),
  contract({
    alert: 'CeleryTaskEventsMissing',
    panel: { dashboard: 'overview', title: 'Celery task rate' },
    group: 'celery',
    what: 'Celery task events',
    job: JOB.celery,
    metrics: [
      celery.tasksReceived,
      celery.tasksStarted,
      celery.tasksSucceeded,
      celery.tasksFailed,
      celery.tasksRetried,
      celery.tasksRejected,
      celery.tasksRevoked,
      celery.taskRuntime,
    ],
    // The workers ran tasks (their heartbeats, sent without -E, count the active ones), yet no task
    // event arrived: the exporter keeps the counters it once had, so "arrived" means "increased".
    atWork: gt(
      maxBy(
        ['job', 'instance'],
        overTime('max_over_time', select(celery.workerTasksActive, { job: JOB.celery }), TASKS_RAN_WINDOW),
      ),
      0,
    ),
    present: aggregateBy(
      'count',
      ['job', 'instance'],
      gt(increase(select(celery.tasksReceived, { job: JOB.celery }), TASKS_RAN_WINDOW), 0),
    ),
    cause:
      'The workers run tasks without sending task events: add -E to the worker command (or `celery -A stock_tracker.workers.celery_app control enable_events` until the next restart).',
  }),
] as const;

type ContractName = (typeof METRIC_CONTRACTS)[number]['alert'];

/** The scraped metrics an expression reads, recordings replaced by what they read; `up` aside. */
export function scrapedMetrics(metrics: readonly Metric[]): Metric[] {
  return metrics.flatMap((metric) =>
    metric.source === 'recording'
      ? scrapedMetrics((metric as Recording).expr.metrics)
      : metric === scrape.up
        ? []
        : [metric],
  );
}

/** Blind under the contract: reads something, and nothing outside the contract's metrics. */
function blindUnder(contract: MetricContract, metrics: readonly Metric[]): boolean {
  const read = scrapedMetrics(metrics);
  return read.length > 0 && read.every((metric) => contract.metrics.includes(metric));
}

/** Alerts that cannot fire while the metrics of every one of `contracts` are missing. */
export function blindAlerts(...contracts: MetricContract[]): string[] {
  const merged = mergedContract(contracts);
  return (Object.values(GROUP_ALERTS) as AlertRule[])
    .filter((rule) => blindUnder(merged, rule.expr.metrics))
    .sort(bySeverity)
    .map((rule) => rule.name);
}

/** Panels that stay empty while the metrics of every one of `contracts` are missing (`<dashboard> › <panel>`). */
export function blindPanels(...contracts: MetricContract[]): string[] {
  const merged = mergedContract(contracts);
  return panelReadings()
    .filter((panel) => blindUnder(merged, panel.metrics))
    .map((panel) => panel.name);
}

function mergedContract(contracts: MetricContract[]): MetricContract {
  return { ...contracts[0], metrics: contracts.flatMap((contract) => contract.metrics) };
}

/**
 * What goes blind only when another contract is missing too (the sync alerts read the
 * application's counters or, failing them, the task events): `<other alert>: <alerts>, N panels`.
 */
function blindTogether(contract: MetricContract): string {
  const alone = new Set([...blindAlerts(contract), ...blindPanels(contract)]);
  const pairs = METRIC_CONTRACTS.filter((other) => other !== contract).flatMap((other) => {
    const withOther = new Set([...blindAlerts(other), ...blindPanels(other)]);
    const alerts = blindAlerts(contract, other).filter((name) => !alone.has(name) && !withOther.has(name));
    const panels = blindPanels(contract, other).filter((name) => !alone.has(name) && !withOther.has(name));
    return alerts.length + panels.length === 0
      ? []
      : [`${other.alert}: ${alerts.length > 0 ? `${listed(alerts)} and ` : ''}${panels.length} panels`];
  });
  return listed(pairs);
}

/** Per target of the contract's job: a series when at least one of its metrics has one. */
function anyPresent(contract: MetricContract): Expr<'job' | 'instance'> {
  const matchers = { job: contract.job };
  const counts = contract.metrics.map((metric) =>
    aggregateBy(
      'count',
      ['job', 'instance'],
      metric.type === 'histogram'
        ? observations(metric as Histogram, matchers)
        : select(metric as Metric<'counter' | 'gauge'>, matchers),
    ),
  );
  return counts.reduce((left, right) => or(left, right));
}

function listed(names: readonly string[]): string {
  return names.length === 0 ? 'none' : names.join(', ');
}

/** The warning of one contract. */
export function contractAlert<N extends string>(
  contract: MetricContract<N>,
): AlertRule<'job' | 'instance'> & { readonly name: N } {
  const atWork = contract.atWork ?? eq(maxBy(['job', 'instance'], select(scrape.up, { job: contract.job })), 1);
  const alertNames = blindAlerts(contract);
  const panels = blindPanels(contract);
  return alert({
    name: contract.alert,
    expr: unless(atWork, contract.present ?? anyPresent(contract), ['job', 'instance']),
    for: GRACE,
    severity: 'warning',
    panel: contract.panel,
    summary: t`${$label('instance')} (job ${$label('job')}) exposes no ${contract.what}`,
    description: t`Blind: ${alertNames.length === 0 ? 'no alert' : listed(alertNames)} cannot fire; ${panels.length === 1 ? '1 panel is' : `${panels.length} panels are`} empty. ${contract.cause}`,
    annotations: {
      blind_alerts: listed(alertNames),
      blind_panels: listed(panels),
      blind_if_also_firing: blindTogether(contract),
    },
  });
}

/** The blind-spot warnings, one per contract, by name. */
export const BLIND_SPOT_ALERTS = Object.fromEntries(
  METRIC_CONTRACTS.map((spec) => [spec.alert, contractAlert(spec)]),
) as {
  readonly [N in ContractName]: AlertRule<'job' | 'instance'> & { readonly name: N };
};
