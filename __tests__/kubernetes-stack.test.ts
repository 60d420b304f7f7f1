/**
 * The synthesized Kubernetes target with fixed sample rules, Alertmanager files and a dashboard:
 * providers from config, the pinned kube-prometheus-stack release and its typed values, the
 * Secrets and ConfigMaps those values name, the operator resources Prometheus selects, and secrets
 * only as sensitive variables. One synth; the real rules are checked in kubernetes-rules.test.ts.
 */
import { renderRuleFiles } from '../domain/rules';
import { parse } from 'yaml';
import { MonitoringConfig, parseMonitoringConfig } from '../config/monitoring-config';
import { SECRETS, severityChatIdSecret } from '../config/secrets';
import {
  DEFAULT_KUBERNETES_SETTINGS,
  KUBERNETES_SCRAPED_JOBS,
  KUBE_PROMETHEUS_STACK_REPOSITORY,
} from '../config/kubernetes-settings';
import { PROMETHEUS_DATASOURCE_UID } from '../domain/dashboards';
import { JOB } from '../core/components';
import {
  DASHBOARD_SIDECAR,
  DUPLICATED_DEFAULT_RULE_GROUPS,
  GRAFANA_ADMIN_KEYS,
  KubePrometheusStackValues,
  OPERATOR_CONFIG_KEY,
  PrometheusRule,
  ServiceMonitor,
} from '../targets/kubernetes';
import { SAMPLE_RULE_GROUPS, TerraformJson, resourcesOf, synthStack } from '../testing/synth';
import { MonitoringStackProps } from '../targets/shared/stack-props';
import { SECRET_CHECKS_ID } from '../targets/shared/secret-variables';
import { chartValuesOf, helmReleaseOf, kubernetesObjects, manifestsOf } from './kubernetes-objects';

const SAMPLE_TEMPLATE = '{{ define "telegram.message" }}x{{ end }}\n';
const SAMPLE: Omit<MonitoringStackProps, 'config'> = {
  ruleGroups: SAMPLE_RULE_GROUPS,
  alertmanagerFiles: (_config, secrets) => [
    {
      path: 'alertmanager.yml',
      content: `templates: [/etc/alertmanager/templates/*.tmpl]\ntoken: ${secrets.telegramBotToken}\nchats: ${JSON.stringify(secrets.telegramChatIds)}\n`,
    },
    { path: 'templates/telegram.tmpl', content: SAMPLE_TEMPLATE },
  ],
  dashboards: [
    { uid: 'stock-tracker-overview', title: 'Overview', json: '{"uid":"stock-tracker-overview","title":"Overview"}' },
  ],
};

const config: MonitoringConfig = parseMonitoringConfig({
  target: 'kubernetes',
  telegramSeparateChats: ['critical'],
  prometheus: { retention: '45d', scrapeInterval: '30s' },
  kubernetes: { kubeconfigContext: 'prod-eu', namespace: 'observability' },
  remoteWrite: {
    url: 'http://mimir-nginx.mimir.svc/api/v1/push',
    tenant: 'stock-tracker',
    basicAuthSecret: 'mimir-auth',
  },
});
const cluster = config.kubernetes;

/** The resource of `type` whose `metadata.name` is `name`. */
function named(json: TerraformJson, type: string, name: string): Record<string, any> {
  const resource = resourcesOf(json, type).find((r) => r.metadata.name === name);
  if (!resource) throw new Error(`no ${type} named ${name}`);
  return resource;
}

