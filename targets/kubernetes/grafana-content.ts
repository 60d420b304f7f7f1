/**
 * What the chart's Grafana is given: the admin login as a Secret (the password is the sensitive
 * `grafana_password` variable) and one ConfigMap per dashboard, labelled for the Grafana sidecar,
 * which loads them into the configured folder.
 */
import { Construct } from 'constructs';
import { ITerraformDependable } from 'cdktf';
import { ConfigMapV1 } from '@cdktf/provider-kubernetes/lib/config-map-v1';
import { SecretV1 } from '@cdktf/provider-kubernetes/lib/secret-v1';
import { RenderedDashboard } from '../../domain/dashboards';
import { DASHBOARD_SIDECAR, GRAFANA_ADMIN_KEYS } from './chart-values';

export interface GrafanaContentProps {
  readonly namePrefix: string;
  readonly namespace: string;
  readonly adminUser: string;
  /** A Terraform expression (`${var.grafana_password}`), never a literal. */
  readonly adminPassword: string;
  readonly folderTitle: string;
  readonly dashboards: readonly RenderedDashboard[]; /**
   * What the Secret holding the secrets is planned after (`depends_on`): the stack's secret checks.
   * @default none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/** A dashboard's ConfigMap name: its uid, made a valid Kubernetes name. */
export function dashboardConfigMapName(namePrefix: string, uid: string): string {
  return `${namePrefix}-dashboard-${uid.toLowerCase().replace(/[^a-z0-9-]+/g, '-')}`;
}

export class GrafanaContent extends Construct {
  readonly adminSecret: SecretV1;
  readonly adminSecretName: string;
  readonly dashboards: ConfigMapV1[];

  constructor(scope: Construct, id: string, props: GrafanaContentProps) {
    super(scope, id);
    this.adminSecretName = `${props.namePrefix}-grafana-admin`;
    this.adminSecret = new SecretV1(this, 'admin', {
      metadata: { name: this.adminSecretName, namespace: props.namespace },
      data: { [GRAFANA_ADMIN_KEYS.user]: props.adminUser, [GRAFANA_ADMIN_KEYS.password]: props.adminPassword },
      dependsOn: props.dependsOn,
    });
    const names = props.dashboards.map((dashboard) => dashboardConfigMapName(props.namePrefix, dashboard.uid));
    const clash = names.find((name, i) => names.indexOf(name) !== i);
    if (clash)
      throw new Error(
        `GrafanaContent: two dashboards map to the ConfigMap ${clash}; give them uids that differ in more than case and punctuation`,
      );
    this.dashboards = props.dashboards.map(
      (dashboard, i) =>
        new ConfigMapV1(this, `dashboard-${dashboard.uid}`, {
          metadata: {
            name: names[i],
            namespace: props.namespace,
            labels: { [DASHBOARD_SIDECAR.label]: DASHBOARD_SIDECAR.labelValue },
            annotations: { [DASHBOARD_SIDECAR.folderAnnotation]: props.folderTitle },
          },
          data: { [`${dashboard.uid}.json`]: dashboard.json },
        }),
    );
  }
}
