/**
 * The components of the monitoring stack and the scrape jobs that read them. One descriptor per
 * component says everything the layers above need to know about it, once: config defaults (image,
 * port, memory), the Prometheus jobs, the Docker containers, the Kubernetes values, the check CLI,
 * the loopback test stack and the guide read it from here. README "Adding an exporter" walks
 * through adding one; docs/ARCHITECTURE.md shows who reads what.
 */
import type { HostPort } from './host-port';

/**
 * The scrape jobs of the monitoring system. Rules and dashboards select targets by these `job`
 * label values, so they are named once here and referred to by key; prometheus.yml lists them in
 * this order.
 */
export const JOB = {
  prometheus: 'prometheus',
  alertmanager: 'alertmanager',
  grafana: 'grafana',
  api: 'api',
  /** The celery-exporter: Celery's workers serve no metrics of their own. */
  celery: 'celery',
  postgresExporter: 'postgres-exporter',
  redisExporter: 'redis-exporter',
  nodeExporter: 'node-exporter',
  cadvisor: 'cadvisor',
} as const;
export type ScrapeJobKey = keyof typeof JOB;
export type ScrapeJobName = (typeof JOB)[ScrapeJobKey];
export const SCRAPE_JOBS: readonly ScrapeJobName[] = Object.values(JOB);

/** The addresses each job scrapes: container names on the app network, or loopback ports in the e2e harness. */
export type ScrapeTargets = Record<ScrapeJobKey, HostPort[]>;

/** Jobs of the application itself, whose containers may also be found by Docker discovery. */
export const DISCOVERED_JOBS: readonly ScrapeJobKey[] = ['api'];

/**
 * Docker labels an application container carries to be scraped, e.g. in docker-compose:
 * `stock-tracker.scrape.job: api` and `stock-tracker.scrape.port: "8000"`.
 */
export const SCRAPE_LABELS = {
  job: 'stock-tracker.scrape.job',
  port: 'stock-tracker.scrape.port',
  path: 'stock-tracker.scrape.path',
} as const;

/** Who exposes a metric: a component, the application, Prometheus' own `up`, or a recording rule. */
export const METRIC_SOURCES = [
  'stock-tracker',
  'node-exporter',
  'postgres-exporter',
  'redis-exporter',
  'celery-exporter',
  'cadvisor',
  'prometheus',
  'alertmanager',
  'scrape',
  'recording',
] as const;
export type MetricSource = (typeof METRIC_SOURCES)[number];

/** The components, in the order the stack, the check table and the guide list them. */
export const COMPONENTS = [
  'prometheus',
  'alertmanager',
  'grafana',
  'postgresExporter',
  'redisExporter',
  'nodeExporter',
  'cadvisor',
  'celeryExporter',
] as const;
export type ComponentName = (typeof COMPONENTS)[number];

/** An HTTP probe: a path on the component's own port, and the client the image has for it. */
export interface HealthProbe {
  readonly path: string;
  /** The busybox `wget` of the Prometheus-family images, or the interpreter of a Python image. */
  readonly client: 'wget' | 'python';
}

/** The component as the loopback test stack runs it: a program from a Debian package. */
export interface DebianProgram {
  readonly package: string;
  /** The program's path or name on `PATH`. */
  readonly binary: string;
  /** Arguments after the listen flag, where Debian's paths differ from the image's. @default none */
  readonly args?: readonly string[];
}

/**
 * A prober (the multi-target exporter pattern, https://prometheus.io/docs/guides/multi-target-exporter/):
 * Prometheus asks it, at `/probe?module=<module>&target=<url>`, to probe `http://<target><path>` for
 * every target of `job`; the series carry the probed URL as `instance`.
 */
export interface Probe {
  readonly module: string;
  readonly job: ScrapeJobKey;
  /** Path probed on each target, e.g. `/health`. */
  readonly path: string;
}

/** How the component exists on the Kubernetes target (kube-prometheus-stack). */
export type KubernetesCounterpart =
  /** Deployed by the chart itself (its sub-chart or component named here). */
  | { readonly kind: 'chart'; readonly part: string }
  /** Deployed by its own chart next to the application, scraped through its Service by a ServiceMonitor. */
  | {
      readonly kind: 'serviceMonitor';
      readonly chart: string;
      readonly selector: Readonly<Record<string, string>>;
      readonly port: string;
    };

