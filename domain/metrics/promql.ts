/**
 * Typed PromQL: small helpers over catalog handles that produce expression strings. An `Expr<L>`
 * knows the label names `L` its result series carry, so aggregations can only group by labels the
 * metric has, and alert annotations can only print labels the expression keeps.
 *
 *   histogramQuantile(0.95, METRICS.app.httpRequestDuration, Duration.minutes(5), ['job'])
 *   -> histogram_quantile(0.95, sum by (job, le) (rate(stock_tracker_http_request_duration_seconds_bucket[5m])))
 */
import { Duration } from '../../core/duration';
import { Counter, Histogram, LabelName, LabelValue, Metric, MetricType } from './catalog';
import { escapeRegex } from '../../core/regex';

/**
 * Binding strength of an expression's outermost operator (PromQL precedence, higher binds
 * tighter); operands that bind looser than their operator are parenthesised.
 */
const Precedence = { Or: 1, AndUnless: 2, Comparison: 3, Additive: 4, Multiplicative: 5, Atom: 9 } as const;
type Precedence = (typeof Precedence)[keyof typeof Precedence];

/**
 * An instant-vector (or scalar) expression whose series all carry the labels `L`; `P` are the
 * labels some of its series may carry (they differ after an `or`).
 */
export class Expr<L extends string = string, P extends string = L> {
  /** Phantoms: only the type checker reads them. */
  declare readonly labelNames?: L;
  declare readonly possibleLabelNames?: P;

  constructor(
    readonly text: string,
    /** Catalog (and recorded) metrics the expression reads. */
    readonly metrics: readonly Metric[],
    /** @internal */ readonly precedence: number = Precedence.Atom,
  ) {}

  toString(): string {
    return this.text;
  }
}

/** A series selector over one metric: `name{matchers}`. Counter-ness is kept so `rate` only takes counters. */
export class Selector<L extends string = string, T extends MetricType = MetricType> extends Expr<L> {
  declare readonly metricType?: T;

  constructor(
    text: string,
    readonly metric: Metric,
  ) {
    super(text, [metric]);
  }
}

/** A label matcher value: a literal (`=`) or one built with `not`, `matches`, `notMatches`. */
export type MatcherValue<V extends string = string> = V | Matcher;

