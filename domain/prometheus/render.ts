/**
 * Renders `prometheus.yml` from typed inputs. The targets are an input, not a lookup: the stack
 * passes container addresses on the application's network, the e2e harness passes loopback ports,
 * and both get the same jobs, discovery and alerting wiring.
 */
import { stringify } from 'yaml';
import { Duration } from '../../core/duration';
import {
  ExtraScrapeJob,
  MonitoringConfig,
  PrometheusSettings,
  applicationNetwork,
  containerName,
} from '../../config/monitoring-config';
import { HostPort } from '../../core/host-port';
import { RenderedFile } from '../../core/rendered-file';
import { allMetrics, seriesNames } from '../metrics';
import {
  COMPONENTS,
  COMPONENT_DESCRIPTORS,
  ComponentName,
  DISCOVERED_JOBS,
  JOB,
  MetricSource,
  Probe,
  SCRAPE_LABELS,
  ScrapeJobKey,
  ScrapeTargets,
  componentOfJob,
} from '../../core/components';
import { DockerSdConfig, PrometheusConfigFile, RelabelConfig, ScrapeConfig } from './model';
import { escapeRegex } from '../../core/regex';

export const PROMETHEUS_CONFIG_FILE = 'prometheus.yml';

/** Discovery of labelled app containers through the Docker API, as seen from inside Prometheus. */
export interface DockerDiscovery {
  /** Docker daemon address Prometheus queries, e.g. `unix:///var/run/docker.sock`. */
  host: string;
  /** Only addresses on this network are scraped (a container on several networks has several). */
  network: string;
  refreshInterval: Duration;
}

export interface PrometheusConfigInput {
  timing: Pick<PrometheusSettings, 'scrapeInterval' | 'evaluationInterval' | 'scrapeTimeout'>;
  targets: ScrapeTargets;
  extraJobs: ExtraScrapeJob[];
  /** `host:port` of each Alertmanager. */
  alertmanagers: HostPort[];
  /** Rule files, relative to the directory of `prometheus.yml`. */
  ruleFiles: string[];
  /** Omit to scrape the static targets only (no Docker, e.g. on loopback). */
  dockerDiscovery?: DockerDiscovery;
  /**
   * Store, from each exporter (`EXPORTER_JOBS`), only the series the catalog names: rules and
   * dashboards read nothing else, and the exporters expose thousands more. Default true.
   */
  keepOnlyCatalogSeries?: boolean;
  /**
   * The `instance` label of a job's targets where their address names nothing stable (node-exporter
   * reached through the host's gateway). Default: the address, as Prometheus sets it.
   */
  instanceLabels?: Partial<Record<ScrapeJobKey, string>>;
}

/**
 * Third-party exporters (`keepOnlyCatalogSeries` in their descriptors), whose series are filtered down to
 * the catalog's. The application's own jobs and Prometheus' and Alertmanager's self-metrics are
 * kept whole (for debugging).
 */
export const EXPORTER_JOBS: Partial<Record<ScrapeJobKey, MetricSource>> = Object.fromEntries(
  COMPONENTS.flatMap((component) => {
    const { job, metricSource, keepOnlyCatalogSeries } = COMPONENT_DESCRIPTORS[component];
    return metricSource && keepOnlyCatalogSeries ? [[job, metricSource]] : [];
  }),
);

/** Path inside the Prometheus container where the host's Docker socket is mounted. */
export const DOCKER_SOCKET_IN_CONTAINER = '/var/run/docker.sock';

/**
 * The name Prometheus' container resolves to the Docker host, where node-exporter listens (it runs in
 * the host's network namespace: a container of its own would see only its own interface). The Docker
 * target maps it, in Prometheus' /etc/hosts, to the gateway of the application's network.
 */
export const DOCKER_HOST_ALIAS = 'host.docker.internal';

