/**
 * Typed promtool unit tests for alerts (`promtool test rules`). A case names its alert by handle,
 * builds input series from catalog handles, and says when the condition starts to hold; the
 * renderer turns it into checks that the alert is silent one evaluation before its `for` has
 * elapsed and fires, with the expected labels and annotations, exactly when it has.
 */
import { Document } from 'yaml';
import { Duration } from '../../core/duration';
import { Histogram, LabelName, LabelValue, Metric } from '../metrics';
import { AlertRule } from './model';
import { LinkOptions, linkAnnotations } from './render';

/** promtool's `interval` (between input samples) and `evaluation_interval` in every test. */
export const TEST_INTERVAL = Duration.minutes(1);

/**
 * Which samples a range selector `x[5m]` evaluated at `t` reads. Prometheus 2 reads the closed
 * window `[t-5m, t]`, six samples a minute apart when one falls on `t-5m`; Prometheus 3 reads
 * `(t-5m, t]`, five (its migration guide, "Range selectors and lookback exclude samples coinciding
 * with the left boundary"). A condition over a window can thus start or stop holding one sample
 * interval earlier on Prometheus 3.
 */
export type RangeSelection = 'closed' | 'leftOpen';

/** A time that differs with the range selection, e.g. when a window first holds only the fault's samples. */
export interface PerRangeSelection<T> {
  readonly closed: T;
  readonly leftOpen: T;
}

/** The range selection of a Prometheus (or promtool) release: left-open from 3.0. */
export function rangeSelectionOf(prometheusVersion: string): RangeSelection {
  const major = Number(/^v?(\d+)\./.exec(prometheusVersion)?.[1]);
  if (!Number.isInteger(major)) throw new Error(`not a Prometheus version: ${JSON.stringify(prometheusVersion)}`);
  return major >= 3 ? 'leftOpen' : 'closed';
}

/** A case's time under `selection`: the same for both, or the one given for it. */
function timeUnder(time: Duration | PerRangeSelection<Duration>, selection: RangeSelection): Duration {
  return Duration.isDuration(time) ? time : time[selection];
}

export interface InputSeries {
  series: string;
  /** promtool's expanding notation: `1 1 0x10`, `0+60x30`, `_` for no sample, `stale`. */
  values: string;
}

type SeriesLabels<M extends Metric> = { readonly [K in LabelName<M>]?: LabelValue<M, K> };

function seriesText(name: string, labels: Readonly<Record<string, string | undefined>>): string {
  const pairs = Object.entries(labels)
    .filter((entry): entry is [string, string] => entry[1] !== undefined)
    .map(([label, value]) => `${label}=${JSON.stringify(value)}`);
  return `${name}{${pairs.join(', ')}}`;
}

/** An input series of a counter or gauge, with typed labels. */
export function series<M extends Metric<'counter' | 'gauge'>>(
  metric: M,
  labels: SeriesLabels<M>,
  values: string,
): InputSeries {
  return { series: seriesText(metric.name, labels), values };
}

/**
 * The `_bucket` series of a histogram that observes, every sample interval, `perInterval[le]`
 * observations at or below `le` (cumulative, as exposed); `+Inf` is the total. Each `le` is one of
 * the catalog's buckets, as the application exposes them.
 */
export function histogramSeries<M extends Histogram>(
  metric: M,
  labels: SeriesLabels<M>,
  perInterval: Readonly<Record<string, number>>,
  intervals: number,
): InputSeries[] {
  if (perInterval['+Inf'] === undefined) throw new Error(`histogram ${metric.name} input needs a "+Inf" bucket`);
  const unknown = Object.keys(perInterval).filter((le) => le !== '+Inf' && !metric.buckets?.includes(Number(le)));
  if (unknown.length > 0)
    throw new Error(
      `histogram ${metric.name} has no bucket ${unknown.join(', ')} (its buckets: ${metric.buckets?.join(', ')})`,
    );
  return Object.entries(perInterval).map(([le, count]) => ({
    series: seriesText(`${metric.name}_bucket`, { ...labels, le }),
    values: `0+${count}x${intervals}`,
  }));
}

/** The `_count` series of a histogram (how many observations), with typed labels. */
export function observationCountSeries<M extends Histogram>(
  metric: M,
  labels: SeriesLabels<M>,
  values: string,
): InputSeries {
  return { series: seriesText(`${metric.name}_count`, labels), values };
}

