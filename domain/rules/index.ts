/**
 * Public face of rules/: every rule group as Prometheus evaluates it (the groups' own alerts and
 * recordings, plus the blind-spot warnings in the group of what they watch), every alert by name,
 * and the files they render to.
 */
import { DEFAULT_SLO_SETTINGS, SloSettings } from '../../config/slo-settings';
import type { ConfigProblem } from '../../config/errors';
import type { MonitoringConfig } from '../../config/monitoring-config';
import { sloProblems } from '../metrics/slo';
import { scrapeIntervalProblems } from './windows';
import { AlertRule, RuleGroup, bySeverity } from './model';
import { BLIND_SPOT_ALERTS, METRIC_CONTRACTS } from './blind-spots';
import { GROUP_ALERTS, groupDefinitions } from './groups';

export * from './model';
export { linkAnnotations, renderRuleFiles, ruleGroupSpecs, runbookUrl, validateGroups } from './render';
export { SAMPLES_PER_RANGE, rangesRead, scrapeIntervalProblems, shortestRange } from './windows';
export { SLO_LABEL, SLO_QUERIES } from './groups/slo';
export type { LinkOptions, RuleGroupSpec, RuleRenderOptions, RuleSpec } from './render';

/**
 * Every alert, by name: the names routing and inhibition (alerting/) may refer to. The burn-rate
 * alerts are those of the default SLOs: their names, labels and metrics are the same whatever the
 * objectives, only their levels differ.
 */
export const ALERTS = { ...GROUP_ALERTS, ...BLIND_SPOT_ALERTS };
export type AlertName = (typeof ALERTS)[keyof typeof ALERTS]['name'];

/**
 * The groups Prometheus evaluates for the configured SLOs, one file each, in file order:
 * recordings first, then the alerts.
 */
export function ruleGroups(slo: SloSettings): readonly RuleGroup[] {
  return groupDefinitions(slo).map((group) => {
    const blindSpots = METRIC_CONTRACTS.filter((contract) => contract.group === group.name).map(
      (contract) => BLIND_SPOT_ALERTS[contract.alert],
    );
    return {
      name: group.name,
      rules: [
        ...group.recordings,
        ...[...(Object.values(group.alerts) as AlertRule[]), ...blindSpots].sort(bySeverity),
      ],
    };
  });
}

/** The groups of the default configuration (docs, tests, the check CLI's expectations). */
export const RULE_GROUPS: readonly RuleGroup[] = ruleGroups(DEFAULT_SLO_SETTINGS);

/**
 * What the rules ask of a configuration that its own validation cannot see: SLOs the catalog and
 * the burn-rate tiers can serve (checked first: the groups are built from them), then a scrape
 * interval short enough for the rules' ranges.
 */
export function ruleConfigProblems(config: Pick<MonitoringConfig, 'prometheus' | 'slo'>): ConfigProblem[] {
  const slo = sloProblems(config.slo);
  return slo.length > 0 ? slo : scrapeIntervalProblems(config.prometheus, ruleGroups(config.slo));
}
