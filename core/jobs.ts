/**
 * The scrape jobs of the monitoring system. Rules and dashboards select targets by these `job`
 * label values, so they are named once here and referred to by key.
 */
import type { HostPort } from './host-port';

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