export interface Matcher {
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

export function not<V extends string>(value: V): Matcher {
  return { op: '!=', value };
}
/** Fully anchored RE2 regular expression, as PromQL applies it. */
export function matches(regex: string): Matcher {
  return { op: '=~', value: regex };
}
export function notMatches(regex: string): Matcher {
  return { op: '!~', value: regex };
}
/** `a|b|c`: one of the listed literal values. */
export function oneOf<V extends string>(...values: V[]): Matcher {
  return matches(values.map(escapeRegex).join('|'));
}

/** Label matchers of a metric, keyed by its typed label names, valued by its typed label values. */
export type Matchers<M extends Metric> = { readonly [K in LabelName<M>]?: MatcherValue<LabelValue<M, K>> };

/** None of the listed literal values. */
export function noneOf<V extends string>(...values: V[]): Matcher {
  return notMatches(values.map(escapeRegex).join('|'));
}

function quote(text: string): string {
  return JSON.stringify(text);
}

function renderMatchers(matchers: Readonly<Record<string, MatcherValue | undefined>>): string {
  const parts = Object.entries(matchers)
    .filter((entry): entry is [string, MatcherValue] => entry[1] !== undefined)
    .map(([name, value]) => {
      const matcher: Matcher = typeof value === 'string' ? { op: '=', value } : value;
      return `${name}${matcher.op}${quote(matcher.value)}`;
    });
  return parts.length > 0 ? `{${parts.join(', ')}}` : '';
}

function selectSeries<L extends string, T extends MetricType>(
  metric: Metric,
  suffix: string,
  matchers: object | undefined,
): Selector<L, T> {
  return new Selector<L, T>(
    `${metric.name}${suffix}${renderMatchers((matchers ?? {}) as Record<string, MatcherValue>)}`,
    metric,
  );
}

/** The series of a counter or gauge: `name{matchers}`. */
export function select<M extends Metric<'counter' | 'gauge'>>(
  metric: M,
  matchers?: Matchers<M>,
): Selector<LabelName<M>, M['type']> {
  return selectSeries(metric, '', matchers);
}

/** A histogram's bucket counters (`_bucket`, with the `le` label). */
export function buckets<M extends Histogram>(
  metric: M,
  matchers?: Matchers<M>,
): Selector<LabelName<M> | 'le', 'counter'> {
  return selectSeries(metric, '_bucket', matchers);
}
/**
 * The `le` value a bucket bound is stored with differs by client and Prometheus version: Python's
 * client writes `1.0`, Go's `1`; Prometheus 2 keeps what was written, Prometheus 3 stores `1.0`
 * either way (OpenMetrics float format, model/textparse `normalizeFloatsInLabelValues`). A whole
 * bound matches both; a fractional one (`2.5`) is written alike everywhere.
 * __tests__/histogram-buckets-prometheus.test.ts holds it on each Prometheus of the version matrix.
 */
function leMatcher(bound: number): MatcherValue {
  return Number.isInteger(bound) ? matches(`${bound}(\\.0)?`) : String(bound);
}

/**
 * The bucket counter of `bound` (`_bucket{le="<bound>"}`); `bound` must be one of the metric's
 * buckets, or `Infinity` for the `+Inf` bucket, which counts every observation.
 */
export function bucketAt<M extends Histogram>(
  metric: M,
  bound: number,
  matchers?: Matchers<M>,
): Selector<LabelName<M>, 'counter'> {
  if (bound === Infinity) return selectSeries(metric, '_bucket', { ...matchers, le: '+Inf' });
  if (!metric.buckets?.includes(bound)) {
    throw new RangeError(
      `${metric.name} has no bucket ${bound} (its buckets: ${metric.buckets?.join(', ') ?? 'none declared'})`,
    );
  }
  return selectSeries(metric, '_bucket', { ...matchers, le: leMatcher(bound) });
}

/** A histogram's observation counter (`_count`). */
export function observations<M extends Histogram>(
  metric: M,
  matchers?: Matchers<M>,
): Selector<LabelName<M>, 'counter'> {
  return selectSeries(metric, '_count', matchers);
}

/** `selector offset ago`: the series as they were `ago` earlier; none where Prometheus had no sample then (within its 5m lookback). */
export function offsetBy<L extends string>(selector: Selector<L>, ago: Duration): Expr<L> {
  return new Expr(`${selector.text} offset ${ago}`, selector.metrics);
}

type CounterSource<L extends string> = Counter | Selector<L, 'counter'>;
type SourceLabels<S> = S extends Selector<infer L, MetricType> ? L : S extends Metric ? LabelName<S> : never;

function asSelector(source: Metric | Selector): Selector {
  return source instanceof Selector ? source : selectSeries(source, '', undefined);
}

function rangeFunction(fn: string, source: Metric | Selector, window: Duration): Expr<string> {
  const selector = asSelector(source);
  return new Expr(`${fn}(${selector.text}[${window}])`, selector.metrics);
}

/** Per-second rate of a counter over `window`. */
export function rate<S extends CounterSource<string>>(source: S, window: Duration): Expr<SourceLabels<S>> {
  return rangeFunction('rate', source, window) as Expr<SourceLabels<S>>;
}
/** Increase of a counter over `window`. */
export function increase<S extends CounterSource<string>>(source: S, window: Duration): Expr<SourceLabels<S>> {
  return rangeFunction('increase', source, window) as Expr<SourceLabels<S>>;
}

type GaugeSource = Metric<'gauge'> | Selector<string, 'gauge'>;
export type OverTimeFunction = 'max_over_time' | 'min_over_time' | 'avg_over_time' | 'changes' | 'deriv';
/** A `<fn>_over_time`-style function of a gauge over `window`. */
export function overTime<S extends GaugeSource>(
  fn: OverTimeFunction,
  source: S,
  window: Duration,
): Expr<SourceLabels<S>> {
  return rangeFunction(fn, source, window) as Expr<SourceLabels<S>>;
}

/**
 * `predict_linear(gauge[window], horizon)`: the value the gauge will have `horizon` after now, by
 * the least-squares line through its samples of the last `window`.
 */
export function predictLinear<S extends GaugeSource>(
  source: S,
  window: Duration,
  horizon: Duration,
): Expr<SourceLabels<S>> {
  const selector = asSelector(source);
  return new Expr(`predict_linear(${selector.text}[${window}], ${horizon.seconds})`, selector.metrics);
}

/**
 * `count by (by) (present_over_time(selector[window]) unless selector offset window)`: per group of
 * `by`, how many series of `selector` began within the last `window`: a sample in it, none at its
 * start. A series that ended before the window is not in it; one already there at its start is not
 * new. For an exporter that starts a new series at each event (a label whose value changes).
 */
export function seriesBegunWithin<L extends string, K extends L>(
  selector: Selector<L>,
  window: Duration,
  by: readonly K[],
): Expr<K> {
  const present = rangeFunction('present_over_time', selector, window) as Expr<L>;
  return aggregateBy('count', by, unless(present, offsetBy(selector, window)));
}

export type AggregationOperator = 'sum' | 'avg' | 'max' | 'min' | 'count';

/** `op by (labels) (expr)`: the result keeps exactly `by`. */
export function aggregateBy<L extends string, K extends L>(
  op: AggregationOperator,
  by: readonly K[],
  expr: Expr<L>,
): Expr<K> {
  const grouping = by.length > 0 ? ` by (${by.join(', ')})` : '';
  return new Expr(`${op}${grouping} (${expr.text})`, expr.metrics);
}
export function sumBy<L extends string, K extends L>(by: readonly K[], expr: Expr<L>): Expr<K> {
  return aggregateBy('sum', by, expr);
}
export function sum<L extends string>(expr: Expr<L>): Expr<never> {
  return aggregateBy<L, never>('sum', [], expr);
}
export function maxBy<L extends string, K extends L>(by: readonly K[], expr: Expr<L>): Expr<K> {
  return aggregateBy('max', by, expr);
}
export function avgBy<L extends string, K extends L>(by: readonly K[], expr: Expr<L>): Expr<K> {
  return aggregateBy('avg', by, expr);
}

/**
 * `histogram_quantile(q, sum by (by, le) (rate(<name>_bucket{matchers}[window])))`: the q-quantile
 * of a histogram per group of `by`.
 */
export function histogramQuantile<M extends Histogram, K extends LabelName<M>>(
  quantile: number,
  metric: M,
  window: Duration,
  by: readonly K[],
  matchers?: Matchers<M>,
): Expr<K> {
  if (!(quantile > 0 && quantile < 1))
    throw new RangeError(`quantile must be between 0 and 1 (exclusive), got ${quantile}`);
  const perBucket = sumBy([...by, 'le'] as (K | 'le')[], rate(buckets(metric, matchers), window));
  return new Expr(`histogram_quantile(${quantile}, ${perBucket.text})`, perBucket.metrics);
}

/** A number as an expression (for arithmetic against vectors). */
export function scalar(value: number): Expr<never> {
  if (!Number.isFinite(value)) throw new RangeError(`a PromQL number must be finite, got ${value}`);
  return new Expr(String(value), [], Precedence.Atom);
}

/** `vector(value)`: a single series without labels, e.g. to default an empty result. */
export function vector(value: number): Expr<never> {
  return new Expr(`vector(${scalar(value).text})`, []);
}

export type ComparisonOperator = '>' | '>=' | '<' | '<=' | '==' | '!=';
type ArithmeticOperator = '+' | '-' | '*' | '/';
type SetOperator = 'and' | 'or' | 'unless';

const PRECEDENCE: Record<ComparisonOperator | ArithmeticOperator | SetOperator, Precedence> = {
  or: Precedence.Or,
  and: Precedence.AndUnless,
  unless: Precedence.AndUnless,
  '>': Precedence.Comparison,
  '>=': Precedence.Comparison,
  '<': Precedence.Comparison,
  '<=': Precedence.Comparison,
  '==': Precedence.Comparison,
  '!=': Precedence.Comparison,
  '+': Precedence.Additive,
  '-': Precedence.Additive,
  '*': Precedence.Multiplicative,
  '/': Precedence.Multiplicative,
};

function operand(expr: Expr<string>, precedence: Precedence, right: boolean): string {
  // PromQL binary operators are left-associative: a right operand of equal precedence needs parentheses.
  const needsParens = expr.precedence < precedence || (right && expr.precedence === precedence);
  return needsParens ? `(${expr.text})` : expr.text;
}

function binary(left: Expr<string>, op: keyof typeof PRECEDENCE, right: Expr<string> | number): Expr<string> {
  const rightExpr = typeof right === 'number' ? scalar(right) : right;
  const precedence = PRECEDENCE[op];
  const text = `${operand(left, precedence, false)} ${op} ${operand(rightExpr, precedence, true)}`;
  return new Expr(text, [...left.metrics, ...rightExpr.metrics], precedence);
}

/** Arithmetic: the result keeps the left operand's labels (one-to-one matching). */
export function add<L extends string>(left: Expr<L>, right: Expr<string> | number): Expr<L> {
  return binary(left, '+', right) as Expr<L>;
}
export function sub<L extends string>(left: Expr<L>, right: Expr<string> | number): Expr<L> {
  return binary(left, '-', right) as Expr<L>;
}
export function mul<L extends string>(left: Expr<L>, right: Expr<string> | number): Expr<L> {
  return binary(left, '*', right) as Expr<L>;
}
export function div<L extends string>(left: Expr<L>, right: Expr<string> | number): Expr<L> {
  return binary(left, '/', right) as Expr<L>;
}
/** `value - expr`, e.g. `1 - available / total`. */
export function subtractFrom<L extends string>(value: number, expr: Expr<L>): Expr<L> {
  return binary(scalar(value), '-', expr) as Expr<L>;
}

/** A filtering comparison: keeps the series of `left` for which it holds. */
export function compare<L extends string>(
  left: Expr<L>,
  op: ComparisonOperator,
  right: Expr<string> | number,
): Expr<L> {
  return binary(left, op, right) as Expr<L>;
}
export function gt<L extends string>(left: Expr<L>, right: Expr<string> | number): Expr<L> {
  return compare(left, '>', right);
}
/** `left >= right`: an "at least" filter. */
export function atLeast<L extends string>(left: Expr<L>, right: Expr<string> | number): Expr<L> {
  return compare(left, '>=', right);
}
export function lt<L extends string>(left: Expr<L>, right: Expr<string> | number): Expr<L> {
  return compare(left, '<', right);
}
export function eq<L extends string>(left: Expr<L>, right: Expr<string> | number): Expr<L> {
  return compare(left, '==', right);
}

/** `left and right`: series of `left` that have a match in `right`. */
export function and<L extends string>(left: Expr<L>, right: Expr<string>): Expr<L> {
  return binary(left, 'and', right) as Expr<L>;
}
/** `left and on() right`: every series of `left` while `right` has any series at all, whatever their labels. */
export function andAny<L extends string>(left: Expr<L>, right: Expr<string>): Expr<L> {
  const precedence = Precedence.AndUnless;
  const text = `${operand(left, precedence, false)} and on () ${operand(right, precedence, true)}`;
  return new Expr(text, [...left.metrics, ...right.metrics], precedence);
}
/** `left unless right`: series of `left` without a match in `right`; with `on`, matched on those labels only. */
export function unless<L extends string>(left: Expr<L>, right: Expr<string>, on?: readonly NoInfer<L>[]): Expr<L> {
  if (on === undefined) return binary(left, 'unless', right) as Expr<L>;
  const precedence = Precedence.AndUnless;
  const text = `${operand(left, precedence, false)} unless on (${on.join(', ')}) ${operand(right, precedence, true)}`;
  return new Expr(text, [...left.metrics, ...right.metrics], precedence);
}
/** `a or b or ...`: the union; only labels every branch carries are certain, the others possible. */
export function or<A extends string, PA extends string, B extends string, PB extends string>(
  first: Expr<A, PA>,
  second: Expr<B, PB>,
): Expr<Extract<A, B>, PA | PB>;
export function or<
  A extends string,
  PA extends string,
  B extends string,
  PB extends string,
  C extends string,
  PC extends string,
>(first: Expr<A, PA>, second: Expr<B, PB>, third: Expr<C, PC>): Expr<Extract<A, Extract<B, C>>, PA | PB | PC>;
export function or<
  A extends string,
  PA extends string,
  B extends string,
  PB extends string,
  C extends string,
  PC extends string,
  D extends string,
  PD extends string,
>(
  first: Expr<A, PA>,
  second: Expr<B, PB>,
  third: Expr<C, PC>,
  fourth: Expr<D, PD>,
): Expr<Extract<A, Extract<B, Extract<C, D>>>, PA | PB | PC | PD>;
export function or(...branches: Expr<string>[]): Expr<string> {
  return branches.reduce((left, right) => binary(left, 'or', right));
}

/**
 * `absent(name{matchers})`: one series (with the equality matchers as labels) when no series
 * matches, nothing otherwise. For alerts that must fire when the metric disappears.
 */
export function absent<M extends Metric<'counter' | 'gauge'>, K extends LabelName<M> = never>(
  metric: M,
  matchers?: { readonly [N in K]: MatcherValue<LabelValue<M, N>> },
): Expr<K> {
  const selector = selectSeries(metric, '', matchers);
  return new Expr(`absent(${selector.text})`, selector.metrics);
}

/**
 * `absent_over_time(name{matchers}[window])`: one series when no sample matched during the whole
 * window, e.g. a counter the application stopped (or never started) exposing.
 */
export function absentOverTime<M extends Metric<'counter' | 'gauge'>, K extends LabelName<M> = never>(
  metric: M,
  window: Duration,
  matchers?: { readonly [N in K]: MatcherValue<LabelValue<M, N>> },
): Expr<K> {
  const selector = selectSeries(metric, '', matchers);
  return new Expr(`absent_over_time(${selector.text}[${window}])`, selector.metrics);
}

export interface RatioGuards {
  /**
   * Minimum denominator for a result: below it the ratio is not computed, so tiny traffic (one
   * failure out of two requests) cannot page anyone. 0 guards only against division by zero.
   */
  minDenominator?: number;
  /**
   * For counted events (errors out of requests): a group with traffic but no numerator series
   * (no error ever counted) yields 0 instead of nothing.
   */
  absentNumeratorIsZero?: boolean;
}

/**
 * `numerator / denominator`, guarded: groups whose denominator is 0 (or not above
 * `minDenominator`) are dropped instead of yielding NaN or +Inf.
 */
export function ratio<L extends string>(numerator: Expr<L>, denominator: Expr<L>, guards: RatioGuards = {}): Expr<L> {
  const minimum = guards.minDenominator ?? 0;
  if (!(minimum >= 0)) throw new RangeError(`minDenominator must be 0 or more, got ${minimum}`);
  const dividend = guards.absentNumeratorIsZero ? (binary(numerator, 'or', mul(denominator, 0)) as Expr<L>) : numerator;
  return div(dividend, gt(denominator, minimum));
}

/**
 * Share (0-1) of a histogram's observations above `bound`, one of its buckets, over `window`, per
 * group of `by`; absent without observations. Exact at any bucket, the highest finite one too,
 * where `histogram_quantile` can never read more than the bound: "p95 above 1 s" is "more than 5 %
 * of observations above 1 s".
 */
export function shareAbove<M extends Histogram, K extends LabelName<M>>(
  metric: M,
  bound: number,
  window: Duration,
  by: readonly K[],
  matchers?: Matchers<M>,
): Expr<K> {
  const within = sumBy(by, rate(bucketAt(metric, bound, matchers), window));
  // The `+Inf` bucket counts every observation, like `_count`, from the same series family.
  const all = sumBy(by, rate(bucketAt(metric, Infinity, matchers), window));
  return subtractFrom(1, ratio(within as Expr<K>, all as Expr<K>));
}

/** `clamp_min(expr, minimum)`: every value below `minimum` raised to it. */
export function clampMin<L extends string, P extends string>(expr: Expr<L, P>, minimum: number): Expr<L, P> {
  return new Expr(`clamp_min(${expr.text}, ${scalar(minimum).text})`, expr.metrics);
}

/** `clamp_max(expr, maximum)`: every value above `maximum` lowered to it. */
export function clampMax<L extends string, P extends string>(expr: Expr<L, P>, maximum: number): Expr<L, P> {
  return new Expr(`clamp_max(${expr.text}, ${scalar(maximum).text})`, expr.metrics);
}

/** `label_replace(expr, "name", "value", "", "")`: every series of `expr` with the label `name` set to `value`. */
export function withLabel<L extends string, P extends string, N extends string>(
  expr: Expr<L, P>,
  name: N,
  value: string,
): Expr<L | N, P | N> {
  return new Expr(`label_replace(${expr.text}, ${quote(name)}, ${quote(value)}, "", "")`, expr.metrics);
}

/** `left unless on() right`: every series of `left` while `right` has no series at all. */
export function unlessAny<L extends string, P extends string>(
  left: Expr<L, P>,
  right: Expr<string, string>,
): Expr<L, P> {
  const precedence = Precedence.AndUnless;
  const text = `${operand(left, precedence, false)} unless on () ${operand(right, precedence, true)}`;
  return new Expr(text, [...left.metrics, ...right.metrics], precedence);
}
