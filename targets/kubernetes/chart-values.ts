/**
 * The kube-prometheus-stack values this target sets, typed with the chart's own keys (its
 * values.yaml) and rendered with the yaml library. Plain data, no cdktf. Only names of Secrets go
 * in here, never their content: the values end up in the Helm release, readable by anyone who can
 * list releases.
 */
import { Document } from 'yaml';
import { ByteSize } from '../../core/byte-size';
import { Duration } from '../../core/duration';
import { MonitoringConfig } from '../../config/monitoring-config';
import { REMOTE_WRITE_PROTOCOL, RemoteWriteSettings } from '../../config/remote-write';
import { PROMETHEUS_DATASOURCE_UID } from '../../domain/dashboards';

export const KUBE_PROMETHEUS_STACK_CHART = 'kube-prometheus-stack';

/** The label and annotation the chart's Grafana sidecar picks dashboard ConfigMaps up by. */
export const DASHBOARD_SIDECAR = {
  label: 'grafana_dashboard',
  labelValue: '1',
  folderAnnotation: 'grafana_folder',
} as const;

/** Keys of the Grafana admin Secret. */
export const GRAFANA_ADMIN_KEYS = { user: 'admin-user', password: 'admin-password' } as const;

/** Keys of a remote-write basic-auth Secret (`remoteWrite.basicAuthSecret`). */
export const REMOTE_WRITE_AUTH_KEYS = { username: 'username', password: 'password' } as const;

/**
 * The chart's default rule groups whose alerts this project already has: kept, they would page
 * twice for one cause (and fire a second Watchdog). The chart's Kubernetes groups stay.
 */
export const DUPLICATED_DEFAULT_RULE_GROUPS = {
  general: 'Watchdog and TargetDown are in domain/rules/groups/ (monitoring group)',
  prometheus: 'Prometheus self-monitoring is in rules/ (monitoring group)',
  alertmanager: 'Alertmanager self-monitoring is in rules/ (monitoring group)',
  nodeExporterAlerting: 'host CPU, memory and disk alerts are in domain/rules/groups/ (host group)',
} as const;

export interface LabelSelector {
  matchLabels: Record<string, string>;
}

export interface SecretKeySelector {
  name: string;
  key: string;
}

export interface RemoteWriteSpec {
  url: string;
  headers?: Record<string, string>;
  basicAuth?: { username: SecretKeySelector; password: SecretKeySelector };
}

export interface PrometheusSpecValues {
  scrapeInterval: Duration;
  scrapeTimeout: Duration;
  evaluationInterval: Duration;
  retention: Duration;
  /** The operator's `retentionSize`, passed to `--storage.tsdb.retention.size`. */
  retentionSize: ByteSize;
  /** The operator's `enableAdminAPI`: `--web.enable-admin-api`, answered on the Prometheus Service for every pod the cluster's network policies let through. */
  enableAdminAPI: boolean;
  ruleSelector: LabelSelector;
  serviceMonitorSelector: LabelSelector;
  podMonitorSelector: LabelSelector;
  /** The chart's name for the Prometheus resource's `storage`. */
  storageSpec: {
    volumeClaimTemplate: { spec: { accessModes: ['ReadWriteOnce']; resources: { requests: { storage: string } } } };
  };
  remoteWrite?: RemoteWriteSpec[];
}

export interface AlertmanagerSpecValues {
  /** The configuration is the Secret `configSecret`, not chart values (it holds the bot token). */
  useExistingSecret: true;
  configSecret: string;
  externalUrl: string;
  volumes: { name: string; configMap: { name: string } }[];
  volumeMounts: { name: string; mountPath: string; readOnly: true }[];
}

export interface GrafanaValues {
  admin: { existingSecret: string; userKey: string; passwordKey: string };
  sidecar: {
    dashboards: {
      enabled: true;
      label: string;
      labelValue: string;
      folderAnnotation: string;
      provider: { foldersFromFilesStructure: true };
    };
    /** The chart's Prometheus data source, with the uid every dashboard panel queries. */
    datasources: { uid: string };
  };
}

export interface KubePrometheusStackValues {
  defaultRules: { rules: Record<keyof typeof DUPLICATED_DEFAULT_RULE_GROUPS, false> };
  prometheus: { prometheusSpec: PrometheusSpecValues };
  alertmanager: { alertmanagerSpec: AlertmanagerSpecValues };
  grafana: GrafanaValues;
}

