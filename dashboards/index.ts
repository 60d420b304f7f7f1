/**
 * Public face of dashboards/: the dashboards Grafana is provisioned with. (Seam for issue 5: the
 * typed dashboards replace this body.)
 */
import { MonitoringConfig } from '../config/monitoring-config';

export interface RenderedDashboard {
  /** Stable Grafana uid. */
  uid: string;
  title: string;
  /** The dashboard model as JSON, what `grafana_dashboard.config_json` takes. */
  json: string;
}

/** Uid of the Prometheus data source every panel queries. */
export const PROMETHEUS_DATASOURCE_UID = 'prometheus';

export function renderDashboards(config: MonitoringConfig): RenderedDashboard[] {
  void config;
  return [];
}
