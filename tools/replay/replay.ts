/**
 * One replay: a rule set evaluated over a Prometheus' stored history (evaluate.ts), then the
 * Alertmanager model (alertmanager.ts) over the alerts that fired, giving every message each
 * receiver would have sent. The report (report.ts) and the labelled-month benchmark read it.
 */
import { PrometheusApi } from '../../clients/prometheus';
import { Message, simulateAlertmanager } from './alertmanager';
import { EvaluateOptions, RuleOutcome, SkippedRule, evaluateRules, replayableRules } from './evaluate';
import { ReplayRuleSet } from './rule-set';

/** What a rule set would have done over a window. Times are ms since the epoch. */
export interface ReplayResult {
  source: string;
  fromMs: number;
  toMs: number;
  outcomes: RuleOutcome[];
  skipped: SkippedRule[];
  messages: Message[];
  /** Wall time of the rule evaluation and the Alertmanager model. */
  seconds: number;
}

/** Replays `ruleSet` against the history `prometheus` holds over `[fromMs, toMs]`. */
export async function replay(
  prometheus: PrometheusApi,
  ruleSet: ReplayRuleSet,
  fromMs: number,
  toMs: number,
  options: EvaluateOptions = {},
): Promise<ReplayResult> {
  const started = process.hrtime.bigint();
  const { rules, skipped } = replayableRules(ruleSet);
  const outcomes = await evaluateRules(prometheus, rules, fromMs, toMs, options);
  const messages = simulateAlertmanager(
    ruleSet.alertmanager,
    outcomes.flatMap((outcome) => outcome.episodes),
    fromMs,
    toMs,
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { source: ruleSet.source, fromMs, toMs, outcomes, skipped, messages, seconds };
}
