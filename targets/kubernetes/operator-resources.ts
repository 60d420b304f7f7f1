/**
 * The Prometheus Operator's custom resources this target creates, typed with the operator's own
 * field names (https://prometheus-operator.dev/docs/api-reference/api/) so each object is the
 * manifest as it is. Plain data, no cdktf: `custom-resources.ts` hands them to Terraform.
 */
import { KubernetesScrapeTarget } from '../../config/kubernetes-settings';
import { RuleGroupSpec } from '../../domain/rules';
import { JOB, ScrapeJobKey } from '../../core/components';

export const MONITORING_API_VERSION = 'monitoring.coreos.com/v1';

export interface ObjectMeta {
  name: string;
  namespace: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface PrometheusRule {
  apiVersion: typeof MONITORING_API_VERSION;
  kind: 'PrometheusRule';
  metadata: ObjectMeta;
  spec: { groups: RuleGroupSpec[] };
}

export interface RelabelConfig {
  action: 'replace';
  targetLabel: string;
  replacement: string;
}

/** One of a ServiceMonitor's `endpoints`. */
export interface MetricsEndpoint {
  port: string;
  path: string;
  relabelings: RelabelConfig[];
}

interface MonitorSpec {
  namespaceSelector: { matchNames: string[] };
  selector: { matchLabels: Record<string, string> };
}

export interface ServiceMonitor {
  apiVersion: typeof MONITORING_API_VERSION;
  kind: 'ServiceMonitor';
  metadata: ObjectMeta;
  spec: MonitorSpec & { endpoints: MetricsEndpoint[] };
}

export type OperatorResource = PrometheusRule | ServiceMonitor;

/**
 * One PrometheusRule per rule group, holding that group as the Docker target's rule file of the
 * same name holds it (both are rendered by rules/ from the same group objects).
 */
export function prometheusRules(
  groups: readonly RuleGroupSpec[],
  metadata: (name: string) => ObjectMeta,
): PrometheusRule[] {
  return groups.map((group) => ({
    apiVersion: MONITORING_API_VERSION,
    kind: 'PrometheusRule',
    metadata: metadata(group.name),
    spec: { groups: [group] },
  }));
}

/**
 * How Prometheus scrapes one application job: a ServiceMonitor of the API's or an exporter's
 * Service (Celery through the celery-exporter's: the workers serve no metrics). The `job` label is
 * set to the job's name from prometheus/, whatever the Service is called, so the rules that select
 * by job hold on Kubernetes.
 */
export function applicationMonitor(
  job: ScrapeJobKey,
  target: KubernetesScrapeTarget,
  appNamespace: string,
  metadata: ObjectMeta,
): ServiceMonitor {
  const endpoint: MetricsEndpoint = {
    port: target.port,
    path: target.path,
    relabelings: [{ action: 'replace', targetLabel: 'job', replacement: JOB[job] }],
  };
  const spec: MonitorSpec = {
    namespaceSelector: { matchNames: [appNamespace] },
    selector: { matchLabels: { ...target.selector } },
  };
  return {
    apiVersion: MONITORING_API_VERSION,
    kind: 'ServiceMonitor',
    metadata,
    spec: { ...spec, endpoints: [endpoint] },
  };
}
