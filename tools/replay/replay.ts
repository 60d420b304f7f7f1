/**
 * One replay: a rule set evaluated over a Prometheus' stored history (evaluate.ts), then the
 * Alertmanager model (alertmanager.ts) over the alerts that fired, giving every message each
 * receiver would have sent. The report (report.ts) and the labelled-month benchmark read it.
 */
import { PrometheusApi } from '../../clients/prometheus';
import { Message, simulateAlertmanager } from './alertmanager';
import {
  DataGap,
  EvaluateOptions,
  RuleOutcome,
  SkippedRule,
  coverageStep,
  dataGaps,
  evaluateRules,
  historyCoverage,
  replayableRules,
} from './evaluate';
import { Duration } from '../../core/duration';
import { ReplayRuleSet } from './rule-set';

/** What a rule set would have done over a window. Times are ms since the epoch. */
export interface ReplayResult {
  source: string;
  /** The `from` asked for; the replay starts at `fromMs`, Prometheus' first step with data, when that is later. */
  requestedFromMs: number;
  fromMs: number;
  toMs: number;
  outcomes: RuleOutcome[];
  /** Stretches where Prometheus held no data: no alert was pending or firing there. */
  gaps: DataGap[];
  skipped: SkippedRule[];
  messages: Message[];
  /** Wall time of the rule evaluation and the Alertmanager model. */
  seconds: number;
}

/**
 * Replays `ruleSet` against the history `prometheus` holds over `[fromMs, toMs]`, from its first
 * step with data on. Throws when it holds none there, or refuses a query.
 */
export async function replay(
  prometheus: PrometheusApi,
  ruleSet: ReplayRuleSet,
  fromMs: number,
  toMs: number,
  options: EvaluateOptions = {},
): Promise<ReplayResult> {
  const started = process.hrtime.bigint();
  const { rules, skipped } = replayableRules(ruleSet);
  const step = coverageStep(rules, Duration.parse(ruleSet.evaluationInterval).millis);
  const coverage = await historyCoverage(prometheus, fromMs, toMs, step, options);
  const outcomes = await evaluateRules(prometheus, rules, coverage, options);
  const messages = simulateAlertmanager(
    ruleSet.alertmanager,
    outcomes.flatMap((outcome) => outcome.episodes),
    coverage.fromMs,
    toMs,
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return {
    source: ruleSet.source,
    requestedFromMs: fromMs,
    fromMs: coverage.fromMs,
    toMs,
    outcomes,
    gaps: dataGaps(coverage),
    skipped,
    messages,
    seconds,
  };
}
