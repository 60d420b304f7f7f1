/**
 * Public face of rules/: every rule group as Prometheus evaluates it (the groups' own alerts and
 * recordings, plus the blind-spot warnings in the group of what they watch), every alert by name,
 * and the files they render to.
 */
import { AlertRule, RuleGroup, bySeverity } from './model';
import { BLIND_SPOT_ALERTS, METRIC_CONTRACTS } from './blind-spots';
import { GROUP_ALERTS, GROUP_DEFINITIONS } from './groups';

export * from './model';
export { linkAnnotations, renderRuleFiles, ruleGroupSpecs, runbookUrl, validateGroups } from './render';
export { SAMPLES_PER_RANGE, rangesRead, scrapeIntervalProblems, shortestRange } from './windows';
export type { LinkOptions, RuleGroupSpec, RuleRenderOptions, RuleSpec } from './render';

/** Every alert, by name: the names routing and inhibition (alerting/) may refer to. */
export const ALERTS = { ...GROUP_ALERTS, ...BLIND_SPOT_ALERTS };
export type AlertName = (typeof ALERTS)[keyof typeof ALERTS]['name'];

/** The groups Prometheus evaluates, one file each, in file order: recordings first, then the alerts. */
export const RULE_GROUPS: readonly RuleGroup[] = GROUP_DEFINITIONS.map((group) => {
  const blindSpots = METRIC_CONTRACTS.filter((contract) => contract.group === group.name).map(
    (contract) => BLIND_SPOT_ALERTS[contract.alert],
  );
  return {
    name: group.name,
    rules: [...group.recordings, ...[...(Object.values(group.alerts) as AlertRule[]), ...blindSpots].sort(bySeverity)],
  };
});
