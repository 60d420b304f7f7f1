/**
 * Dashboard variables: a drop-down of the values a catalog label takes, and the matcher panels
 * filter by. The variable is named after its label (`$tenant_id` filters `tenant_id`).
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { LabelName, Metric } from '../metrics';
import { Matcher, matches, select } from '../metrics/promql';
import { PROMETHEUS_DATASOURCE } from './datasource';

/** What a multi-value variable stands for when "All" is selected: any value, or none. */
export const ALL_VALUES = '.*';

export interface LabelVariable {
  readonly name: string;
  /** `label=~"$name"`: keeps the series of the selected values (Grafana writes a selection as `a|b`). */
  readonly matcher: Matcher;
  readonly builder: dashboard.QueryVariableBuilder;
}

/** A multi-value variable listing the values of `label` on `metric`, "All" by default. */
export function labelValuesVariable<M extends Metric<'counter' | 'gauge'>, K extends LabelName<M>>(
  metric: M,
  label: K,
  title: string,
): LabelVariable {
  const builder = new dashboard.QueryVariableBuilder(label)
    .label(title)
    .description(metric.labels[label].help)
    .datasource(PROMETHEUS_DATASOURCE)
    .query(`label_values(${select(metric).text}, ${label})`)
    .refresh(dashboard.VariableRefresh.OnTimeRangeChanged)
    .sort(dashboard.VariableSort.AlphabeticalAsc)
    .multi(true)
    .includeAll(true)
    .allValue(ALL_VALUES)
    .current({ selected: true, text: ['All'], value: ['$__all'] });
  return { name: label, matcher: matches(`$${label}`), builder };
}

/**
 * `expr` as Prometheus runs it with every variable on "All": `$name`, `${name}` and
 * `${name:format}` replaced by `ALL_VALUES`.
 */
export function withAllValues(expr: string, variableNames: readonly string[]): string {
  return variableNames.reduce(
    (text, name) => text.replace(new RegExp(`\\$(?:${name}\\b|\\{${name}(?::[^}]*)?\\})`, 'g'), ALL_VALUES),
    expr,
  );
}
