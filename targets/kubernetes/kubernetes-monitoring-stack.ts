/**
 * The monitoring system on Kubernetes as one Terraform stack: the kube-prometheus-stack release
 * fed with this project's own typed objects, the rules, routing and dashboards the Docker target
 * deploys: config -> rendered files -> Secrets, ConfigMaps and operator resources -> Terraform JSON.
 */
import { Construct } from 'constructs';
import { TerraformOutput, TerraformStack } from 'cdktf';
import { KubernetesProvider } from '@cdktf/provider-kubernetes/lib/provider';
import { NamespaceV1 } from '@cdktf/provider-kubernetes/lib/namespace-v1';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { KUBERNETES_SCRAPED_JOBS } from '../../config/kubernetes-settings';
import { RULE_GROUPS, ruleGroupSpecs } from '../../domain/rules';
import { renderAlertmanagerFiles } from '../../domain/alerting';
import { renderDashboards } from '../../domain/dashboards';
import { JOB } from '../../core/components';
import { MonitoringStackProps } from '../shared/stack-props';
import { SecretVariables } from '../shared/secret-variables';
import { configureStateBackend } from '../shared/state-backend';
import { AlertmanagerConfig } from './alertmanager-config';
import { chartValues } from './chart-values';
import { CustomResources } from './custom-resources';
import { GrafanaContent } from './grafana-content';
import { KubePrometheusStackRelease } from './kube-prometheus-stack-release';
import { ObjectMeta, applicationMonitor, prometheusRules } from './operator-resources';

/** The same seams as the Docker stack: rule groups, Alertmanager files and dashboards. */
export type KubernetesMonitoringStackProps = MonitoringStackProps;

export class KubernetesMonitoringStack extends TerraformStack {
  readonly secrets: SecretVariables;
  readonly namespace: NamespaceV1;
  readonly alertmanagerConfig: AlertmanagerConfig;
  readonly grafanaContent: GrafanaContent;
  readonly release: KubePrometheusStackRelease;
  readonly customResources: CustomResources;

  constructor(scope: Construct, id: string, props: KubernetesMonitoringStackProps) {
    super(scope, id);
    const { config } = props;
    const cluster = config.kubernetes;

    configureStateBackend(this, id, config.backend);
    const kubeconfig = { configPath: cluster.kubeconfigPath, configContext: cluster.kubeconfigContext };
    new KubernetesProvider(this, 'kubernetes', kubeconfig);
    new HelmProvider(this, 'helm', { kubernetes: kubeconfig });
    this.secrets = new SecretVariables(this, 'secrets', {
      separateChats: config.telegramSeparateChats,
      postgres: false,
    });

    // Holds Prometheus' volume: protected from destroy like the Docker target's volumes.
    this.namespace = new NamespaceV1(this, 'namespace', {
      metadata: { name: cluster.namespace },
      lifecycle: { preventDestroy: true },
    });
    const common = { namePrefix: config.namePrefix, namespace: this.namespace.metadata.name };
    // The Secrets that carry the secrets are planned after terraform_data.secret_checks, and the release after them.
    const checked = { ...common, dependsOn: [this.secrets.checks] };

    const renderAlertmanager = props.alertmanagerFiles ?? renderAlertmanagerFiles;
    this.alertmanagerConfig = new AlertmanagerConfig(this, 'alertmanager', {
      ...checked,
      files: renderAlertmanager(config.alerting, this.secrets.alertmanagerSecrets()),
    });
    this.grafanaContent = new GrafanaContent(this, 'grafana', {
      ...checked,
      adminUser: config.grafana.adminUser,
      adminPassword: this.secrets.grafanaPassword.stringValue,
      folderTitle: config.grafana.folderTitle,
      dashboards: props.dashboards ?? renderDashboards({ alertmanager: config.alerting.externalUrl }),
    });

    // Prometheus selects this stack's rules and monitors by the chart's own release label.
    const selectedBy = { release: cluster.releaseName };
    this.release = new KubePrometheusStackRelease(this, 'kube-prometheus-stack', {
      releaseName: cluster.releaseName,
      namespace: this.namespace.metadata.name,
      chartVersion: cluster.chartVersion,
      values: chartValues({
        config,
        selectedBy,
        alertmanagerConfigSecret: this.alertmanagerConfig.secretName,
        alertmanagerTemplates: {
          configMap: this.alertmanagerConfig.templatesName,
          templatesDir: this.alertmanagerConfig.templatesDir,
        },
        grafanaAdminSecret: this.grafanaContent.adminSecretName,
      }),
      dependsOn: [this.alertmanagerConfig.secret, this.alertmanagerConfig.templates, this.grafanaContent.adminSecret],
    });

    const metadata = (name: string): ObjectMeta => ({
      name: `${config.namePrefix}-${name}`,
      namespace: cluster.namespace,
      labels: selectedBy,
    });
    this.customResources = new CustomResources(this, 'operator-resources', {
      operator: this.release.release,
      resources: [
        ...prometheusRules(
          ruleGroupSpecs(props.ruleGroups ?? RULE_GROUPS, {
            runbookBaseUrl: config.alerting.runbookBaseUrl,
            grafanaUrl: config.grafana.publicUrl,
          }),
          (group) => metadata(`rules-${group}`),
        ),
        ...KUBERNETES_SCRAPED_JOBS.map((job) =>
          applicationMonitor(job, cluster.scrape[job], cluster.appNamespace, metadata(JOB[job])),
        ),
      ],
    });

    const portForward = (service: string, ports: string) =>
      `kubectl --namespace ${cluster.namespace} port-forward service/${service} ${ports}`;
    const outputs = {
      // The Grafana subchart's Service: <release>-grafana, or the release name when it says grafana already.
      grafana_port_forward: portForward(
        cluster.releaseName.includes('grafana') ? cluster.releaseName : `${cluster.releaseName}-grafana`,
        '3000:80',
      ),
      // Services the operator itself creates, whatever the release is called.
      prometheus_port_forward: portForward('prometheus-operated', '9090'),
      alertmanager_port_forward: portForward('alertmanager-operated', '9093'),
    };
    for (const [name, value] of Object.entries(outputs)) {
      new TerraformOutput(this, name, { value }).overrideLogicalId(name);
    }
  }
}
