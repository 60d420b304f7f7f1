/**
 * What the checks talk to and what they expect to find, derived from the same configuration the
 * stack is deployed from: URLs from `config.components` (published ports), expectations from the
 * typed rules, routing and dashboards, credentials from the environment.
 */
import { COMPONENTS, ComponentName } from '../../core/components';
import { MonitoringConfig, publishedUrl } from '../../config/monitoring-config';
import { SECRETS, terraformEnvName } from '../../config/secrets';
import { SCRAPE_JOBS } from '../../core/components';
import { RULE_GROUPS } from '../../domain/rules';
import { SEVERITIES, Severity } from '../../core/severity';
import { buildAlertmanagerConfig, holdingNow } from '../../domain/alerting';
import { PROMETHEUS_DATASOURCE_UID, dashboardDefinitions } from '../../domain/dashboards';
import { BasicAuth } from '../../clients/http';

export interface Expectations {
  /** Scrape jobs that must have every target up. */
  jobs: string[];
  /** Rule groups Prometheus must have loaded. */
  ruleGroups: string[];
  /** Receivers Alertmanager's configuration must declare. */
  receivers: string[];
  /** How long a new alert of each severity waits before its first message. */
  groupWait: Record<Severity, string>;
  /** Whether the Watchdog has a dead man's switch to reach (WATCHDOG_HEARTBEAT_URL). */
  heartbeat: boolean;
  /** Quiet hours and maintenance windows holding each severity's messages now (empty: sent as they come). */
  heldBy: Record<Severity, string[]>;
  /** Grafana: the data source every panel queries, the folder and the dashboards in it. */
  datasourceUid: string;
  folderTitle: string;
  dashboards: { uid: string; title: string }[];
}

export interface CheckTargets {
  /**
   * Base URL of each component as this host reaches it (no trailing slash): its published port on
   * the bind address, or for node-exporter, in the host's network, the address it listens on itself.
   */
  urls: Record<ComponentName, string>;
  /** Where the application's API serves its metrics. */
  apiMetricsUrls: string[];
  /**
   * The URLs are the configured scrape targets (no `--api-url`): one this host gives no answer from
   * (`api:8000` is a name on the application's Docker network) is judged through Prometheus' view
   * of its targets instead.
   */
  apiThroughPrometheus: boolean;
  /** Grafana's admin login; absent when no password is in the environment. */
  grafanaAuth?: BasicAuth;
  expected: Expectations;
}

/** Names the Grafana password may be given under: the operator's and Terraform's. */
export const GRAFANA_PASSWORD_VARIABLES = [SECRETS.grafanaPassword.env, terraformEnvName(SECRETS.grafanaPassword)];

/** What the checks expect of the stack deployed from `config`, at `now` (for the windows holding messages). */
export function expectationsFromConfig(config: MonitoringConfig, now = new Date()): Expectations {
  return {
    jobs: [...SCRAPE_JOBS, ...config.prometheus.extraJobs.map((job) => job.name)],
    ruleGroups: RULE_GROUPS.map((group) => group.name),
    receivers: buildAlertmanagerConfig(config.alerting).receivers.map((receiver) => receiver.name),
    groupWait: Object.fromEntries(
      SEVERITIES.map((severity) => [severity, config.alerting.timings[severity].groupWait.toString()]),
    ) as Record<Severity, string>,
    heartbeat: config.alerting.watchdogHeartbeatUrl !== undefined,
    heldBy: Object.fromEntries(
      SEVERITIES.map((severity) => [severity, holdingNow(config.alerting, severity, now)]),
    ) as Record<Severity, string[]>,
    datasourceUid: PROMETHEUS_DATASOURCE_UID,
    folderTitle: config.grafana.folderTitle,
    dashboards: dashboardDefinitions().map(({ uid, title }) => ({ uid, title })),
  };
}

/**
 * Targets of the deployed stack. The API's own address (`api:8000` by default) is a name on the
 * application's Docker network: from the host it is judged through Prometheus, unless the address
 * it is published on is given (`apiMetricsUrls`, `--api-url`).
 */
export function targetsFromConfig(
  config: MonitoringConfig,
  env: NodeJS.ProcessEnv,
  apiMetricsUrls?: string[],
): CheckTargets {
  const password = GRAFANA_PASSWORD_VARIABLES.map((name) => env[name]).find(
    (value) => value !== undefined && value !== '',
  );
  return {
    urls: Object.fromEntries(
      COMPONENTS.map((component) => [component, publishedUrl(config, component).replace(/\/+$/, '')]),
    ) as Record<ComponentName, string>,
    apiMetricsUrls: apiMetricsUrls ?? config.targets.api.map((target) => `http://${target}/metrics`),
    apiThroughPrometheus: apiMetricsUrls === undefined,
    grafanaAuth: password === undefined ? undefined : { user: config.grafana.adminUser, password },
    expected: expectationsFromConfig(config),
  };
}
