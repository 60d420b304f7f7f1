/**
 * Public face of dashboards/: the dashboards Grafana is provisioned with, built as typed objects
 * with Grafana's foundation SDK, and the list of their queries for the e2e harness.
 */
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import { BUSINESS_UID, businessDashboard } from './business';
import { INFRASTRUCTURE_UID, infrastructureDashboard } from './infrastructure';
import { DashboardDefinition, DashboardUrls, buildDashboard } from './layout';
import { OVERVIEW_UID, overviewDashboard } from './overview';
import { ERROR_BUDGET_UID, errorBudgetDashboard } from './error-budget';
import { DEFAULT_SLO_SETTINGS, SloSettings } from '../../config/slo-settings';
import { Metric } from '../metrics';
import { withAllValues } from './variables';

export { PROMETHEUS_DATASOURCE_UID } from './datasource';
export { buildDashboard } from './layout';
export type { DashboardDefinition, DashboardUrls } from './layout';
export { ALL_VALUES } from './variables';

export interface RenderedDashboard {
  /** Stable Grafana uid. */
  uid: string;
  title: string;
  /** The dashboard model as JSON, what `grafana_dashboard.config_json` takes. */
  json: string;
}

/** The uid of each dashboard: stable, so bookmarks and links survive a redeploy. */
export const DASHBOARD_UIDS = {
  overview: OVERVIEW_UID,
  business: BUSINESS_UID,
  infrastructure: INFRASTRUCTURE_UID,
  errorBudgets: ERROR_BUDGET_UID,
} as const;

/**
 * Every dashboard, as typed definitions (fresh objects on each call); the error budgets follow the
 * configured SLOs (default: the default ones, for the panels' names and queries, which do not depend on them).
 */
export function dashboardDefinitions(slo: SloSettings = DEFAULT_SLO_SETTINGS): DashboardDefinition[] {
  return [overviewDashboard(), businessDashboard(), infrastructureDashboard(), errorBudgetDashboard(slo)];
}

/** Every dashboard as Grafana stores it, linking to `urls`, with the error budgets of `slo`. */
export function renderDashboards(urls: DashboardUrls, slo: SloSettings = DEFAULT_SLO_SETTINGS): RenderedDashboard[] {
  return dashboardDefinitions(slo).map((definition) => ({
    uid: definition.uid,
    title: definition.title,
    json: JSON.stringify(buildDashboard(definition, urls)),
  }));
}

/** One query of one panel, as the e2e harness runs it against a real Prometheus. */
export interface PanelQuery {
  dashboardUid: string;
  panelTitle: string;
  refId: string;
  /** The expression with every dashboard variable on "All" (`.*`), ready for Prometheus' API. */
  expr: string;
  /** Reads cAdvisor metrics: only answerable where cAdvisor runs (Docker), not on a bare test machine. */
  needsCadvisor: boolean;
}

/** Every query of every panel, in dashboard and panel order, as Grafana sends it. */
export function panelQueries(): PanelQuery[] {
  return dashboardDefinitions().flatMap((definition) => {
    const variableNames = definition.variables.map((variable) => variable.name);
    return definition.sections.flatMap(({ panels }) =>
      panels.flatMap((panel) => {
        const needsCadvisor = panel.metrics.some((metric) => metric.source === 'cadvisor');
        return (panel.build().targets ?? []).map((target) => {
          const { refId, expr } = target as prometheus.dataquery;
          return {
            dashboardUid: definition.uid,
            panelTitle: panel.title,
            refId,
            expr: withAllValues(expr, variableNames),
            needsCadvisor,
          };
        });
      }),
    );
  });
}

/** A panel as the blind-spot alerts and the check CLI name it, with the catalog metrics it reads. */
export interface PanelReading {
  /** `<dashboard title> › <panel title>`. */
  readonly name: string;
  readonly metrics: readonly Metric[];
}

/** Every panel of every dashboard and what it reads. */
export function panelReadings(): PanelReading[] {
  return dashboardDefinitions().flatMap(({ title, sections }) =>
    sections.flatMap((section) =>
      section.panels.map((panel) => ({ name: `${title} › ${panel.title}`, metrics: panel.metrics })),
    ),
  );
}
