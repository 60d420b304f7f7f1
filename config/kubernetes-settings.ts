/**
 * The `kubernetes` section of `MonitoringConfig`: the cluster, the kube-prometheus-stack release
 * and where Stock Tracker runs in it. Read only when `target` is `kubernetes` (targets/kubernetes/);
 * the defaults are always valid, so a Docker deploy never has to set it.
 */
import { Fields } from './fields';
import { COMPONENT_DESCRIPTORS, ComponentName, JOB, ScrapeJobKey, componentOfJob } from '../core/components';

/**
 * The application's scrape jobs, found on Kubernetes by labels: the API and the exporters (the
 * celery-exporter for Celery, whose workers serve no metrics) behind a Service, each scraped by a
 * ServiceMonitor under these `job` names, so the rules that name them hold on both targets.
 */
export const KUBERNETES_SCRAPED_JOBS: readonly ScrapeJobKey[] = (Object.keys(JOB) as ScrapeJobKey[]).filter((job) => {
  const component = componentOfJob(job);
  return component === undefined || COMPONENT_DESCRIPTORS[component].kubernetes.kind === 'serviceMonitor';
});

export interface KubernetesScrapeTarget {
  /** Labels the Service carries in `appNamespace`. At least one. */
  selector: Record<string, string>;
  /** Name of the Service port that serves the metrics. */
  port: string;
  path: string;
}

export interface KubernetesSettings {
  /** Namespace of the release and of every object this stack creates; the stack creates it. */
  namespace: string;
  /** Kubeconfig the Kubernetes and Helm providers read (`~` is expanded by the providers). */
  kubeconfigPath: string;
  /** Context in that kubeconfig. Default: its current context. */
  kubeconfigContext?: string;
  /** kube-prometheus-stack chart version, exact: the operator's CRDs and the images follow from it. */
  chartVersion: string;
  releaseName: string;
  /** Persistent volume of Prometheus (a Kubernetes quantity): retention needs somewhere to live. */
  prometheusVolumeSize: string;
  /** Namespace Stock Tracker runs in; the ServiceMonitors look there. */
  appNamespace: string;
  /** How each of `KUBERNETES_SCRAPED_JOBS` is found: by job key. */
  scrape: Readonly<Record<string, KubernetesScrapeTarget>>;
}

/** Repository of the kube-prometheus-stack chart. */
export const KUBE_PROMETHEUS_STACK_REPOSITORY = 'https://prometheus-community.github.io/helm-charts';

const byName = (name: string): Record<string, string> => ({ 'app.kubernetes.io/name': name });

/** The default ServiceMonitor target of a component deployed next to the application (its descriptor's). */
function exporterService(component: ComponentName): KubernetesScrapeTarget {
  const counterpart = COMPONENT_DESCRIPTORS[component].kubernetes;
  if (counterpart.kind !== 'serviceMonitor')
    throw new Error(`${component} is not scraped through a Service of its own on Kubernetes`);
  return { selector: { ...counterpart.selector }, port: counterpart.port, path: '/metrics' };
}

export const DEFAULT_KUBERNETES_SETTINGS: KubernetesSettings = {
  namespace: 'monitoring',
  kubeconfigPath: '~/.kube/config',
  // Prometheus Operator v0.88.0 (the tests validate the manifests against older CRD models: validate-manifests.mjs).
  chartVersion: '81.4.5',
  releaseName: 'kube-prometheus-stack',
  prometheusVolumeSize: '50Gi',
  appNamespace: 'stock-tracker',
  scrape: Object.fromEntries(
    KUBERNETES_SCRAPED_JOBS.map((job) => {
      const component = componentOfJob(job);
      return [
        job,
        component === undefined
          ? { selector: byName('stock-tracker-api'), port: 'http', path: '/metrics' }
          : exporterService(component),
      ];
    }),
  ),
};