/**
 * Targets of the deployed stack: every component by its container name on the app network (Prometheus
 * itself on localhost, node-exporter on the Docker host), the API's configured targets, and the
 * application's own celery-exporter when it runs one.
 */
export function stackScrapeTargets(config: MonitoringConfig): ScrapeTargets {
  const at = (component: ComponentName) => [`${containerName(config, component)}:${config.components[component].port}`];
  const components = Object.fromEntries(
    COMPONENTS.map((component) => [COMPONENT_DESCRIPTORS[component].job, at(component)]),
  );
  return {
    ...(components as Omit<ScrapeTargets, 'api'>),
    prometheus: [`localhost:${config.components.prometheus.port}`],
    nodeExporter: [`${DOCKER_HOST_ALIAS}:${config.components.nodeExporter.port}`],
    api: config.targets.api,
    ...(config.targets.celeryExporter ? { celery: [config.targets.celeryExporter] } : {}),
  };
}

/**
 * node-exporter's `instance` in the deployed stack: `<container>:<port>`, what it was while the
 * exporter ran on the application's network, so the host's series and alerts keep their identity;
 * `host.docker.internal:9100` would say nothing about which host.
 */
export function stackInstanceLabels(config: MonitoringConfig): Partial<Record<ScrapeJobKey, string>> {
  return { nodeExporter: `${containerName(config, 'nodeExporter')}:${config.components.nodeExporter.port}` };
}

/** The input for the deployed stack; callers replace `targets`/`alertmanagers`/`dockerDiscovery` to run elsewhere. */
export function stackPrometheusInput(config: MonitoringConfig, ruleFiles: string[]): PrometheusConfigInput {
  const discovery = config.dockerDiscovery;
  return {
    timing: config.prometheus,
    targets: stackScrapeTargets(config),
    extraJobs: config.prometheus.extraJobs,
    alertmanagers: [`${containerName(config, 'alertmanager')}:${config.components.alertmanager.port}`],
    ruleFiles,
    instanceLabels: stackInstanceLabels(config),
    dockerDiscovery: discovery.enabled
      ? {
          host: `unix://${DOCKER_SOCKET_IN_CONTAINER}`,
          network: applicationNetwork(config),
          refreshInterval: discovery.refreshInterval,
        }
      : undefined,
  };
}

/** `__meta_docker_container_label_<name>` with the name sanitised as Prometheus does. */
function dockerLabelMeta(label: string): string {
  return `__meta_docker_container_label_${label.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/**
 * Relabelling for a job that mixes static targets and discovered containers. Static targets carry
 * no `__meta_docker_*` labels, so every rule leaves them untouched.
 */
function discoveryRelabelling(network: string): RelabelConfig[] {
  return [
    // A container on several networks is discovered once per network: keep the app network's address.
    { source_labels: ['__meta_docker_network_name'], regex: `|${escapeRegex(network)}`, action: 'keep' },
    {
      source_labels: ['__meta_docker_network_ip', dockerLabelMeta(SCRAPE_LABELS.port)],
      regex: '(.+);(\\d+)',
      target_label: '__address__',
      replacement: '$1:$2',
    },
    { source_labels: [dockerLabelMeta(SCRAPE_LABELS.path)], regex: '(.+)', target_label: '__metrics_path__' },
    // Name the instance after the container (`stock-tracker-celery-worker-2`), not its changing IP.
    { source_labels: ['__meta_docker_container_name'], regex: '/(.+)', target_label: 'instance' },
  ];
}

/** Keeps only the series of the catalog metrics `source` (the job's exporter) exposes. */
function catalogSeriesOnly(source: MetricSource): RelabelConfig[] {
  const names = allMetrics()
    .filter((metric) => metric.source === source)
    .flatMap(seriesNames);
  return [{ source_labels: ['__name__'], regex: names.map(escapeRegex).join('|'), action: 'keep' }];
}

function scrapeJob(name: string, targets: HostPort[], metricsPath?: string, instance?: string): ScrapeConfig {
  return {
    job_name: name,
    ...(metricsPath && metricsPath !== '/metrics' ? { metrics_path: metricsPath } : {}),
    // A target label `instance` replaces the address Prometheus would otherwise set it to.
    static_configs: targets.length > 0 ? [{ targets, ...(instance ? { labels: { instance } } : {}) }] : undefined,
  };
}

/**
 * The job of a prober (the multi-target exporter pattern): its own address scraped at `/probe`, once
 * per probed URL, the URL passed as `target` and kept as `instance`.
 */
export function probeJob(name: string, prober: HostPort, probe: Probe, probed: readonly HostPort[]): ScrapeConfig {
  return {
    job_name: name,
    metrics_path: '/probe',
    params: { module: [probe.module] },
    static_configs:
      probed.length > 0 ? [{ targets: probed.map((target) => `http://${target}${probe.path}`) }] : undefined,
    relabel_configs: [
      { source_labels: ['__address__'], target_label: '__param_target' },
      { source_labels: ['__param_target'], target_label: 'instance' },
      { target_label: '__address__', replacement: prober },
    ],
  };
}

