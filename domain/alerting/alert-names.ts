/**
 * The alerts routing and inhibition may name (rules/ defines them), and the labels Alertmanager
 * reads from them.
 */
import { ALERTS, AlertName, AlertRule, linkAnnotations } from '../rules';
import { LabelName, METRICS, Metric, TARGET_LABELS } from '../metrics';

export type { AlertName };

const RULES: readonly AlertRule[] = Object.values(ALERTS);

/** Every alert rules/ defines. */
export const ALERT_NAMES = RULES.map((rule) => rule.name as AlertName);

/** The rule of an alert (its severity, expression, annotations). */
export function alertRule(name: AlertName): AlertRule {
  const rule = RULES.find((candidate) => candidate.name === name);
  if (!rule) throw new Error(`no alert named ${name} in rules/`);
  return rule;
}

/** The always-firing heartbeat: routed to the dead man's switch, never to people. */
export const WATCHDOG: AlertName = ALERTS.Watchdog.name;

/** Alertmanager failing to deliver; for Telegram it holds the Watchdog back (the dead man's switch). */
export const NOTIFICATIONS_FAILING: AlertName = ALERTS.AlertmanagerNotificationsFailing.name;

/** `K`, checked to be a label of metric `M` in the catalog (a renamed label is a compile error here). */
type CatalogLabel<M extends Metric, K extends LabelName<M>> = K;

/**
 * Labels of an alert that Alertmanager reads: the rule's `alertname` and `severity`, the target
 * labels, and the catalog's labels that say which queue, marketplace, filesystem or Alertmanager
 * integration is failing.
 */
export type AlertLabel =
  | 'alertname'
  | 'severity'
  | keyof typeof TARGET_LABELS
  | CatalogLabel<typeof METRICS.app.celeryQueueLength, 'queue_name'>
  | CatalogLabel<typeof METRICS.app.syncOperations, 'platform'>
  | CatalogLabel<typeof METRICS.node.filesystemSize, 'mountpoint'>
  | CatalogLabel<typeof METRICS.alertmanager.notificationsFailed, 'integration'>;

/** Annotations every rule carries (domain/rules/render.ts writes them). */
export const ANNOTATIONS = {
  summary: 'summary',
  description: 'description',
  runbook: 'runbook_url',
  dashboard: 'dashboard_url',
} as const satisfies Record<string, keyof ReturnType<typeof linkAnnotations> | 'summary' | 'description'>;
