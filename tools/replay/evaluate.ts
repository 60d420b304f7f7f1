/**
 * The rule side of a replay: each alerting rule evaluated over a stored history as Prometheus
 * would have evaluated it live, then its `for` and `keep_firing_for` applied.
 *
 * Recording rules are not read from the TSDB (the history may hold other recordings, or none: a
 * backfilled month, a rule added by the change under review). Their expressions are put in place of
 * the recorded series instead, in dependency order (promql-text.ts): a rule evaluated in the same
 * group reads this evaluation's recorded value, which is what the inlined expression computes.
 * Each alert's expression is then one range query per chunk of at most 11,000 steps (Prometheus'
 * limit) at the group's evaluation interval, and the series of the matrix, which carry only the
 * steps where the expression returned them, go through the state machine of Prometheus 2.42
 * (rules/alerting.go, AlertingRule.Eval):
 *
 * - a series that appears is pending from that step (`activeAt`); a pending alert whose series is
 *   missing at a step is dropped;
 * - it fires at the first step where `step - activeAt >= for`, if still returned then;
 * - a firing alert whose series is missing resolves at that step, or, with `keep_firing_for`, keeps
 *   firing while `step - firstMissing < keep_firing_for` and resolves at the first step past it;
 * - the next appearance of a resolved series starts a new pending alert.
 *
 * Steps where Prometheus itself held no data are gaps (`historyCoverage`): it was not running, so it
 * neither evaluated nor sent anything, while the same expressions read afterwards are true there
 * (`absent(up{...})`, `up == 0 or absent(...)`). A replay starts at the first step with data, and
 * at a gap every pending alert is dropped and every firing one resolves, `keep_firing_for` or not;
 * after it a `for` starts over. That is Prometheus restarted without its alert state. Prometheus
 * (2.42 and 3.5, rules/group.go `RestoreForState`) does restore the `activeAt` of a rule whose
 * `for` is at least `--rules.alert.for-grace-period` (10m by default) from its `ALERTS_FOR_STATE`
 * series when it was down less than `--rules.alert.outage-tolerance` (1h): an alert that was
 * firing fires again at once, one still pending keeps the time it had pended and fires no sooner
 * than the grace period after the restart. The replay does not model that restoration: after such
 * an outage, those rules fire here up to their `for` later than they would have live.
 *
 * A rule whose every window is 6 h or longer (an SLO's ticket tier: 1x over 3 d and 6 h, read
 * through recordings or not) is replayed at a coarser step, a 24th of its shortest window in whole
 * evaluation intervals: such a value moves by a fraction of a percent between two evaluations,
 * while Prometheus reads the whole window again at each of the month's 172,800 steps (measured on
 * the labelled month: `rate(x[3d])` over 21 series takes 3.8 s per replayed day at 15 s, about 2
 * minutes for the month; `avg_over_time` of an inlined 5m recording over 3d did not finish in 4
 * minutes). Its times are then exact to that step; every other rule is replayed at its interval.
 */
import { Duration } from '../../core/duration';
import { PrometheusApi, RangeSeries } from '../../clients/prometheus';
import { NotReplayable, RecordedExpression, metricNamesRead, substituteRecordings, windowsRead } from './promql-text';
import { ReplayRuleSet } from './rule-set';

/**
 * How long a replay waits for one range query: a little over Prometheus' own `--query.timeout`
 * (2 min by default), so that its error, naming the query, is what is reported. Range queries over
 * days of long windows take seconds each.
 */
export const RANGE_QUERY_TIMEOUT_MS = 150_000;

/** Prometheus answers at most this many steps per range query (web/api/v1/api.go). */
export const MAX_STEPS_PER_QUERY = 11_000;

/** An alerting rule ready to replay: its expression with every recording inlined. */
export interface ReplayAlertRule {
  group: string;
  name: string;
  /** The rule's expression, recordings replaced by their own expressions. */
  expr: string;
  forMs: number;
  keepFiringForMs: number;
  /** The labels the rule adds (`severity`). */
  labels: Record<string, string>;
  /** The group's evaluation interval. */
  intervalMs: number;
  /** The step of its range queries and state machine: the interval, or coarser (`replayStep`). */
  stepMs: number;
  /** Metric names the expression reads (after inlining): what the alert is about. */
  metrics: string[];
}

/** An alert rule the replay cannot evaluate, and why. */
export interface SkippedRule {
  name: string;
  reason: string;
}