/** The job that scrapes `key`'s targets, as its component wants (a prober probes, the API may be discovered). */
function builtInJob(key: ScrapeJobKey, input: PrometheusConfigInput): ScrapeConfig {
  const component = componentOfJob(key);
  const probe = component && COMPONENT_DESCRIPTORS[component].probe;
  const [prober] = input.targets[key];
  if (probe)
    return prober === undefined ? scrapeJob(JOB[key], []) : probeJob(JOB[key], prober, probe, input.targets[probe.job]);
  if (input.dockerDiscovery && DISCOVERED_JOBS.includes(key))
    return discoveredJob(key, input.targets[key], input.dockerDiscovery);
  return scrapeJob(JOB[key], input.targets[key], undefined, input.instanceLabels?.[key]);
}

function discoveredJob(key: ScrapeJobKey, targets: HostPort[], discovery: DockerDiscovery): ScrapeConfig {
  const sd: DockerSdConfig = {
    host: discovery.host,
    refresh_interval: discovery.refreshInterval,
    filters: [{ name: 'label', values: [`${SCRAPE_LABELS.job}=${JOB[key]}`] }],
  };
  return {
    ...scrapeJob(JOB[key], targets),
    docker_sd_configs: [sd],
    relabel_configs: discoveryRelabelling(discovery.network),
  };
}

/** The typed configuration; throws when two jobs share a name (Prometheus would refuse the file). */
export function prometheusConfig(input: PrometheusConfigInput): PrometheusConfigFile {
  const keepOnlyCatalogSeries = input.keepOnlyCatalogSeries ?? true;
  const builtIn = (Object.keys(JOB) as ScrapeJobKey[]).map((key) => {
    const job = builtInJob(key, input);
    const source = EXPORTER_JOBS[key];
    return keepOnlyCatalogSeries && source ? { ...job, metric_relabel_configs: catalogSeriesOnly(source) } : job;
  });
  const jobs = [...builtIn, ...input.extraJobs.map((job) => scrapeJob(job.name, job.targets, job.metricsPath))];
  const names = jobs.map((job) => job.job_name);
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined) throw new Error(`scrape job name "${duplicate}" is used twice`);
  return {
    global: {
      scrape_interval: input.timing.scrapeInterval,
      scrape_timeout: input.timing.scrapeTimeout,
      evaluation_interval: input.timing.evaluationInterval,
    },
    rule_files: input.ruleFiles,
    alerting: { alertmanagers: [{ static_configs: [{ targets: input.alertmanagers }] }] },
    scrape_configs: jobs,
  };
}

export function renderPrometheusConfig(input: PrometheusConfigInput): RenderedFile {
  return {
    path: PROMETHEUS_CONFIG_FILE,
    content: stringify(prometheusConfig(input), { lineWidth: 0, aliasDuplicateObjects: false }),
  };
}