export interface FiringCase<P extends string> {
  /** What the case shows, e.g. "fires when PostgreSQL is down but the exporter is up". */
  name: string;
  input: InputSeries[];
  /**
   * Evaluation time at which the expression starts to hold (the alert turns pending); per range
   * selection when the expression's window decides it.
   */
  activeFrom: Duration | PerRangeSelection<Duration>;
  /** The alert's labels besides `alertname` and `severity`. */
  labels: { readonly [K in P]?: string };
  /** How `$value` prints in the annotations at the firing time, when they print it. */
  value?: string;
}

export interface QuietCase {
  /** Why it must stay silent, e.g. "94% is below the 95% threshold". */
  name: string;
  input: InputSeries[];
  /** Evaluation time at which no alert of this name may be firing; per range selection when a window decides it. */
  at: Duration | PerRangeSelection<Duration>;
}

export interface AlertCases<P extends string = string> {
  fires: FiringCase<P>[];
  /** At least one just-below-threshold case; only an alert that always fires gives a reason instead. */
  quiet: QuietCase[] | { readonly alwaysFires: string };
}

/** Cases of one alert, with its labels typed. */
export interface AlertTestSuite {
  alert: AlertRule;
  cases: AlertCases;
}

export function casesFor<L extends string, P extends string>(
  alert: AlertRule<L, P>,
  cases: AlertCases<NoInfer<P>>,
): AlertTestSuite {
  return { alert: alert as AlertRule, cases: cases as AlertCases };
}

interface ExpectedAlert {
  exp_labels: Record<string, string>;
  exp_annotations: Record<string, string>;
}

interface RuleCheck {
  eval_time: string;
  alertname: string;
  exp_alerts: ExpectedAlert[];
}

function expectedAlert(alert: AlertRule, fired: FiringCase<string>, links: LinkOptions): ExpectedAlert {
  const labels = Object.fromEntries(
    Object.entries(fired.labels).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
  return {
    exp_labels: { ...labels, severity: alert.severity },
    exp_annotations: {
      summary: alert.summary.expand(labels, fired.value),
      description: alert.description.expand(labels, fired.value),
      ...alert.annotations,
      ...linkAnnotations(alert, links),
    },
  };
}

function firingChecks(alert: AlertRule, fired: FiringCase<string>, options: PromtoolTestOptions): RuleCheck[] {
  const firesAt = timeUnder(fired.activeFrom, options.rangeSelection).plus(alert.for);
  const checks: RuleCheck[] = [
    { eval_time: firesAt.toString(), alertname: alert.name, exp_alerts: [expectedAlert(alert, fired, options)] },
  ];
  if (firesAt.compare(TEST_INTERVAL) >= 0) {
    // One evaluation earlier it must not fire yet: pending (for > 0) or not yet true (for = 0).
    checks.unshift({
      eval_time: Duration.millis(firesAt.millis - TEST_INTERVAL.millis).toString(),
      alertname: alert.name,
      exp_alerts: [],
    });
  }
  return checks;
}

export interface PromtoolTestOptions extends LinkOptions {
  /** Rule files the tests load, as paths promtool can open (rendered with the same link options). */
  ruleFiles: string[];
  /** How the promtool that runs the tests selects ranges (`rangeSelectionOf` its version). */
  rangeSelection: RangeSelection;
}

/** One promtool test file (YAML) for an alert's cases. */
export function renderPromtoolTests(suite: AlertTestSuite, options: PromtoolTestOptions): string {
  const { alert, cases } = suite;
  const interval = TEST_INTERVAL.toString();
  const tests = [
    ...cases.fires.map((fired) => ({
      name: `${alert.name} fires: ${fired.name}`,
      interval,
      input_series: fired.input,
      alert_rule_test: firingChecks(alert, fired, options),
    })),
    ...('alwaysFires' in cases.quiet ? [] : cases.quiet).map((quiet) => ({
      name: `${alert.name} stays quiet: ${quiet.name}`,
      interval,
      input_series: quiet.input,
      alert_rule_test: [
        { eval_time: timeUnder(quiet.at, options.rangeSelection).toString(), alertname: alert.name, exp_alerts: [] },
      ],
    })),
  ];
  return new Document({ rule_files: options.ruleFiles, evaluation_interval: interval, tests }).toString({
    lineWidth: 0,
  });
}

/** What is missing for an alert to count as tested: a firing case and a quiet case. */
export function missingCases(suite: AlertTestSuite | undefined): string[] {
  if (!suite) return ['no test cases at all'];
  const missing: string[] = [];
  if (suite.cases.fires.length === 0) missing.push('no case where it fires');
  const quiet = suite.cases.quiet;
  if (!('alwaysFires' in quiet) && quiet.length === 0)
    missing.push('no just-below-threshold case where it stays quiet');
  return missing;
}
