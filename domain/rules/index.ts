/**
 * Public face of rules/: the rule files Prometheus loads, and the typed pieces dashboards and the
 * e2e harness reuse (catalog, PromQL helpers, thresholds, recordings, alerts).
 */
import { RenderedFile } from '../../core/rendered-file';
import { RuleRenderOptions, renderRuleGroups } from './render';

export * from '../metrics/catalog';
export * from '../metrics/promql';
export * from '../metrics/thresholds';
export * from '../metrics/recordings';
export * from './model';
export * from '../../core/severity';
export { RULE_GROUPS, ALERTS } from './groups';
export type { AlertName } from './groups';
export { DEFAULT_RUNBOOK_BASE_URL, ruleFilePath, runbookUrl, validateGroups } from './render';
export type { RuleRenderOptions } from './render';

/** One YAML file per rule group, paths relative to Prometheus' config directory (`rules/<group>.yml`). */
export function renderRuleFiles(options: RuleRenderOptions = {}): RenderedFile[] {
  return renderRuleGroups(options);
}
