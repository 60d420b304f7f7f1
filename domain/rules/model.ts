/**
 * The typed rule model: alerting rules whose annotations can only print labels their expression
 * keeps, recording rules (domain/metrics/recordings.ts) and the groups that hold them.
 */
import { Duration } from '../../core/duration';
import { Expr } from '../metrics/promql';
import { Recording } from '../metrics/recordings';
import { Severity } from '../../core/severity';
import type { PanelRef } from '../dashboards';

/**
 * The `severity` label: who is told. `none` is the Watchdog's, which no person is told about
 * (Alertmanager routes it to the dead man's switch).
 */
export type AlertSeverity = Severity | 'none';

/** `{{ $labels.<name> }}` in an annotation. */
export interface LabelRef<K extends string> {
  readonly kind: 'label';
  readonly name: K;
  /** Printed when the series lacks the label (a branch of an `or`, e.g. `absent(...)`). */
  readonly fallback?: string;
}

/** How `{{ $value }}` is printed (Prometheus' template functions). */
export const VALUE_FORMATS = {
  percent: 'humanizePercentage',
  duration: 'humanizeDuration',
  number: 'humanize',
} as const;
export type ValueFormat = keyof typeof VALUE_FORMATS;

export interface ValueRef {
  readonly kind: 'value';
  readonly format: ValueFormat;
}

export type TemplatePart = string | LabelRef<string> | ValueRef;

/**
 * An annotation text with typed holes. `C` are the labels it prints that every series has;
 * `O` those it prints with a fallback because only some branches have them.
 */
export class Template<C extends string = string, O extends string = string> {
  declare readonly certainLabels?: C;
  declare readonly optionalLabels?: O;

  constructor(readonly parts: readonly TemplatePart[]) {}

  /** Prometheus (Go) template text. */
  toString(): string {
    return this.parts
      .map((part) => {
        if (typeof part === 'string') return part;
        if (part.kind === 'value') return `{{ $value | ${VALUE_FORMATS[part.format]} }}`;
        if (part.fallback === undefined) return `{{ $labels.${part.name} }}`;
        return `{{ with $labels.${part.name} }}{{ . }}{{ else }}${part.fallback}{{ end }}`;
      })
      .join('');
  }

  /** The text an alert with these labels and this printed value shows (for unit-test expectations). */
  expand(labels: Readonly<Record<string, string>>, value: string | undefined): string {
    return this.parts
      .map((part) => {
        if (typeof part === 'string') return part;
        if (part.kind === 'value') {
          if (value === undefined)
            throw new Error(`template "${this}" prints $value: the test case must say how it prints`);
          return value;
        }
        const labelValue = labels[part.name];
        if (labelValue !== undefined && labelValue !== '') return labelValue;
        if (part.fallback !== undefined) return part.fallback;
        throw new Error(`template "${this}" prints label "${part.name}" that the expected alert labels lack`);
      })
      .join('');
  }

  get printsValue(): boolean {
    return this.parts.some((part) => typeof part !== 'string' && part.kind === 'value');
  }
}

/** `$label('instance')`: prints a label every series of the expression has. */
export function $label<K extends string>(name: K): LabelRef<K> & { readonly certain: true } {
  return { kind: 'label', name, certain: true };
}
/** `$labelOr('instance', 'no target')`: prints a label some series lack, or the fallback. */
export function $labelOr<K extends string>(name: K, fallback: string): LabelRef<K> & { readonly certain: false } {
  return { kind: 'label', name, fallback, certain: false };
}
/** `$value`, printed as a percentage, duration or SI number. */
export function $value(format: ValueFormat): ValueRef {
  return { kind: 'value', format };
}

type Hole = TemplatePart | Template<string, string>;
type CertainOf<P> = P extends LabelRef<infer K> & { readonly certain: true }
  ? K
  : P extends Template<infer C, string>
    ? C
    : never;
type OptionalOf<P> = P extends LabelRef<infer K> & { readonly certain: false }
  ? K
  : P extends Template<string, infer O>
    ? O
    : never;

