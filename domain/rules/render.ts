/**
 * Renders the rule groups to Prometheus rule files, one per group, after validating them: rule
 * names unique, group names file-safe, every alert with a runbook link and a panel link.
 */
import { Document } from 'yaml';
import { DEFAULT_RUNBOOK_BASE_URL } from '../../config/alerting-settings';
import { Duration } from '../../core/duration';
import { RenderedFile } from '../../core/rendered-file';
import { AlertRule, RuleGroup, isAlert } from './model';
import { Recording } from '../metrics/recordings';
import { panelUrl } from '../dashboards';
import { DEFAULT_CONFIG } from '../../config/monitoring-config';

/** Where the links every alert carries point. */
export interface LinkOptions {
  /** Base of `runbook_url`: `<base>/<AlertName>.md`. Default `DEFAULT_RUNBOOK_BASE_URL`. */
  readonly runbookBaseUrl?: string;
  /** Grafana as people open it, start of `dashboard_url`. Default `DEFAULT_CONFIG.grafana.publicUrl`. */
  readonly grafanaUrl?: string;
}

export interface RuleRenderOptions extends LinkOptions {
  /**
   * Multiplies every `for` and group interval. The e2e timing profile passes 1/60 so minutes
   * become seconds; expression windows stay as they are. Default 1.
   */
  readonly timeScale?: number;
}

/** A rule as Prometheus' rule file format has it (and the Prometheus Operator's PrometheusRule). */
export interface RuleSpec {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  keep_firing_for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** A group as Prometheus' rule file format has it. */
export interface RuleGroupSpec {
  name: string;
  interval?: string;
  rules: RuleSpec[];
}

const GROUP_NAME = /^[a-z][a-z0-9-]*$/;

/** The rule file of a group, relative to Prometheus' configuration directory. */
export function ruleFilePath(group: RuleGroup): string {
  return `rules/${group.name}.yml`;
}

export function runbookUrl(alertName: string, baseUrl = DEFAULT_RUNBOOK_BASE_URL): string {
  return `${baseUrl.replace(/\/+$/, '')}/${alertName}.md`;
}

/** The annotations that link an alert to what on-call opens: its runbook and the panel of its condition. */
export function linkAnnotations(
  rule: AlertRule,
  options: LinkOptions = {},
): { runbook_url: string; dashboard_url: string } {
  return {
    runbook_url: runbookUrl(rule.name, options.runbookBaseUrl),
    dashboard_url: panelUrl(rule.panel, options.grafanaUrl ?? DEFAULT_CONFIG.grafana.publicUrl),
  };
}

/** Throws one error listing every problem: duplicate rule or group names, malformed group names. */
export function validateGroups(groups: readonly RuleGroup[]): void {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  const groupNames = new Set<string>();
  for (const group of groups) {
    if (!GROUP_NAME.test(group.name))
      problems.push(`group "${group.name}": name must be lowercase letters, digits and -`);
    if (groupNames.has(group.name)) problems.push(`group "${group.name}" is declared twice`);
    groupNames.add(group.name);
    if (group.rules.length === 0) problems.push(`group "${group.name}" has no rules`);
    for (const rule of group.rules) {
      const previous = seen.get(rule.name);
      if (previous !== undefined)
        problems.push(`rule "${rule.name}" is declared twice (groups "${previous}" and "${group.name}")`);
      seen.set(rule.name, group.name);
    }
  }
  if (problems.length > 0) throw new Error(`invalid rule groups:\n  - ${problems.join('\n  - ')}`);
}

function alertSpec(rule: AlertRule, options: RuleRenderOptions & { timeScale: number }): RuleSpec {
  const forDuration = rule.for.times(options.timeScale);
  return {
    alert: rule.name,
    expr: rule.expr.text,
    ...(forDuration.millis > 0 ? { for: forDuration.toString() } : {}),
    ...(rule.keepFiringFor ? { keep_firing_for: rule.keepFiringFor.times(options.timeScale).toString() } : {}),
    labels: { severity: rule.severity },
    annotations: {
      summary: rule.summary.toString(),
      description: rule.description.toString(),
      ...rule.annotations,
      ...linkAnnotations(rule, options),
    },
  };
}

function recordingSpec(rule: Recording): RuleSpec {
  return { record: rule.name, expr: rule.expr.text };
}

function scaled(interval: Duration | undefined, factor: number): { interval?: string } {
  return interval ? { interval: interval.times(factor).toString() } : {};
}

/**
 * The groups as Prometheus' rule format has them, validated first: what each rule file holds, and
 * what the Kubernetes target puts into its PrometheusRules.
 */
export function ruleGroupSpecs(groups: readonly RuleGroup[], options: RuleRenderOptions = {}): RuleGroupSpec[] {
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0 && timeScale <= 1)) throw new RangeError(`timeScale must be in (0, 1], got ${timeScale}`);
  validateGroups(groups);
  const settings = { ...options, timeScale };
  return groups.map((group) => ({
    name: group.name,
    ...scaled(group.interval, timeScale),
    rules: group.rules.map((rule) => (isAlert(rule) ? alertSpec(rule, settings) : recordingSpec(rule))),
  }));
}

/** One YAML file per group, paths `rules/<group>.yml` (relative to Prometheus' configuration directory). */
export function renderRuleFiles(groups: readonly RuleGroup[], options: RuleRenderOptions = {}): RenderedFile[] {
  return ruleGroupSpecs(groups, options).map((spec, i) => {
    const document = new Document({ groups: [spec] });
    document.commentBefore =
      ' Generated from domain/rules/groups/ (TypeScript); do not edit: change the typed rule and re-deploy.';
    return { path: ruleFilePath(groups[i]), content: document.toString({ lineWidth: 0 }) };
  });
}