export interface ComponentDescriptor {
  /** What the check table and the docs call it. */
  readonly title: string;
  /** What it is for, in the words of the guide. */
  readonly role: string;
  /** Default image, pinned to an exact release (`components.<name>.image`); README "Versions" says why this one. */
  readonly image: string;
  /**
   * The oldest release the stack supports, `major.minor.patch` (README "Versions"): for a component
   * the tests run, Debian stable's, the floor of the version matrix (testing/program-sets.ts); for
   * the others, the oldest that works with what the stack renders and on today's Docker. A
   * configured image below it is refused at synth (config/image-requirements.ts).
   */
  readonly oldestRelease: string;
  /** The port it listens on, in its container and on the host (`components.<name>.port`). */
  readonly port: number;
  /** Default memory limit, MiB (`components.<name>.memoryLimitMb`). */
  readonly memoryLimitMb: number;
  /** The scrape job that reads its metrics. */
  readonly job: ScrapeJobKey;
  /** The catalog source of the metrics it exposes (domain/metrics/catalog.ts). @default none in the catalog */
  readonly metricSource?: MetricSource;
  /**
   * Prometheus stores only the catalog's series of it: a third-party exporter exposes thousands
   * that no rule or panel reads. @default false (kept whole, for debugging)
   */
  readonly keepOnlyCatalogSeries?: boolean;
  /** The container's own healthcheck (is the process alive and serving). */
  readonly healthcheck: HealthProbe;
  /** What `npm run check` asks of it (does it work): often more than alive. */
  readonly checkPath: string;
  /** Its flag for the listen address, `<flag>=<host>:<port>`, for a component that has one. */
  readonly listenFlag?: string;
  /**
   * Arguments of its container after the listen flag, for a component without a construct of its
   * own (the Docker target runs it as a plain exporter). @default none
   */
  readonly args?: readonly string[];
  /** It probes other targets rather than exposing metrics of its own. @default none */
  readonly probe?: Probe;
  /** The Debian program the loopback tests run it as; absent when Debian has none. */
  readonly debian?: DebianProgram;
  readonly kubernetes: KubernetesCounterpart;
}

const byName = (name: string) => ({ 'app.kubernetes.io/name': name });