/** A DNS-1123 label: namespaces, release and port names. */
const DNS_LABEL = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const RELEASE_NAME = /^(?=.{1,53}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const PORT_NAME = /^(?=.{1,15}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const EXACT_VERSION = /^\d+\.\d+\.\d+$/;
const QUANTITY = /^[1-9]\d*(Mi|Gi|Ti)$/;
const ONE_LINE = /^[^\0\n]+$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

function labelPair(pair: string): [string, unknown] {
  const at = pair.indexOf('=');
  return at < 0 ? [pair, undefined] : [pair.slice(0, at), pair.slice(at + 1)];
}

/** Labels given as an object or as `key=value,key=value`; at least one, each key and value valid. */
function parseSelector(
  field: string,
  raw: unknown,
  fields: Fields,
  fallback: Record<string, string>,
): Record<string, string> {
  if (raw === undefined) return fallback;
  const entries =
    typeof raw === 'string'
      ? raw
          .split(',')
          .map((pair) => pair.trim())
          .filter(Boolean)
          .map(labelPair)
      : Object.entries(fields.section(field, raw));
  const valid =
    entries.length > 0 &&
    entries.every(([key, value]) => typeof value === 'string' && LABEL_KEY.test(key) && LABEL_VALUE.test(value));
  if (!valid) {
    fields.reader.problem(
      field,
      raw,
      'is not valid: expected Kubernetes labels such as {"app.kubernetes.io/name": "api"} or app.kubernetes.io/name=api, at least one',
    );
    return fallback;
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function parseScrapeTarget(job: ScrapeJobKey, raw: unknown, fields: Fields): KubernetesScrapeTarget {
  const field = `kubernetes.scrape.${job}`;
  const d = DEFAULT_KUBERNETES_SETTINGS.scrape[job];
  const given = fields.section(field, raw);
  fields.onlyKnownKeys(field, given, Object.keys(d));
  return {
    selector: parseSelector(`${field}.selector`, given.selector, fields, d.selector),
    port: fields.string(
      `${field}.port`,
      given.port,
      d.port,
      PORT_NAME,
      'a port name (lower-case letters, digits and -, at most 15)',
    ),
    path: fields.string(`${field}.path`, given.path, d.path, /^\/\S*$/, 'a path starting with /'),
  };
}

export function parseKubernetesSettings(raw: unknown, fields: Fields): KubernetesSettings {
  const d = DEFAULT_KUBERNETES_SETTINGS;
  const given = fields.section('kubernetes', raw);
  fields.onlyKnownKeys('kubernetes', given, [...Object.keys(d), 'kubeconfigContext']);
  const scrape = fields.section('kubernetes.scrape', given.scrape);
  fields.onlyKnownKeys('kubernetes.scrape', scrape, KUBERNETES_SCRAPED_JOBS);
  const namespace = (key: 'namespace' | 'appNamespace') =>
    fields.string(
      `kubernetes.${key}`,
      given[key],
      d[key],
      DNS_LABEL,
      'a namespace name (lower-case letters, digits and -)',
    );
  return {
    namespace: namespace('namespace'),
    kubeconfigPath: fields.string(
      'kubernetes.kubeconfigPath',
      given.kubeconfigPath,
      d.kubeconfigPath,
      ONE_LINE,
      'a file path',
    ),
    ...(given.kubeconfigContext === undefined
      ? {}
      : {
          kubeconfigContext: fields.string(
            'kubernetes.kubeconfigContext',
            given.kubeconfigContext,
            '',
            ONE_LINE,
            'a context name',
          ),
        }),
    chartVersion: fields.string(
      'kubernetes.chartVersion',
      given.chartVersion,
      d.chartVersion,
      EXACT_VERSION,
      'an exact chart version such as 81.4.5',
    ),
    releaseName: fields.string(
      'kubernetes.releaseName',
      given.releaseName,
      d.releaseName,
      RELEASE_NAME,
      'a Helm release name (lower-case letters, digits and -, at most 53)',
    ),
    prometheusVolumeSize: fields.string(
      'kubernetes.prometheusVolumeSize',
      given.prometheusVolumeSize,
      d.prometheusVolumeSize,
      QUANTITY,
      'a size such as 50Gi',
    ),
    appNamespace: namespace('appNamespace'),
    scrape: Object.fromEntries(
      KUBERNETES_SCRAPED_JOBS.map((job) => [job, parseScrapeTarget(job, scrape[job], fields)]),
    ),
  };
}
