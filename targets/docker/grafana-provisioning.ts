/**
 * Grafana's content through the Grafana Terraform provider: the Prometheus data source (fixed uid,
 * which every dashboard panel refers to), the folder and the dashboards.
 *
 * First deploy on an empty host: every resource here depends on the Grafana container, and that
 * container is created with `wait = true` and a healthcheck on `/api/health`, so Terraform creates
 * them only once Grafana answers. (The provider itself connects lazily, at the first resource.)
 */
import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { GrafanaProvider } from '../../.gen/providers/grafana/provider';
import { DataSource } from '../../.gen/providers/grafana/data-source';
import { Folder } from '../../.gen/providers/grafana/folder';
import { Dashboard } from '../../.gen/providers/grafana/dashboard';
import { Duration } from '../../core/duration';
import { PROMETHEUS_DATASOURCE_UID, RenderedDashboard } from '../../domain/dashboards';

/** The provider release the bindings in .gen/ were generated from (cdktf.json pins the same). */
export const GRAFANA_PROVIDER_VERSION = '4.45.1';

export interface GrafanaProvisioningProps {
  /** Where Terraform reaches Grafana, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  readonly adminUser: string;
  /** A Terraform expression (`${var.grafana_password}`), never a literal. */
  readonly adminPassword: string;
  /** The Grafana container: nothing here is created before it is healthy. */
  readonly grafana: ITerraformDependable;
  /** Prometheus as Grafana reaches it, e.g. `http://stock-tracker-prometheus:9090`. */
  readonly prometheusUrl: string;
  /** Prometheus' scrape interval, Grafana's smallest useful query step. */
  readonly scrapeInterval: Duration;
  readonly folderTitle: string;
  /**
   * @default `stock-tracker`
   */
  readonly folderUid?: string;
  readonly dashboards: readonly RenderedDashboard[];
}

export class GrafanaProvisioning extends Construct {
  readonly provider: GrafanaProvider;
  readonly dataSource: DataSource;
  readonly folder: Folder;
  readonly dashboards: Dashboard[];

  constructor(scope: Construct, id: string, props: GrafanaProvisioningProps) {
    super(scope, id);
    const dependsOn = [props.grafana];
    this.provider = new GrafanaProvider(this, 'provider', {
      url: props.url,
      auth: `${props.adminUser}:${props.adminPassword}`,
    });
    this.dataSource = new DataSource(this, 'prometheus', {
      name: 'Prometheus',
      type: 'prometheus',
      uid: PROMETHEUS_DATASOURCE_UID,
      url: props.prometheusUrl,
      accessMode: 'proxy',
      isDefault: true,
      jsonDataEncoded: JSON.stringify({ httpMethod: 'POST', timeInterval: props.scrapeInterval.toString() }),
      dependsOn,
    });
    this.folder = new Folder(this, 'folder', {
      uid: props.folderUid ?? 'stock-tracker',
      title: props.folderTitle,
      dependsOn,
    });
    this.dashboards = props.dashboards.map(
      (dashboard) =>
        new Dashboard(this, `dashboard-${dashboard.uid}`, {
          configJson: dashboard.json,
          folder: this.folder.uid,
          overwrite: true,
          dependsOn: [...dependsOn, this.dataSource],
        }),
    );
  }
}