describe('the Kubernetes stack with sample rules, Alertmanager files and a dashboard', () => {
  let json: TerraformJson;
  let values: KubePrometheusStackValues;
  beforeAll(() => {
    json = synthStack(config, SAMPLE).json;
    values = chartValuesOf(json);
  });

  test('matches the snapshot', () => {
    const { terraform, provider, variable, resource, output } = json;
    expect({
      required_providers: terraform.required_providers,
      provider,
      variable,
      resource,
      output,
    }).toMatchSnapshot();
  });

  test('builds the Kubernetes stack for target kubernetes, and nothing of the Docker one', () => {
    expect(resourcesOf(json, 'helm_release')).toHaveLength(1);
    expect(json.resource.docker_container).toBeUndefined();
    expect(json.provider.docker).toBeUndefined();
  });

  test('the Kubernetes and Helm providers are pinned and read the kubeconfig path and context of config', () => {
    expect(json.terraform.required_providers).toEqual({
      helm: { source: 'helm', version: '3.1.1' },
      kubernetes: { source: 'kubernetes', version: '2.38.0' },
    });
    const kubeconfig = { config_path: '~/.kube/config', config_context: 'prod-eu' };
    expect(json.provider.kubernetes).toEqual([kubeconfig]);
    expect(json.provider.helm).toEqual([{ kubernetes: kubeconfig }]);
  });

  test('kube-prometheus-stack: pinned chart from its repository, into the namespace the stack creates and protects', () => {
    // README's first-deploy step targets this address.
    expect(Object.keys(json.resource.helm_release)).toEqual(['kube-prometheus-stack']);
    const release = helmReleaseOf(json);
    expect(release).toMatchObject({
      name: DEFAULT_KUBERNETES_SETTINGS.releaseName,
      chart: 'kube-prometheus-stack',
      repository: KUBE_PROMETHEUS_STACK_REPOSITORY,
      version: DEFAULT_KUBERNETES_SETTINGS.chartVersion,
      namespace: 'observability',
      atomic: true,
      wait: true,
    });
    const [namespace] = resourcesOf(json, 'kubernetes_namespace_v1');
    expect(namespace).toMatchObject({ metadata: { name: 'observability' }, lifecycle: { prevent_destroy: true } });
    for (const object of kubernetesObjects(json).filter((o) => o.kind !== 'Namespace'))
      expect(object.metadata.namespace).toBe('observability');
  });

  test('Prometheus: retention, intervals and a persistent volume from config; remote write with tenant header and basic auth from a Secret', () => {
    const spec = values.prometheus.prometheusSpec;
    expect(spec).toMatchObject({
      retention: '45d',
      scrapeInterval: '30s',
      scrapeTimeout: '10s',
      evaluationInterval: '15s',
    });
    expect(spec.storageSpec.volumeClaimTemplate.spec.resources.requests.storage).toBe(cluster.prometheusVolumeSize);
    expect(spec.remoteWrite).toEqual([
      {
        url: 'http://mimir-nginx.mimir.svc/api/v1/push',
        headers: { 'X-Scope-OrgID': 'stock-tracker' },
        basicAuth: {
          username: { name: 'mimir-auth', key: 'username' },
          password: { name: 'mimir-auth', key: 'password' },
        },
      },
    ]);
  });

  test("the chart's rule groups that repeat ours are off; its Kubernetes groups stay", () => {
    expect(values.defaultRules).toEqual({
      rules: { general: false, prometheus: false, alertmanager: false, nodeExporterAlerting: false },
    });
    expect(Object.keys(values.defaultRules.rules)).toEqual(Object.keys(DUPLICATED_DEFAULT_RULE_GROUPS));
  });

  test('Prometheus selects every PrometheusRule and ServiceMonitor of the stack, each after the release that brings the CRDs', () => {
    const spec = values.prometheus.prometheusSpec;
    const selectors = {
      PrometheusRule: spec.ruleSelector,
      ServiceMonitor: spec.serviceMonitorSelector,
      PodMonitor: spec.podMonitorSelector,
    };
    const manifests = resourcesOf(json, 'kubernetes_manifest');
    expect(manifests.map((m) => m.manifest.kind).sort()).toEqual([
      'PrometheusRule',
      'ServiceMonitor',
      'ServiceMonitor',
      'ServiceMonitor',
      'ServiceMonitor',
    ]);
    const releaseRef = `helm_release.${Object.keys(json.resource.helm_release)[0]}`;
    for (const { manifest, depends_on } of manifests) {
      const selector = selectors[manifest.kind as keyof typeof selectors];
      expect(manifest.metadata.labels).toMatchObject(selector.matchLabels);
      expect(depends_on).toEqual([releaseRef]);
    }
  });

  test('Alertmanager reads its configuration from a Secret with the rendered file, its templates from a mounted ConfigMap', () => {
    const spec = values.alertmanager.alertmanagerSpec;
    expect(spec).toMatchObject({ useExistingSecret: true, externalUrl: config.alerting.externalUrl });
    const secret = named(json, 'kubernetes_secret_v1', spec.configSecret);
    expect(Object.keys(secret.data)).toEqual([OPERATOR_CONFIG_KEY]);
    const alertmanagerYml = secret.data[OPERATOR_CONFIG_KEY];
    expect(alertmanagerYml).toContain('token: ${var.telegram_bot_token}');
    expect(alertmanagerYml).toContain('"critical":"${var.telegram_critical_chat_id}"');
    expect(alertmanagerYml).toContain('"warning":"${var.telegram_alert_chat_id}"');
    const [volume] = spec.volumes;
    const [mount] = spec.volumeMounts;
    expect(mount).toEqual({ name: volume.name, mountPath: '/etc/alertmanager/templates', readOnly: true });
    expect(named(json, 'kubernetes_config_map_v1', volume.configMap.name).data).toEqual({
      'telegram.tmpl': SAMPLE_TEMPLATE,
    });
    // The glob in the configuration reads the directory the ConfigMap is mounted at.
    const { templates } = parse(alertmanagerYml) as { templates: string[] };
    expect(templates).toEqual([`${mount.mountPath}/*.tmpl`]);
    expect(helmReleaseOf(json).depends_on).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^kubernetes_secret_v1\./),
        expect.stringMatching(/^kubernetes_config_map_v1\./),
      ]),
    );
  });

  test('Grafana: admin login from a Secret holding the password variable; dashboards as ConfigMaps the sidecar loads into the folder', () => {
    const grafana = values.grafana;
    expect(grafana.admin).toEqual({
      existingSecret: `${config.namePrefix}-grafana-admin`,
      userKey: GRAFANA_ADMIN_KEYS.user,
      passwordKey: GRAFANA_ADMIN_KEYS.password,
    });
    expect(named(json, 'kubernetes_secret_v1', grafana.admin.existingSecret).data).toEqual({
      'admin-user': 'admin',
      'admin-password': '${var.grafana_password}',
    });
    expect(grafana.sidecar.datasources.uid).toBe(PROMETHEUS_DATASOURCE_UID);
    const sidecar = grafana.sidecar.dashboards;
    expect(sidecar).toMatchObject({
      enabled: true,
      folderAnnotation: DASHBOARD_SIDECAR.folderAnnotation,
      provider: { foldersFromFilesStructure: true },
    });
    const dashboards = resourcesOf(json, 'kubernetes_config_map_v1').filter(
      (c) => c.metadata.labels?.[sidecar.label] === sidecar.labelValue,
    );
    expect(dashboards).toHaveLength(1);
    expect(dashboards[0].metadata.annotations).toEqual({ [sidecar.folderAnnotation]: config.grafana.folderTitle });
    expect(dashboards[0].data).toEqual({ 'stock-tracker-overview.json': SAMPLE.dashboards![0].json });
  });

  test("each rule group becomes a PrometheusRule holding it as the Docker target's rule file does", () => {
    const [rule] = manifestsOf<PrometheusRule>(json, 'PrometheusRule');
    expect(rule.metadata.name).toBe('stock-tracker-rules-api');
    expect(rule.spec).toEqual(
      parse(
        renderRuleFiles(SAMPLE_RULE_GROUPS, {
          runbookBaseUrl: config.alerting.runbookBaseUrl,
          grafanaUrl: config.grafana.publicUrl,
        })[0].content,
      ),
    );
  });

  test('the API and the exporters (the celery-exporter for Celery) by ServiceMonitor, in the app namespace, under the job names of prometheus/', () => {
    const monitors = manifestsOf<ServiceMonitor>(json, 'ServiceMonitor');
    for (const job of KUBERNETES_SCRAPED_JOBS) {
      const monitor = monitors.find((m) => m.metadata.name === `${config.namePrefix}-${JOB[job]}`)!;
      expect(monitor.kind).toBe('ServiceMonitor');
      expect(monitor.spec.namespaceSelector).toEqual({ matchNames: [cluster.appNamespace] });
      expect(monitor.spec.selector).toEqual({ matchLabels: cluster.scrape[job].selector });
      const endpoints = monitor.spec.endpoints;
      expect(endpoints).toEqual([
        {
          port: cluster.scrape[job].port,
          path: '/metrics',
          relabelings: [{ action: 'replace', targetLabel: 'job', replacement: JOB[job] }],
        },
      ]);
    }
  });

  test('secrets are sensitive variables: no PostgreSQL password (no exporter of ours runs here), a chat per separate severity', () => {
    const expected = [
      SECRETS.telegramBotToken,
      SECRETS.telegramAlertChatId,
      SECRETS.grafanaPassword,
      severityChatIdSecret('critical'),
    ].map((s) => s.variable);
    expect(Object.keys(json.variable).sort()).toEqual(expected.sort());
    for (const variable of Object.values(json.variable))
      expect(variable).toMatchObject({ type: 'string', sensitive: true, nullable: false });
    expect(helmReleaseOf(json).values[0]).not.toContain('var.');
  });

  test('the Secrets that carry the secrets (and so the release) are planned after the secret checks', () => {
    const secrets = resourcesOf(json, 'kubernetes_secret_v1').filter((secret) =>
      JSON.stringify(secret.data).includes('${var.'),
    );
    expect(secrets.map((secret) => secret.metadata.name).sort()).toEqual([
      `${config.namePrefix}-alertmanager-config`,
      `${config.namePrefix}-grafana-admin`,
    ]);
    for (const secret of secrets) expect(secret.depends_on).toEqual([`terraform_data.${SECRET_CHECKS_ID}`]);
  });

  test('outputs say how to reach Grafana, Prometheus and Alertmanager', () => {
    expect(json.output).toEqual({
      grafana_port_forward: {
        value: 'kubectl --namespace observability port-forward service/kube-prometheus-stack-grafana 3000:80',
      },
      prometheus_port_forward: {
        value: 'kubectl --namespace observability port-forward service/prometheus-operated 9090',
      },
      alertmanager_port_forward: {
        value: 'kubectl --namespace observability port-forward service/alertmanager-operated 9093',
      },
    });
  });
});