/** One firing of one alert: from pending to resolved. Times are ms since the epoch. */
export interface AlertEpisode {
  /** The alert's labels as Alertmanager gets them: the series', the rule's, and `alertname`. */
  labels: Record<string, string>;
  activeAt: number;
  firedAt: number;
  /** The first evaluation at which it no longer fired; undefined while it still fired at the end. */
  resolvedAt?: number;
}

/** What one rule did over the window. */
export interface RuleOutcome {
  rule: ReplayAlertRule;
  episodes: AlertEpisode[];
  /** Alerts that went pending but never fired (the `for` filtered them). */
  pendingOnly: number;
  /** Time Prometheus took to answer its range queries, ms (summed over its chunks). */
  queryMs: number;
}

const RESERVED = new Set(['ALERTS', 'ALERTS_FOR_STATE']);

/** Every recording with the recordings it reads inlined; throws on a cycle, naming it. */
function expandedRecordings(ruleSet: ReplayRuleSet): Map<string, RecordedExpression> {
  const raw = new Map<string, { expr: string; interval: string }[]>();
  for (const group of ruleSet.groups)
    for (const rule of group.rules)
      if (rule.record !== undefined)
        raw.set(rule.record, [
          ...(raw.get(rule.record) ?? []),
          { expr: rule.expr, interval: group.interval ?? ruleSet.evaluationInterval },
        ]);
  const expanded = new Map<string, RecordedExpression>();
  const expand = (name: string, path: string[]): RecordedExpression => {
    const done = expanded.get(name);
    if (done !== undefined) return done;
    if (path.includes(name))
      throw new Error(`recording rules read each other in a cycle: ${[...path, name].join(' -> ')}`);
    const rules = raw.get(name) ?? [];
    const inlined = rules.map(({ expr }) => {
      const reads = metricNamesRead(expr).filter((metric) => raw.has(metric));
      const inner = new Map(reads.map((metric) => [metric, expand(metric, [...path, name])]));
      return { text: substituteRecordings(expr, inner), windowsMs: windowsRead(expr, inner) };
    });
    // The same name recorded by several rules is one series family: their union.
    const recorded = {
      expr: inlined.length === 1 ? inlined[0].text : inlined.map(({ text }) => `(${text})`).join(' or '),
      interval: rules[0].interval,
      windowsMs: inlined.flatMap(({ windowsMs }) => windowsMs),
    };
    expanded.set(name, recorded);
    return recorded;
  };
  for (const name of raw.keys()) expand(name, []);
  return expanded;
}

/** The alerting rules of a rule set, ready to replay, and those that cannot be (reading `ALERTS`, say). */
export function replayableRules(ruleSet: ReplayRuleSet): { rules: ReplayAlertRule[]; skipped: SkippedRule[] } {
  const recordings = expandedRecordings(ruleSet);
  const rules: ReplayAlertRule[] = [];
  const skipped: SkippedRule[] = [];
  const globalInterval = Duration.parse(ruleSet.evaluationInterval);
  for (const group of ruleSet.groups) {
    const interval = group.interval ? Duration.parse(group.interval) : globalInterval;
    for (const rule of group.rules) {
      if (rule.alert === undefined) continue;
      try {
        const expr = substituteRecordings(rule.expr, recordings);
        const metrics = metricNamesRead(expr);
        const reserved = metrics.filter((metric) => RESERVED.has(metric));
        if (reserved.length > 0)
          throw new NotReplayable(`it reads ${reserved.join(', ')}, which only a live Prometheus writes`);
        rules.push({
          group: group.name,
          name: rule.alert,
          expr,
          forMs: Duration.parse(rule.for ?? '0s').millis,
          keepFiringForMs: Duration.parse(rule.keep_firing_for ?? '0s').millis,
          labels: rule.labels ?? {},
          intervalMs: interval.millis,
          stepMs: replayStep(windowsRead(rule.expr, recordings), interval.millis),
          metrics,
        });
      } catch (error) {
        if (!(error instanceof NotReplayable)) throw error;
        skipped.push({ name: rule.alert, reason: error.message });
      }
    }
  }
  return { rules, skipped };
}

/** Rules whose every range is at least this long are replayed at a coarser step. */
export const COARSE_FROM_MS = 6 * 3_600_000;
/** A coarsely replayed rule is evaluated this many times per its shortest range. */
const STEPS_PER_SHORTEST_RANGE = 24;

/**
 * The step a rule is replayed at (ms): its evaluation interval `intervalMs`, or, when every window
 * it reads (`windowsRead`: `[3d]`, `[6h:1m]`, a recording's own) is at least COARSE_FROM_MS long,
 * the largest multiple of the interval within a 24th of the shortest. A rule reading no window
 * keeps the interval.
 */
