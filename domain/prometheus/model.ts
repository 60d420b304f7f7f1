/**
 * The part of Prometheus' configuration file this project writes, typed with Prometheus' own field
 * names (see https://prometheus.io/docs/prometheus/latest/configuration/configuration/) so the
 * object serialises to `prometheus.yml` as it is. Durations are `Duration`s: they render in
 * Prometheus notation and cannot be malformed.
 */
import type { Duration } from '../../core/duration';

export interface PrometheusConfigFile {
  global: {
    scrape_interval: Duration;
    scrape_timeout: Duration;
    evaluation_interval: Duration;
    external_labels?: Record<string, string>;
  };
  rule_files: string[];
  alerting: { alertmanagers: AlertmanagerConfig[] };
  scrape_configs: ScrapeConfig[];
}

export interface AlertmanagerConfig {
  static_configs: StaticConfig[];
}

export interface StaticConfig {
  targets: string[];
  labels?: Record<string, string>;
}

export interface DockerSdConfig {
  /** Docker daemon address, e.g. `unix:///var/run/docker.sock`. */
  host: string;
  refresh_interval?: Duration;
  /** Docker API filters, e.g. `{ name: 'label', values: ['key=value'] }`. */
  filters?: { name: string; values: string[] }[];
}

export type RelabelAction = 'replace' | 'keep' | 'drop' | 'labelmap' | 'labeldrop' | 'labelkeep';

export interface RelabelConfig {
  source_labels?: string[];
  regex?: string;
  target_label?: string;
  replacement?: string;
  action?: RelabelAction;
}

export interface ScrapeConfig {
  job_name: string;
  metrics_path?: string;
  /** URL parameters of every scrape, e.g. a prober's `module`. */
  params?: Record<string, string[]>;
  scrape_interval?: Duration;
  scrape_timeout?: Duration;
  static_configs?: StaticConfig[];
  docker_sd_configs?: DockerSdConfig[];
  relabel_configs?: RelabelConfig[];
  metric_relabel_configs?: RelabelConfig[];
}