export interface ChartValuesInput {
  config: Pick<MonitoringConfig, 'prometheus' | 'alerting' | 'grafana' | 'kubernetes' | 'remoteWrite'>;
  /** Labels of this stack's PrometheusRules and ServiceMonitors (and any PodMonitor added later), which Prometheus selects by. */
  selectedBy: Record<string, string>;
  /** Secret with `alertmanager.yaml`. */
  alertmanagerConfigSecret: string;
  /** ConfigMap of Alertmanager's template files, mounted at `templatesDir`. */
  alertmanagerTemplates: { configMap: string; templatesDir: string };
  /** Secret with the `GRAFANA_ADMIN_KEYS`. */
  grafanaAdminSecret: string;
}

function remoteWriteSpec(settings: RemoteWriteSettings): RemoteWriteSpec {
  const header = REMOTE_WRITE_PROTOCOL[settings.store].tenantHeader;
  const secret = settings.basicAuthSecret;
  return {
    url: settings.url,
    ...(header && settings.tenant ? { headers: { [header]: settings.tenant } } : {}),
    ...(secret
      ? {
          basicAuth: {
            username: { name: secret, key: REMOTE_WRITE_AUTH_KEYS.username },
            password: { name: secret, key: REMOTE_WRITE_AUTH_KEYS.password },
          },
        }
      : {}),
  };
}

export function chartValues(input: ChartValuesInput): KubePrometheusStackValues {
  const { prometheus, alerting, kubernetes, remoteWrite } = input.config;
  const selector: LabelSelector = { matchLabels: { ...input.selectedBy } };
  const templates = 'alertmanager-templates';
  return {
    defaultRules: {
      rules: Object.fromEntries(
        Object.keys(DUPLICATED_DEFAULT_RULE_GROUPS).map((group) => [group, false]),
      ) as KubePrometheusStackValues['defaultRules']['rules'],
    },
    prometheus: {
      prometheusSpec: {
        scrapeInterval: prometheus.scrapeInterval,
        scrapeTimeout: prometheus.scrapeTimeout,
        evaluationInterval: prometheus.evaluationInterval,
        retention: prometheus.retention,
        retentionSize: prometheus.retentionSize,
        enableAdminAPI: prometheus.adminApi,
        ruleSelector: selector,
        serviceMonitorSelector: selector,
        podMonitorSelector: selector,
        storageSpec: {
          volumeClaimTemplate: {
            spec: {
              accessModes: ['ReadWriteOnce'],
              resources: { requests: { storage: kubernetes.prometheusVolumeSize } },
            },
          },
        },
        ...(remoteWrite ? { remoteWrite: [remoteWriteSpec(remoteWrite)] } : {}),
      },
    },
    alertmanager: {
      alertmanagerSpec: {
        useExistingSecret: true,
        configSecret: input.alertmanagerConfigSecret,
        externalUrl: alerting.externalUrl,
        volumes: [{ name: templates, configMap: { name: input.alertmanagerTemplates.configMap } }],
        volumeMounts: [{ name: templates, mountPath: input.alertmanagerTemplates.templatesDir, readOnly: true }],
      },
    },
    grafana: {
      admin: {
        existingSecret: input.grafanaAdminSecret,
        userKey: GRAFANA_ADMIN_KEYS.user,
        passwordKey: GRAFANA_ADMIN_KEYS.password,
      },
      sidecar: {
        dashboards: {
          enabled: true,
          label: DASHBOARD_SIDECAR.label,
          labelValue: DASHBOARD_SIDECAR.labelValue,
          folderAnnotation: DASHBOARD_SIDECAR.folderAnnotation,
          provider: { foldersFromFilesStructure: true },
        },
        datasources: { uid: PROMETHEUS_DATASOURCE_UID },
      },
    },
  };
}

/** The values file given to the release. */
export function renderChartValues(values: KubePrometheusStackValues): string {
  // Each selector written out in full: anchors and aliases would be correct YAML, but not readable values.
  const document = new Document(values, { aliasDuplicateObjects: false });
  document.commentBefore =
    ' Generated from targets/kubernetes/chart-values.ts; do not edit: change the typed values and re-deploy.';
  return document.toString({ lineWidth: 0 });
}