export function replayStep(windowsMs: readonly number[], intervalMs: number): number {
  const shortest = Math.min(...windowsMs);
  if (windowsMs.length === 0 || shortest < COARSE_FROM_MS) return intervalMs;
  return Math.max(1, Math.floor(shortest / STEPS_PER_SHORTEST_RANGE / intervalMs)) * intervalMs;
}

/**
 * The evaluation instants of a rule over `[from, to]`: the multiples of its interval. A live
 * Prometheus evaluates a group at those multiples plus an offset of its own, the hash of the
 * group's name and file modulo the interval (rules/group.go, `EvalTimestamp`), so that groups do not
 * all run at once; `promtool test rules`, which the cross-check runs, evaluates at the multiples
 * themselves (cmd/promtool/unittest.go). The replay keeps the multiples: the offset depends on the
 * path the live Prometheus loaded the file from, which the history does not tell (the Kubernetes
 * target's operator names the files), and it moves an evaluation by less than one interval, so the
 * replay's times are exact to one interval against a live Prometheus and exact against promtool.
 */
export function evaluationSteps(fromMs: number, toMs: number, intervalMs: number): { first: number; count: number } {
  const first = Math.ceil(fromMs / intervalMs) * intervalMs;
  return { first, count: first > toMs ? 0 : Math.floor((toMs - first) / intervalMs) + 1 };
}

/** The alert labels of a returned series: without `__name__`, with the rule's labels and `alertname`. */
function alertLabels(series: Record<string, string>, rule: ReplayAlertRule): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [name, value] of Object.entries(series)) if (name !== '__name__') labels[name] = value;
  return { ...labels, ...rule.labels, alertname: rule.name };
}

/** A stable key of a label set. */
export function labelKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * Prometheus' alert state machine over one series: the sorted steps at which the expression
 * returned it (indices from `first`, `count` steps in all). Returns its episodes and how many
 * pending alerts never fired.
 */
export function alertEpisodes(
  present: readonly number[],
  rule: Pick<ReplayAlertRule, 'forMs' | 'keepFiringForMs' | 'stepMs'>,
  window: { first: number; count: number },
  labels: Record<string, string>,
): { episodes: AlertEpisode[]; pendingOnly: number } {
  const stepsToFire = Math.ceil(rule.forMs / rule.stepMs);
  // keep_firing_for holds while (step - firstMissing) * interval < keep_firing_for.
  const stepsKept = Math.ceil(rule.keepFiringForMs / rule.stepMs);
  const at = (step: number) => window.first + step * rule.stepMs;
  const episodes: AlertEpisode[] = [];
  let pendingOnly = 0;
  let firing: { activeAt: number; firedAt: number; lastPresent: number } | undefined;
  let runStart = -1;
  const closeRun = (runEnd: number, nextStart: number) => {
    // The series was returned at steps [runStart, runEnd) and next at nextStart (Infinity when never again).
    if (firing === undefined) {
      const fireStep = runStart + stepsToFire;
      if (fireStep < runEnd) firing = { activeAt: runStart, firedAt: fireStep, lastPresent: runEnd - 1 };
      else pendingOnly += 1;
    } else firing.lastPresent = runEnd - 1;
    if (firing === undefined) return;
    const resolveStep = firing.lastPresent + 1 + stepsKept;
    // Back by the step keep_firing_for runs out: the alert was never inactive and fires on.
    if (nextStart <= resolveStep) return;
    episodes.push({
      labels,
      activeAt: at(firing.activeAt),
      firedAt: at(firing.firedAt),
      ...(resolveStep < window.count ? { resolvedAt: at(resolveStep) } : {}),
    });
    firing = undefined;
  };
  for (let i = 0; i < present.length; i += 1) {
    if (i === 0 || present[i] !== present[i - 1] + 1) {
      if (i > 0) closeRun(present[i - 1] + 1, present[i]);
      if (firing === undefined) runStart = present[i];
    }
  }
  if (present.length > 0) closeRun(present[present.length - 1] + 1, Infinity);
  return { episodes, pendingOnly };
}

/** Runs `tasks` with at most `limit` at a time, keeping their order in the results. */
async function pooled<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next;
      next += 1;
      results[index] = await tasks[index]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/**
 * The probe of whether Prometheus held data at a step: `up` is written for every target at every
 * scrape, 0 when the scrape failed, so while Prometheus runs and scrapes anything `count(up)`
 * returns a value. It is read with the same lookback (5m by default) as every selector of the rules:
 * where it returns nothing, every instant selector of scraped series does too, and `absent(...)`
 * of any of them is true only because nothing was stored. A restart shorter than the lookback
 * leaves no gap.
 */
