/**
 * The whole monitoring system as one Terraform stack: config -> rendered files -> containers on
 * the application's Docker network -> Grafana provisioned through its provider.
 */
import { Construct } from 'constructs';
import { Fn, Precondition, TerraformLocal, TerraformOutput, TerraformStack } from 'cdktf';
import { DockerProvider } from '@cdktf/provider-docker/lib/provider';
import { DataDockerNetwork } from '@cdktf/provider-docker/lib/data-docker-network';
import { applicationNetwork, containerName, publishedUrl } from '../../config/monitoring-config';
import { RULE_GROUPS, renderRuleFiles } from '../../domain/rules';
import { renderAlertmanagerFiles } from '../../domain/alerting';
import { renderDashboards } from '../../domain/dashboards';
import { MonitoringStackProps } from '../shared/stack-props';
import {
  DOCKER_HOST_ALIAS,
  celeryBrokerUrl,
  postgresExporterEnv,
  redisAddress,
  renderPrometheusConfig,
  stackPrometheusInput,
} from '../../domain/prometheus';
import { METRICS } from '../../domain/metrics';
import { PrometheusContainer } from './prometheus-container';
import { AlertmanagerContainer } from './alertmanager-container';
import { GrafanaContainer } from './grafana-container';
import {
  CadvisorContainer,
  CeleryExporterContainer,
  ExporterContainer,
  NodeExporterContainer,
  PostgresExporterContainer,
  RedisExporterContainer,
} from './exporter-containers';
import { COMPONENTS, ComponentName, componentSlug } from '../../core/components';
import { GrafanaProvisioning, GRAFANA_PROVIDER_VERSION } from './grafana-provisioning';
import { SecretVariables } from '../shared/secret-variables';
import { configureStateBackend } from '../shared/state-backend';

/** Components built above by a construct of their own; any other runs as a plain `ExporterContainer`. */
const OWN_CONSTRUCT: ReadonlySet<ComponentName> = new Set([
  'prometheus',
  'alertmanager',
  'grafana',
  'postgresExporter',
  'redisExporter',
  'celeryExporter',
  'nodeExporter',
  'cadvisor',
]);

