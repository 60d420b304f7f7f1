/**
 * Where the raw configuration comes from: defaults < cdktf context key `monitoring` (cdktf.json or
 * `--context`) < the `MONITORING_CONFIG` JSON environment variable < the named variables below.
 */
import { ConfigError, ConfigProblem, ConfigReader } from './errors';
import { MonitoringConfig, RawMonitoringConfig, parseMonitoringConfig } from './monitoring-config';
import { ALL_SECRETS, secretMatches, terraformEnvName } from './secrets';

/** Environment variable -> dotted config field. `.env.example` documents each. */
export const ENV_FIELDS: Record<string, string> = {
  MONITORING_STACK_NAME: 'stackName',
  DOCKER_HOST: 'dockerHost',
  MONITORING_DOCKER_NETWORK: 'dockerNetwork',
  MONITORING_APP_CONTAINER: 'applicationContainer',
  MONITORING_NAME_PREFIX: 'namePrefix',
  MONITORING_BIND_ADDRESS: 'bindAddress',
  PROMETHEUS_SCRAPE_INTERVAL: 'prometheus.scrapeInterval',
  PROMETHEUS_EVALUATION_INTERVAL: 'prometheus.evaluationInterval',
  PROMETHEUS_SCRAPE_TIMEOUT: 'prometheus.scrapeTimeout',
  PROMETHEUS_RETENTION: 'prometheus.retention',
  DOCKER_DISCOVERY: 'dockerDiscovery.enabled',
  DOCKER_SOCKET: 'dockerDiscovery.socketPath',
  DOCKER_GROUP_ID: 'dockerDiscovery.socketGroupId',
  GRAFANA_BIND_ADDRESS: 'grafana.bindAddress',
  GRAFANA_URL: 'grafana.url',
  GRAFANA_ADMIN_USER: 'grafana.adminUser',
  API_TARGETS: 'targets.api',
  CELERY_EXPORTER_TARGET: 'targets.celeryExporter',
  CELERY_BROKER_DB: 'targets.celeryBrokerDatabase',
  CELERY_QUEUES: 'targets.celeryQueues',
  POSTGRES_HOST: 'targets.postgres.host',
  POSTGRES_PORT: 'targets.postgres.port',
  POSTGRES_DB: 'targets.postgres.database',
  POSTGRES_USER: 'targets.postgres.user',
  REDIS_TARGET: 'targets.redis',
  REDIS_REQUIRES_PASSWORD: 'targets.redisRequiresPassword',
  TELEGRAM_SEPARATE_CHATS: 'telegramSeparateChats',
  ALERTMANAGER_EXTERNAL_URL: 'alerting.externalUrl',
  RUNBOOK_BASE_URL: 'alerting.runbookBaseUrl',
  STATE_BACKEND: 'backend.type',
  STATE_LOCAL_PATH: 'backend.path',
  STATE_S3_BUCKET: 'backend.bucket',
  STATE_S3_KEY: 'backend.key',
  STATE_S3_REGION: 'backend.region',
  STATE_S3_DYNAMODB_TABLE: 'backend.dynamodbTable',
  STATE_PG_SCHEMA: 'backend.schemaName',
  MONITORING_TARGET: 'target',
  K8S_NAMESPACE: 'kubernetes.namespace',
  K8S_KUBECONFIG: 'kubernetes.kubeconfigPath',
  K8S_CONTEXT: 'kubernetes.kubeconfigContext',
  K8S_CHART_VERSION: 'kubernetes.chartVersion',
  K8S_RELEASE_NAME: 'kubernetes.releaseName',
  K8S_APP_NAMESPACE: 'kubernetes.appNamespace',
  K8S_API_SELECTOR: 'kubernetes.scrape.api.selector',
  K8S_CELERY_SELECTOR: 'kubernetes.scrape.celery.selector',
  REMOTE_WRITE_URL: 'remoteWrite.url',
  REMOTE_WRITE_TENANT: 'remoteWrite.tenant',
};

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target;
  for (const key of keys.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]] = value;
}

function mergeDeep(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? mergeDeep(current, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Problems with the shape of the secrets present in `env` (under the operator's name or Terraform's
 * `TF_VAR_` name). Synth never reads a secret into its output; an error names the variable and the
 * value's length, never its content.
 */
export function secretProblems(env: NodeJS.ProcessEnv): ConfigProblem[] {
  return ALL_SECRETS.flatMap((secret) =>
    [secret.env, terraformEnvName(secret)].flatMap((name) => {
      const value = env[name];
      if (value === undefined || secretMatches(secret, value)) return [];
      return [
        value === ''
          ? { field: name, value: '', reason: 'is empty' }
          : {
              field: name,
              value: `<secret of ${value.length} characters>`,
              reason: `is not valid: expected ${secret.expected}`,
            },
      ];
    }),
  );
}

/** Builds the raw configuration from context and environment, then validates it. */
export function loadMonitoringConfig(env: NodeJS.ProcessEnv, context?: unknown): MonitoringConfig {
  const reader = new ConfigReader();
  let raw: Record<string, unknown> = {};
  if (context !== undefined) {
    if (!isPlainObject(context)) reader.problem('context.monitoring', context, 'is not an object');
    else raw = mergeDeep(raw, context);
  }
  if (env.MONITORING_CONFIG !== undefined) {
    const parsed = reader.attempt('MONITORING_CONFIG', env.MONITORING_CONFIG, undefined, () =>
      JSON.parse(env.MONITORING_CONFIG as string),
    );
    if (parsed !== undefined && !isPlainObject(parsed))
      reader.problem('MONITORING_CONFIG', env.MONITORING_CONFIG, 'is not a JSON object');
    else if (parsed !== undefined) raw = mergeDeep(raw, parsed);
  }
  reader.done();
  for (const [name, field] of Object.entries(ENV_FIELDS)) {
    if (env[name] !== undefined) setPath(raw, field, env[name]);
  }
  const problems = secretProblems(env);
  let config: MonitoringConfig | undefined;
  try {
    config = parseMonitoringConfig(raw as RawMonitoringConfig);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length > 0 || !config) throw new ConfigError(problems);
  return config;
}