export const COVERAGE_PROBE = 'count(up)';

/** The steps at which Prometheus held data, from the first one on. Times are ms since the epoch. */
export interface HistoryCoverage {
  /** The first step with data: where a replay starts, at or after the `from` asked for. */
  fromMs: number;
  toMs: number;
  /** The probe's step: the greatest common divisor of the rules' intervals. */
  stepMs: number;
  /** 1 at step `i` (at `fromMs + i * stepMs`) when the probe returned a value, else 0. */
  present: Uint8Array;
}

/** A stretch of time without data in a replayed window: `[fromMs, toMs)`. */
export interface DataGap {
  fromMs: number;
  toMs: number;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The step of the coverage probe for `rules`: the greatest common divisor of their intervals (ms), or `fallbackMs` without rules. */
export function coverageStep(rules: readonly Pick<ReplayAlertRule, 'intervalMs'>[], fallbackMs: number): number {
  return rules.reduce((step, rule) => gcd(step, rule.intervalMs), rules[0]?.intervalMs ?? fallbackMs);
}

/** A range query split into chunks of at most `stepsPerQuery` steps, each a task answering its series and how long it took. */
function rangeQueryTasks(
  prometheus: PrometheusApi,
  expr: string,
  window: { first: number; count: number },
  stepMs: number,
  stepsPerQuery: number,
): (() => Promise<{ series: RangeSeries[]; ms: number }>)[] {
  return Array.from({ length: Math.ceil(window.count / stepsPerQuery) }, (_, chunk) => async () => {
    const start = window.first + chunk * stepsPerQuery * stepMs;
    const end = Math.min(start + (stepsPerQuery - 1) * stepMs, window.first + (window.count - 1) * stepMs);
    const started = performance.now();
    const series = await prometheus.queryRange(expr, start, end, stepMs);
    return { series, ms: performance.now() - started };
  });
}

/**
 * Where Prometheus held data over `[fromMs, toMs]`: `COVERAGE_PROBE` as range queries at `stepMs`,
 * from its first step with data on. Throws when it has none in the window, naming the window.
 */
export async function historyCoverage(
  prometheus: PrometheusApi,
  fromMs: number,
  toMs: number,
  stepMs: number,
  options: EvaluateOptions = {},
): Promise<HistoryCoverage> {
  const window = evaluationSteps(fromMs, toMs, stepMs);
  const stepsPerQuery = Math.min(options.stepsPerQuery ?? MAX_STEPS_PER_QUERY, MAX_STEPS_PER_QUERY);
  const answers = await pooled(
    rangeQueryTasks(prometheus, COVERAGE_PROBE, window, stepMs, stepsPerQuery),
    options.concurrency ?? 2,
  ).catch((error: Error) => {
    throw new Error(`coverage probe ${COVERAGE_PROBE}: ${error.message}`, { cause: error });
  });
  const present = new Uint8Array(window.count);
  for (const { series } of answers)
    for (const { values } of series)
      for (const [seconds] of values) present[Math.round((seconds * 1000 - window.first) / stepMs)] = 1;
  const first = present.indexOf(1);
  if (first < 0)
    throw new Error(
      `Prometheus holds no sample of up from ${new Date(fromMs).toISOString()} to ${new Date(toMs).toISOString()}: nothing to replay`,
    );
  return { fromMs: window.first + first * stepMs, toMs, stepMs, present: present.subarray(first) };
}

/** The stretches of `coverage` without data, each from its first step without to the next step with data (or the window's end). */
export function dataGaps(coverage: HistoryCoverage): DataGap[] {
  const gaps: DataGap[] = [];
  const at = (step: number) => coverage.fromMs + step * coverage.stepMs;
  for (let step = 0; step < coverage.present.length; step += 1) {
    if (coverage.present[step] === 1) continue;
    const start = step;
    while (step < coverage.present.length && coverage.present[step] === 0) step += 1;
    gaps.push({ fromMs: at(start), toMs: step < coverage.present.length ? at(step) : coverage.toMs });
  }
  return gaps;
}

/**
 * The stretches of a rule's steps (`window`, at `stepMs`) during which Prometheus held data at every
 * probe step, as `[start, end)` step indices: a step without data, or a probe step without data
 * between two of the rule's steps (a rule replayed at a coarser step), ends a stretch.
 */
export function coveredStretches(
  coverage: HistoryCoverage,
  window: { first: number; count: number },
  stepMs: number,
): [number, number][] {
  // missingBefore[i]: probe steps without data among the first i.
  const missingBefore = new Uint32Array(coverage.present.length + 1);
  coverage.present.forEach((value, i) => (missingBefore[i + 1] = missingBefore[i] + 1 - value));
  const probeIndex = (step: number) =>
    Math.min(
      Math.floor((window.first + step * stepMs - coverage.fromMs) / coverage.stepMs),
      coverage.present.length - 1,
    );
  const stretches: [number, number][] = [];
  let start = -1;
  for (let step = 0; step < window.count; step += 1) {
    const probe = probeIndex(step);
    const covered =
      coverage.present[probe] === 1 &&
      (start < 0 || missingBefore[probe + 1] === missingBefore[probeIndex(step - 1) + 1]);
    if (covered && start < 0) start = step;
    if (!covered && start >= 0) {
      stretches.push([start, step]);
      start = coverage.present[probe] === 1 ? step : -1;
    }
  }
  if (start >= 0) stretches.push([start, window.count]);
  return stretches;
}

/** How the range queries of a replay are run. */
export interface EvaluateOptions {
  /** Range queries in flight at once. @default 2 */
  concurrency?: number;
  /** Steps per range query, at most `MAX_STEPS_PER_QUERY`. @default MAX_STEPS_PER_QUERY */
  stepsPerQuery?: number;
}

/**
 * Every rule evaluated over the window of `coverage` against the Prometheus at `prometheus`, each
 * as range queries at its step, its alert state dropped at every gap in the data. Throws with
 * Prometheus' own message when it refuses a query, naming the rule.
 */
export async function evaluateRules(
  prometheus: PrometheusApi,
  rules: readonly ReplayAlertRule[],
  coverage: HistoryCoverage,
  options: EvaluateOptions = {},
): Promise<RuleOutcome[]> {
  const stepsPerQuery = Math.min(options.stepsPerQuery ?? MAX_STEPS_PER_QUERY, MAX_STEPS_PER_QUERY);
  const plans = rules.map((rule) => ({ rule, window: evaluationSteps(coverage.fromMs, coverage.toMs, rule.stepMs) }));
  const tasks = plans.flatMap(({ rule, window }) =>
    rangeQueryTasks(prometheus, rule.expr, window, rule.stepMs, stepsPerQuery).map(
      (task) => () =>
        task().catch((error: Error) => {
          throw new Error(`alert ${rule.name}: ${error.message}`, { cause: error });
        }),
    ),
  );
  const answers = await pooled(tasks, options.concurrency ?? 2);
  let answer = 0;
  return plans.map(({ rule, window }) => {
    const steps = new Map<string, { labels: Record<string, string>; present: number[] }>();
    const chunks = Math.ceil(window.count / stepsPerQuery);
    let queryMs = 0;
    for (let chunk = 0; chunk < chunks; chunk += 1) {
      queryMs += answers[answer + chunk].ms;
      for (const series of answers[answer + chunk].series) {
        const labels = alertLabels(series.metric, rule);
        const key = labelKey(labels);
        const entry = steps.get(key) ?? { labels, present: [] };
        for (const [seconds] of series.values)
          entry.present.push(Math.round((seconds * 1000 - window.first) / rule.stepMs));
        steps.set(key, entry);
      }
    }
    answer += chunks;
    const stretches = coveredStretches(coverage, window, rule.stepMs);
    const outcome: RuleOutcome = { rule, episodes: [], pendingOnly: 0, queryMs: Math.round(queryMs) };
    for (const { labels, present } of steps.values()) {
      // Two series with one label set after `__name__` is dropped fail the rule live; here they merge.
      const sorted = [...new Set(present)].sort((a, b) => a - b);
      let next = 0;
      for (const [start, end] of stretches) {
        const stretch = { first: window.first + start * rule.stepMs, count: end - start };
        while (next < sorted.length && sorted[next] < start) next += 1;
        const inside: number[] = [];
        for (; next < sorted.length && sorted[next] < end; next += 1) inside.push(sorted[next] - start);
        const { episodes, pendingOnly } = alertEpisodes(inside, rule, stretch, labels);
        // Still firing where the data stops: it resolves there (Alertmanager resolves what is no longer sent).
        const stopsAt = end < window.count ? window.first + end * rule.stepMs : undefined;
        outcome.episodes.push(
          ...episodes.map((episode) =>
            episode.resolvedAt === undefined && stopsAt !== undefined ? { ...episode, resolvedAt: stopsAt } : episode,
          ),
        );
        outcome.pendingOnly += pendingOnly;
      }
    }
    outcome.episodes.sort((a, b) => a.firedAt - b.firedAt);
    return outcome;
  });
}