export class MonitoringStack extends TerraformStack {
  readonly secrets: SecretVariables;
  readonly prometheus: PrometheusContainer;
  readonly alertmanager: AlertmanagerContainer;
  readonly grafana: GrafanaContainer;
  readonly grafanaProvisioning: GrafanaProvisioning;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id);
    const { config } = props;

    configureStateBackend(this, id, config.backend);
    new DockerProvider(this, 'docker', { host: config.dockerHost });
    // The generated Grafana bindings carry no version: pin the release they were generated from.
    this.addOverride('terraform.required_providers.grafana.version', GRAFANA_PROVIDER_VERSION);
    this.secrets = new SecretVariables(this, 'secrets', {
      separateChats: config.telegramSeparateChats,
      redis: config.targets.redisRequiresPassword,
    });

    // Data source, not resource: the application's network exists already and must not be managed here.
    const appNetwork = new DataDockerNetwork(this, 'app-network', { name: applicationNetwork(config) });
    const network = appNetwork.name;
    const gateway = appNetworkGateway(this, appNetwork, applicationNetwork(config));
    const common = (component: ComponentName) => ({
      name: containerName(config, component),
      network,
      settings: config.components[component],
      bindAddress: config.bindAddress,
      // A malformed secret fails terraform_data.secret_checks; no container is planned before it passes.
      dependsOn: [this.secrets.checks],
    });

    const ruleFiles = renderRuleFiles(props.ruleGroups ?? RULE_GROUPS, {
      runbookBaseUrl: config.alerting.runbookBaseUrl,
      grafanaUrl: config.grafana.publicUrl,
    });
    const prometheusYml = renderPrometheusConfig(
      stackPrometheusInput(
        config,
        ruleFiles.map((file) => file.path),
      ),
    );
    const discovery = config.dockerDiscovery;
    this.prometheus = new PrometheusContainer(this, 'prometheus', {
      ...common('prometheus'),
      files: [prometheusYml, ...ruleFiles],
      // node-exporter listens on the host's address on this network (see NodeExporterContainer).
      hosts: [{ host: DOCKER_HOST_ALIAS, ip: gateway.address }],
      preconditions: [gateway.check],
      retention: config.prometheus.retention,
      retentionSize: config.prometheus.retentionSize,
      adminApi: config.prometheus.adminApi,
      dockerSocket: discovery.enabled
        ? { hostPath: discovery.socketPath, groupId: discovery.socketGroupId }
        : undefined,
    });

    const renderAlertmanager = props.alertmanagerFiles ?? renderAlertmanagerFiles;
    this.alertmanager = new AlertmanagerContainer(this, 'alertmanager', {
      ...common('alertmanager'),
      files: renderAlertmanager(config.alerting, this.secrets.alertmanagerSecrets()),
      externalUrl: config.alerting.externalUrl,
    });

    this.grafana = new GrafanaContainer(this, 'grafana', {
      ...common('grafana'),
      bindAddress: config.grafana.bindAddress,
      adminUser: config.grafana.adminUser,
      adminPassword: this.secrets.grafanaPassword.stringValue,
    });

    new PostgresExporterContainer(this, 'postgres-exporter', {
      ...common('postgresExporter'),
      // The password as it is (the exporter encodes it into its connection URL itself), never URL-encoded here.
      env: postgresExporterEnv(config.targets.postgres, this.secrets.postgresPasswordExpression()),
    });
    new RedisExporterContainer(this, 'redis-exporter', {
      ...common('redisExporter'),
      redisAddress: redisAddress(config.targets.redis),
      redisPassword: this.secrets.redisPassword?.stringValue,
    });
    if (config.targets.celeryExporter === undefined) {
      new CeleryExporterContainer(this, 'celery-exporter', {
        ...common('celeryExporter'),
        brokerUrl: celeryBrokerUrl(
          config.targets,
          this.secrets.redisPassword && Fn.urlencode(this.secrets.redisPassword.stringValue),
        ),
        queues: config.targets.celeryQueues,
        runtimeBuckets: METRICS.celery.taskRuntime.buckets ?? [],
      });
    }
    new NodeExporterContainer(this, 'node-exporter', {
      ...common('nodeExporter'),
      gateway: gateway.address,
      preconditions: [gateway.check],
    });
    new CadvisorContainer(this, 'cadvisor', common('cadvisor'));
    for (const component of COMPONENTS.filter((name) => !OWN_CONSTRUCT.has(name))) {
      new ExporterContainer(this, componentSlug(component), { ...common(component), component });
    }

    this.grafanaProvisioning = new GrafanaProvisioning(this, 'grafana-provisioning', {
      url: publishedUrl(config, 'grafana'),
      adminUser: config.grafana.adminUser,
      adminPassword: this.secrets.grafanaPassword.stringValue,
      grafana: this.grafana.container,
      prometheusUrl: `http://${this.prometheus.address}`,
      scrapeInterval: config.prometheus.scrapeInterval,
      folderTitle: config.grafana.folderTitle,
      dashboards: props.dashboards ?? renderDashboards({ alertmanager: config.alerting.externalUrl }),
    });

    const outputs = {
      grafana_url: publishedUrl(config, 'grafana'),
      prometheus_url: publishedUrl(config, 'prometheus'),
      alertmanager_url: publishedUrl(config, 'alertmanager'),
    };
    for (const [name, value] of Object.entries(outputs)) {
      new TerraformOutput(this, name, { value }).overrideLogicalId(name);
    }
  }
}

/**
 * The IPv4 gateway of the application's network, as Docker reports it (`docker network inspect`,
 * `IPAM.Config[].Gateway`), read at plan time: the local `app_network_gateways` lists the IPv4 ones
 * (a dual-stack network has an IPv6 one too, in no fixed order), `address` is the first, and `check`
 * fails the plan, naming the network, when there is none (an IPv6-only network).
 */
function appNetworkGateway(
  stack: TerraformStack,
  network: DataDockerNetwork,
  name: string,
): { address: string; check: Precondition } {
  const ipam = `data.${network.terraformResourceType}.${network.friendlyUniqueId}.ipam_config`;
  const gateways = new TerraformLocal(
    stack,
    'app_network_gateways',
    `\${[for c in ${ipam} : c.gateway if can(cidrnetmask(format("%s/32", c.gateway)))]}`,
  );
  gateways.overrideLogicalId('app_network_gateways');
  return {
    address: `\${try(local.app_network_gateways[0], "")}`,
    check: {
      condition: '${length(local.app_network_gateways) > 0}',
      errorMessage: `The Docker network ${name} reports no IPv4 gateway (docker network inspect ${name}): node-exporter listens on it, in the host's network, and Prometheus reaches it there.`,
    },
  };
}