/** Tagged template: t`PostgreSQL on ${$label('instance')} is down`; holes may be other templates. */
export function t<P extends Hole[]>(
  strings: TemplateStringsArray,
  ...holes: P
): Template<CertainOf<P[number]>, OptionalOf<P[number]>> {
  const parts: TemplatePart[] = [];
  strings.forEach((text, i) => {
    parts.push(text);
    if (i < holes.length) {
      const hole = holes[i];
      parts.push(...(hole instanceof Template ? hole.parts : [hole]));
    }
  });
  // Adjacent literals merge, so a nested template reads as one text.
  const merged = parts.reduce<TemplatePart[]>((out, part) => {
    const last = out[out.length - 1];
    if (typeof part === 'string' && typeof last === 'string') out[out.length - 1] = last + part;
    else if (part !== '') out.push(part);
    return out;
  }, []);
  return new Template(merged);
}

/** The rule groups, one file each (`rules/<group>.yml`), in file order. */
export const RULE_GROUP_NAMES = [
  'stock-tracker-api',
  'celery',
  'business',
  'postgresql',
  'redis',
  'host',
  'containers',
  'monitoring',
] as const;
export type RuleGroupName = (typeof RULE_GROUP_NAMES)[number];

export interface AlertSpec<L extends string, P extends string> {
  /** PascalCase, unique across all groups: the `alertname` label. */
  name: string;
  expr: Expr<L, P>;
  /** How long the condition must hold before the alert fires. */
  for: Duration;
  /**
   * How long it keeps firing once its condition has cleared (Prometheus' `keep_firing_for`, 2.42+):
   * a cause held this long keeps holding back the alerts it explains while they clear a scrape or
   * two after it. @default none
   */
  keepFiringFor?: Duration;
  severity: AlertSeverity;
  /** One line: what is wrong, and where. */
  summary: Template<NoInfer<L>, NoInfer<P>>;
  /** What it means and what it affects, with the numbers. */
  description: Template<NoInfer<L>, NoInfer<P>>;
  /**
   * The Grafana panel that shows its condition: the `dashboard_url` annotation, and the panel link
   * of the Telegram message, open it (`{ dashboard: 'overview', title: 'API status' }`; a title
   * that dashboard does not have does not compile).
   */
  panel: PanelRef;
  /**
   * Further fixed annotations, shown in Alertmanager's and Grafana's alert lists but not in the
   * Telegram message (whose parts are bounded). Default none.
   */
  annotations?: Readonly<Record<string, string>>;
}

export interface AlertRule<L extends string = string, P extends string = string> extends AlertSpec<L, P> {
  readonly kind: 'alert';
}

const ALERT_NAME = /^[A-Z][A-Za-z0-9]*$/;

/** Declares an alert; its annotations may only print labels its expression keeps. */
export function alert<const N extends string, L extends string, P extends string>(
  spec: AlertSpec<L, P> & { name: N },
): AlertRule<L, P> & { readonly name: N } {
  if (!ALERT_NAME.test(spec.name))
    throw new Error(`alert name "${spec.name}" must be PascalCase letters and digits (e.g. HighErrorRate)`);
  return { kind: 'alert', ...spec };
}

export type Rule = AlertRule | Recording;

/**
 * A rule group as its file under groups/ declares it: its name, the recordings it evaluates (first:
 * rules of a group run in order, so its alerts see this evaluation's values) and its alerts by name.
 */
export interface RuleGroupDefinition<
  A extends Readonly<Record<string, AlertRule>> = Readonly<Record<string, AlertRule>>,
> {
  readonly name: RuleGroupName;
  readonly recordings: readonly Recording[];
  readonly alerts: A;
}

/** Declares a rule group (see `RuleGroupDefinition`). */
export function ruleGroup<const A extends Readonly<Record<string, AlertRule>>>(
  name: RuleGroupName,
  recordings: readonly Recording[],
  alerts: A,
): RuleGroupDefinition<A> {
  return { name, recordings, alerts };
}

export interface RuleGroup {
  /** Group name and file name (`rules/<name>.yml`): lowercase words joined by `-`. */
  readonly name: string;
  /** Evaluation interval of the group; default Prometheus' global `evaluation_interval`. */
  readonly interval?: Duration;
  /** Recordings first: rules of a group run in order, so alerts see this evaluation's recordings. */
  readonly rules: readonly Rule[];
}

export function isAlert(rule: Rule): rule is AlertRule {
  return 'kind' in rule && rule.kind === 'alert';
}

const SEVERITY_ORDER: readonly AlertSeverity[] = ['critical', 'warning', 'info', 'none'];

/** Sort order of alerts: most severe first, then by name (the order of the rule files and of blind-alert lists). */
export function bySeverity(a: AlertRule, b: AlertRule): number {
  return SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || a.name.localeCompare(b.name);
}
