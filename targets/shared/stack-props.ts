/**
 * What both stacks are given: the configuration, and the seams tests use to replace what the
 * domain renders (rule groups, Alertmanager's files, dashboards) with small fixed samples.
 */
import { AlertingSettings } from '../../config/alerting-settings';
import { MonitoringConfig } from '../../config/monitoring-config';
import { RenderedFile } from '../../core/rendered-file';
import { AlertmanagerSecrets } from '../../domain/alerting';
import { RenderedDashboard } from '../../domain/dashboards';
import { RuleGroup } from '../../domain/rules';

export interface MonitoringStackProps {
  readonly config: MonitoringConfig;
  /**
   * The rule groups Prometheus evaluates (runbook links under `config.alerting.runbookBaseUrl`, panel
   * links under `config.grafana.publicUrl`).
   * @default RULE_GROUPS
   */
  readonly ruleGroups?: readonly RuleGroup[];
  /**
   * Alertmanager's files for the given secret expressions.
   * @default renderAlertmanagerFiles
   */
  readonly alertmanagerFiles?: (alerting: AlertingSettings, secrets: AlertmanagerSecrets) => RenderedFile[];
  /**
   * The dashboards Grafana is given.
   * @default renderDashboards({ alertmanager: config.alerting.externalUrl })
   */
  readonly dashboards?: readonly RenderedDashboard[];
}
