/**
 * Public face of dashboards/: the dashboards Grafana is provisioned with, built as typed objects
 * with Grafana's foundation SDK, and the list of their queries for the e2e harness.
 */
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import { BUSINESS_UID, businessDashboard } from './business';
import { INFRASTRUCTURE_UID, infrastructureDashboard } from './infrastructure';
import { DashboardDefinition, DashboardUrls, buildDashboard, panelId } from './layout';
import { OVERVIEW_UID, overviewDashboard } from './overview';
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
} as const;

/** Each dashboard's declaration, by the key alerts name it with (fresh objects on each call). */
const DASHBOARDS = {
  overview: overviewDashboard,
  business: businessDashboard,
  infrastructure: infrastructureDashboard,
} as const satisfies Record<keyof typeof DASHBOARD_UIDS, () => DashboardDefinition>;

export type DashboardKey = keyof typeof DASHBOARDS;

/** The titles of the panels of dashboard `K`, as literal types. */
export type PanelTitle<K extends DashboardKey> =
  ReturnType<(typeof DASHBOARDS)[K]> extends DashboardDefinition<infer T> ? T : never;

/**
 * A panel, named by its dashboard and title: a title no panel of that dashboard has does not
 * compile. An alert names the panel that shows its condition (its `dashboard_url`).
 */
export type PanelRef = { [K in DashboardKey]: { readonly dashboard: K; readonly title: PanelTitle<K> } }[DashboardKey];

/** Every dashboard, as typed definitions (fresh objects on each call). */
export function dashboardDefinitions(): DashboardDefinition[] {
  return Object.values(DASHBOARDS).map((declare) => declare());
}

/** A panel as people and the blind-spot alerts name it: `<dashboard title> › <panel title>`. */
export function panelName(ref: PanelRef): string {
  return `${DASHBOARDS[ref.dashboard]().title} › ${ref.title}`;
}

/**
 * Where the panel opens on its own in Grafana: `<grafanaUrl>/d/<uid>?viewPanel=<id>`, with the id
 * the layout gives it (Grafana 10 reads it; the scenes dashboards of 11 and later look a number
 * up as `panel-<id>`). Throws, naming dashboard and title, when no panel has that title (a
 * reference built around the types).
 * @param grafanaUrl where people open Grafana, without a trailing slash
 */
export function panelUrl(ref: PanelRef, grafanaUrl: string): string {
  const definition = DASHBOARDS[ref.dashboard]();
  const id = panelId(definition, ref.title);
  if (id === undefined)
    throw new Error(`dashboard "${definition.title}" (${ref.dashboard}) has no panel titled "${ref.title}"`);
  return `${grafanaUrl}/d/${definition.uid}?viewPanel=${id}`;
}

/** Every dashboard as Grafana stores it, linking to `urls`. */
export function renderDashboards(urls: DashboardUrls): RenderedDashboard[] {
  return dashboardDefinitions().map((definition) => ({
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
  /** The catalog metrics its panel reads (cAdvisor's, say, are only answerable where cAdvisor runs). */
  metrics: readonly Metric[];
}

/** Every query of every panel, in dashboard and panel order, as Grafana sends it. */
export function panelQueries(): PanelQuery[] {
  return dashboardDefinitions().flatMap((definition) => {
    const variableNames = definition.variables.map((variable) => variable.name);
    return definition.sections.flatMap(({ panels }) =>
      panels.flatMap((panel) => {
        return (panel.build().targets ?? []).map((target) => {
          const { refId, expr } = target as prometheus.dataquery;
          return {
            dashboardUid: definition.uid,
            panelTitle: panel.title,
            refId,
            expr: withAllValues(expr, variableNames),
            metrics: panel.metrics,
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
