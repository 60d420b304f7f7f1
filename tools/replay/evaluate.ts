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
 * A rule whose every window is 6 h or longer (an SLO's ticket tier: 1x over 3 d and 6 h, read
 * through recordings or not) is replayed at a coarser step, a 24th of its shortest window in whole
 * evaluation intervals: such a value moves by a fraction of a percent between two evaluations,
 * while Prometheus reads the whole window again at each of the month's 172,800 steps (measured on
 * the labelled month: `rate(x[3d])` over 21 series takes 3.8 s per replayed day at 15 s, about 2
 * minutes for the month; `avg_over_time` of an inlined 5m recording over 3d did not finish in 4
 * minutes). Its times are then exact to that step; every other rule is replayed at its interval.
 */
import { Duration } from '../../core/duration';
import { PrometheusApi } from '../../clients/prometheus';
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

/** The evaluation instants of a rule over `[from, to]`: multiples of its interval, as a live group's are. */
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

/** How the range queries of a replay are run. */
export interface EvaluateOptions {
  /** Range queries in flight at once. @default 2 */
  concurrency?: number;
  /** Steps per range query, at most `MAX_STEPS_PER_QUERY`. @default MAX_STEPS_PER_QUERY */
  stepsPerQuery?: number;
}

/**
 * Every rule evaluated over `[fromMs, toMs]` against the Prometheus at `prometheus`, each as range
 * queries at its group's interval. Throws with Prometheus' own message when it refuses a query,
 * naming the rule.
 */
export async function evaluateRules(
  prometheus: PrometheusApi,
  rules: readonly ReplayAlertRule[],
  fromMs: number,
  toMs: number,
  options: EvaluateOptions = {},
): Promise<RuleOutcome[]> {
  const stepsPerQuery = Math.min(options.stepsPerQuery ?? MAX_STEPS_PER_QUERY, MAX_STEPS_PER_QUERY);
  const plans = rules.map((rule) => ({ rule, window: evaluationSteps(fromMs, toMs, rule.stepMs) }));
  const tasks = plans.flatMap(({ rule, window }) =>
    Array.from({ length: Math.ceil(window.count / stepsPerQuery) }, (_, chunk) => async () => {
      const start = window.first + chunk * stepsPerQuery * rule.stepMs;
      const end = Math.min(start + (stepsPerQuery - 1) * rule.stepMs, window.first + (window.count - 1) * rule.stepMs);
      try {
        const started = performance.now();
        const series = await prometheus.queryRange(rule.expr, start, end, rule.stepMs);
        return { series, ms: performance.now() - started };
      } catch (error) {
        throw new Error(`alert ${rule.name}: ${(error as Error).message}`, { cause: error });
      }
    }),
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
    const outcome: RuleOutcome = { rule, episodes: [], pendingOnly: 0, queryMs: Math.round(queryMs) };
    for (const { labels, present } of steps.values()) {
      // Two series with one label set after `__name__` is dropped fail the rule live; here they merge.
      const sorted = [...new Set(present)].sort((a, b) => a - b);
      const { episodes, pendingOnly } = alertEpisodes(sorted, rule, window, labels);
      outcome.episodes.push(...episodes);
      outcome.pendingOnly += pendingOnly;
    }
    outcome.episodes.sort((a, b) => a.firedAt - b.firedAt);
    return outcome;
  });
}