export const COMPONENT_DESCRIPTORS: { readonly [N in ComponentName]: ComponentDescriptor } = {
  prometheus: {
    title: 'Prometheus',
    role: 'scrapes every target, evaluates the rules, keeps the series',
    // The 3.5 long-term-support line, its latest patch.
    image: 'prom/prometheus:v3.5.5',
    oldestRelease: '2.42.0',
    port: 9090,
    memoryLimitMb: 2048,
    job: 'prometheus',
    metricSource: 'prometheus',
    // Ready, not healthy: /-/healthy answers while the TSDB is still opening (WAL replay), before the rule
    // files are loaded, and a bad one ends the process only then; a deploy waits for this to pass.
    healthcheck: { path: '/-/ready', client: 'wget' },
    checkPath: '/-/ready',
    listenFlag: '--web.listen-address',
    debian: { package: 'prometheus', binary: 'prometheus' },
    kubernetes: { kind: 'chart', part: 'prometheus' },
  },
  alertmanager: {
    title: 'Alertmanager',
    role: 'groups, de-duplicates and routes alerts to Telegram',
    image: 'prom/alertmanager:v0.34.1',
    oldestRelease: '0.25.0',
    port: 9093,
    memoryLimitMb: 256,
    job: 'alertmanager',
    metricSource: 'alertmanager',
    healthcheck: { path: '/-/healthy', client: 'wget' },
    checkPath: '/-/ready',
    listenFlag: '--web.listen-address',
    debian: { package: 'prometheus-alertmanager', binary: 'prometheus-alertmanager' },
    kubernetes: { kind: 'chart', part: 'alertmanager' },
  },
  grafana: {
    title: 'Grafana',
    role: 'dashboards over Prometheus (published on `grafana.bindAddress`)',
    // The newest Grafana line the foundation SDK has a build for (package.json, 11.6): the dashboards' JSON model is that Grafana's.
    image: 'grafana/grafana:11.6.16',
    oldestRelease: '11.6.0',
    port: 3000,
    memoryLimitMb: 512,
    job: 'grafana',
    healthcheck: { path: '/api/health', client: 'wget' },
    checkPath: '/api/health',
    kubernetes: { kind: 'chart', part: 'grafana' },
  },
  postgresExporter: {
    title: 'postgres-exporter',
    role: "PostgreSQL's connections, sizes, transactions, locks",
    image: 'quay.io/prometheuscommunity/postgres-exporter:v0.20.1',
    oldestRelease: '0.11.1',
    port: 9187,
    memoryLimitMb: 128,
    job: 'postgresExporter',
    metricSource: 'postgres-exporter',
    keepOnlyCatalogSeries: true,
    // The landing page: the exporter is healthy even while the database is down (pg_up says that).
    healthcheck: { path: '/', client: 'wget' },
    checkPath: '/metrics',
    listenFlag: '--web.listen-address',
    debian: { package: 'prometheus-postgres-exporter', binary: 'prometheus-postgres-exporter' },
    kubernetes: {
      kind: 'serviceMonitor',
      chart: 'prometheus-postgres-exporter',
      selector: byName('prometheus-postgres-exporter'),
      port: 'http',
    },
  },
  redisExporter: {
    title: 'redis-exporter',
    role: "Redis' memory, clients, commands, hits and evictions",
    // The -alpine build of the same release: the default one is FROM scratch, with nothing to run a healthcheck.
    image: 'oliver006/redis_exporter:v1.93.0-alpine',
    oldestRelease: '1.45.0',
    port: 9121,
    memoryLimitMb: 128,
    job: 'redisExporter',
    metricSource: 'redis-exporter',
    keepOnlyCatalogSeries: true,
    healthcheck: { path: '/health', client: 'wget' },
    checkPath: '/metrics',
    listenFlag: '-web.listen-address',
    debian: { package: 'prometheus-redis-exporter', binary: 'prometheus-redis-exporter' },
    kubernetes: {
      kind: 'serviceMonitor',
      chart: 'prometheus-redis-exporter',
      selector: byName('prometheus-redis-exporter'),
      port: 'redis-exporter',
    },
  },
  nodeExporter: {
    title: 'node-exporter',
    role: "the host's CPU, memory, disks, network, load",
    image: 'prom/node-exporter:v1.12.1',
    oldestRelease: '1.5.0',
    port: 9100,
    memoryLimitMb: 128,
    job: 'nodeExporter',
    metricSource: 'node-exporter',
    keepOnlyCatalogSeries: true,
    healthcheck: { path: '/', client: 'wget' },
    checkPath: '/metrics',
    listenFlag: '--web.listen-address',
    debian: { package: 'prometheus-node-exporter', binary: 'prometheus-node-exporter' },
    kubernetes: { kind: 'chart', part: 'prometheus-node-exporter' },
  },
  cadvisor: {
    title: 'cAdvisor',
    role: 'CPU, memory, network and disk I/O of every container',
    // ghcr.io since 0.53 (gcr.io/cadvisor has no newer release); 0.54 reads containers of Docker's containerd image store.
    image: 'ghcr.io/google/cadvisor:v0.60.5',
    oldestRelease: '0.54.0',
    port: 8080,
    memoryLimitMb: 256,
    job: 'cadvisor',
    metricSource: 'cadvisor',
    keepOnlyCatalogSeries: true,
    healthcheck: { path: '/healthz', client: 'wget' },
    checkPath: '/healthz',
    kubernetes: { kind: 'chart', part: 'kubelet (its cAdvisor endpoint)' },
  },
  celeryExporter: {
    title: 'celery-exporter',
    role: "Celery's queues and workers, and with task events every task's outcome (only when the application runs none)",
    // ghcr.io gets every release as <major>.<minor>.<patch> (its push-image-ghcr workflow); the compose file's is `latest`.
    image: 'ghcr.io/danihodovic/celery-exporter:0.12.2',
    oldestRelease: '0.12.2',
    port: 9808,
    memoryLimitMb: 128,
    job: 'celery',
    metricSource: 'celery-exporter',
    keepOnlyCatalogSeries: true,
    // `/health` answers 200 while the process serves, even with the broker gone; `/metrics` answers 500 then
    // (measured, __tests__/fixtures/celery-exporter/FACTS.md f): the container is alive, the check asks whether it works.
    healthcheck: { path: '/health', client: 'python' },
    checkPath: '/metrics',
    kubernetes: { kind: 'serviceMonitor', chart: 'celery-exporter', selector: byName('celery-exporter'), port: 'http' },
  },
};

/** The component's name in kebab case (`postgresExporter` → `postgres-exporter`): containers and construct ids. */
export function componentSlug(component: ComponentName): string {
  return component.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** The component Prometheus scrapes under `job`, if any (the application's jobs have none). */
export function componentOfJob(job: ScrapeJobKey): ComponentName | undefined {
  return COMPONENTS.find((component) => COMPONENT_DESCRIPTORS[component].job === job);
}
