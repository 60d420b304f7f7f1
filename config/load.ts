/**
 * Where the raw configuration comes from: defaults < cdktf context key `monitoring` (cdktf.json or
 * `--context`) < the `MONITORING_CONFIG` JSON environment variable < the named variables below.
 * An empty variable counts as unset (a `.env` line `NAME=` sets nothing). Every problem names the
 * variable or document the user set the value in; a value that may be a secret is never shown.
 */
import { ConfigError, ConfigProblem, ConfigReader, ConfigSource } from './errors';
import { closest } from './fields';
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
  MONITORING_PUBLISH_WITHOUT_AUTH: 'publishWithoutAuth',
  PROMETHEUS_SCRAPE_INTERVAL: 'prometheus.scrapeInterval',
  PROMETHEUS_EVALUATION_INTERVAL: 'prometheus.evaluationInterval',
  PROMETHEUS_SCRAPE_TIMEOUT: 'prometheus.scrapeTimeout',
  PROMETHEUS_RETENTION: 'prometheus.retention',
  PROMETHEUS_RETENTION_SIZE: 'prometheus.retentionSize',
  PROMETHEUS_DISK_BUDGET: 'prometheus.diskBudget',
  PROMETHEUS_ADMIN_API: 'prometheus.adminApi',
  DOCKER_DISCOVERY: 'dockerDiscovery.enabled',
  DOCKER_SOCKET: 'dockerDiscovery.socketPath',
  DOCKER_GROUP_ID: 'dockerDiscovery.socketGroupId',
  GRAFANA_BIND_ADDRESS: 'grafana.bindAddress',
  GRAFANA_URL: 'grafana.url',
  GRAFANA_PUBLIC_URL: 'grafana.publicUrl',
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
  TELEGRAM_TOPICS: 'alerting.telegramTopics',
  ALERTMANAGER_EXTERNAL_URL: 'alerting.externalUrl',
  RUNBOOK_BASE_URL: 'alerting.runbookBaseUrl',
  WATCHDOG_HEARTBEAT_URL: 'alerting.watchdogHeartbeatUrl',
  ALERTING_TIME_ZONE: 'alerting.timeZone',
  QUIET_HOURS_FROM: 'alerting.quietHours.from',
  QUIET_HOURS_TO: 'alerting.quietHours.to',
  QUIET_HOURS_SEVERITIES: 'alerting.quietHours.severities',
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

/** Keys that would reach an object's prototype instead of being a setting: never merged. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function mergeDeep(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (PROTOTYPE_KEYS.has(key)) continue;
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

/**
 * Variables whose value carries a carriage return: a `.env` file with Windows line endings. The
 * value is not shown (it may be a secret); some programs would take the `\r` as part of it.
 */
function carriageReturns(env: NodeJS.ProcessEnv): ConfigProblem[] {
  const ours = [
    ...Object.keys(ENV_FIELDS),
    'MONITORING_CONFIG',
    ...ALL_SECRETS.flatMap((s) => [s.env, terraformEnvName(s)]),
  ];
  return ours
    .filter((name) => env[name]?.includes('\r'))
    .map((name) => ({
      field: name,
      reason:
        'holds a carriage return: the .env file has Windows line endings (convert it: dos2unix .env, or sed -i "s/\\r$//" .env)',
    }));
}

/** A variable set to the empty string counts as unset: `NAME=` in a `.env` file sets nothing. */
function given(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value;
}

/** Every leaf of a JSON document as `path -> value` (`a.b`, `list[0]`). */
function leaves(value: unknown, path: string, out: Map<string, unknown>): Map<string, unknown> {
  if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) leaves(item, path ? `${path}.${key}` : key, out);
  } else if (Array.isArray(value)) {
    value.forEach((item, i) => leaves(item, `${path}[${i}]`, out));
  } else {
    out.set(path, value);
  }
  return out;
}

/** The values of the secrets present in `env`, under the operator's names and Terraform's, with their names. */
function secretValues(env: NodeJS.ProcessEnv): { name: string; value: string }[] {
  return ALL_SECRETS.flatMap((secret) => [secret.env, terraformEnvName(secret)])
    .map((name) => ({ name, value: given(env, name) }))
    .filter((entry): entry is { name: string; value: string } => entry.value !== undefined && entry.value.length >= 4);
}

/** `text` with every secret value in it masked. */
function masked(text: string, secrets: readonly { value: string }[]): string {
  return secrets.reduce((out, secret) => out.split(secret.value).join('<secret>'), text);
}

/** A problem's value with secrets masked, kept only where it cannot be one. */
function redacted(problem: ConfigProblem, secrets: readonly { value: string }[]): ConfigProblem {
  const value = typeof problem.value === 'string' ? masked(problem.value, secrets) : problem.value;
  // A reason quotes a value the user gave (`lists "x" twice`); a chat id may equal a bound it states.
  const words = secrets.filter((secret) => !/^-?\d+$/.test(secret.value));
  return { ...problem, value, reason: masked(problem.reason, words) };
}

/**
 * Why the JSON in `name` does not parse, without quoting it (Node's message quotes the text, and
 * the text may hold a secret).
 */
function jsonProblem(name: string, text: string): ConfigProblem | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    const at = position === undefined ? '' : ` at character ${Number(position) + 1}`;
    return { field: name, reason: `is not valid JSON${at} (its content is not shown)` };
  }
}

/**
 * The setting each problem is about, traced to where the user gave it: the named variable, then
 * `MONITORING_CONFIG`, then the context (the same precedence as the values).
 */
class Origins {
  private readonly origins = new Map<string, ConfigSource>();

  record(path: string, source: ConfigSource): void {
    this.origins.set(path, source);
  }

  /** The source of `field` or of the nearest enclosing path given (a list, a section). */
  of(field: string): ConfigSource | undefined {
    for (let path = field; ;) {
      const source = this.origins.get(path);
      if (source !== undefined) return source;
      const enclosing = path.replace(/(\.[^.[\]]+|\[\d+\])$/, '');
      if (enclosing === path) return undefined;
      path = enclosing;
    }
  }
}

/**
 * Builds the raw configuration from context and environment, then validates it; `checks` add
 * problems only the layers above can see (the rules' windows against the scrape interval). Throws
 * `ConfigError` with every problem, each traced to where the user set it.
 */
export function loadMonitoringConfig(
  env: NodeJS.ProcessEnv,
  context?: unknown,
  checks: readonly ((config: MonitoringConfig) => ConfigProblem[])[] = [],
): MonitoringConfig {
  const reader = new ConfigReader();
  const origins = new Origins();
  const secrets = secretValues(env);
  let raw: Record<string, unknown> = {};
  const merge = (document: unknown, source: ConfigSource) => {
    raw = mergeDeep(raw, document as Record<string, unknown>);
    // Each leaf and every section above it: a problem may be about a whole list or section.
    for (const leaf of leaves(document, '', new Map()).keys()) {
      for (let path = leaf; path !== ''; path = path.replace(/(\.?[^.[\]]+|\[\d+\])$/, ''))
        origins.record(path, source);
    }
  };
  if (context !== undefined) {
    if (!isPlainObject(context)) reader.problem('context.monitoring', undefined, 'is not an object of settings');
    else merge(context, { document: 'the cdktf context "monitoring"' });
  }
  const json = given(env, 'MONITORING_CONFIG');
  if (json !== undefined) {
    const problem = jsonProblem('MONITORING_CONFIG', json);
    if (problem) reader.problem(problem.field, undefined, problem.reason);
    else if (!isPlainObject(JSON.parse(json)))
      reader.problem('MONITORING_CONFIG', undefined, 'is not a JSON object of settings');
    else merge(JSON.parse(json), { document: 'MONITORING_CONFIG' });
  }
  reader.done();
  for (const [name, field] of Object.entries(ENV_FIELDS)) {
    const value = given(env, name);
    if (value === undefined) continue;
    setPath(raw, field, value);
    origins.record(field, { variable: name });
  }
  const problems = [...carriageReturns(env), ...secretProblems(env), ...secretsAsSettings(raw, secrets)];
  let config: MonitoringConfig | undefined;
  try {
    config = parseMonitoringConfig(raw as RawMonitoringConfig);
    for (const check of checks) problems.push(...check(config));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    problems.push(...error.problems);
  }
  if (problems.length > 0 || !config) {
    throw new ConfigError(
      problems.map((problem) => redacted({ source: origins.of(problem.field), ...problem }, secrets)),
    );
  }
  return config;
}

/**
 * A setting that holds a secret's value: it would be written into the synthesized files. Refused,
 * naming the setting and the secret, never the value.
 */
function secretsAsSettings(
  raw: Record<string, unknown>,
  secrets: readonly { name: string; value: string }[],
): ConfigProblem[] {
  return [...leaves(raw, '', new Map())].flatMap(([path, value]) => {
    const secret = typeof value === 'string' ? secrets.find((s) => value.includes(s.value)) : undefined;
    return secret
      ? [
          {
            field: path,
            reason: `holds the value of ${secret.name}: a secret is never a setting (it would be written into the synthesized files)`,
          },
        ]
      : [];
  });
}

/** Prefixes of this project's variables: an unknown one with these is a typo, not another program's. */
const OWN_PREFIXES = [
  'MONITORING_',
  'PROMETHEUS_',
  'ALERTMANAGER_',
  'GRAFANA_',
  'TELEGRAM_',
  'CELERY_',
  'STATE_',
  'K8S_',
  'REMOTE_WRITE_',
  'RUNBOOK_',
  'ALERTING_',
  'QUIET_HOURS_',
];
/** Prefixes other programs share (Docker's CLI, the application's compose file, API keys): warned about only when close to one of ours. */
const SHARED_PREFIXES = ['DOCKER_', 'POSTGRES_', 'REDIS_', 'API_'];

/**
 * Warnings about variables that look like this project's but are not read (a typo deploys the
 * default silently), each with the closest known name.
 */
export function unknownVariables(env: NodeJS.ProcessEnv): string[] {
  const known = [...Object.keys(ENV_FIELDS), 'MONITORING_CONFIG', ...ALL_SECRETS.map((secret) => secret.env)];
  return Object.keys(env)
    .filter((name) => !known.includes(name))
    .flatMap((name) => {
      const guess = closest(name, known);
      const ours = OWN_PREFIXES.some((prefix) => name.startsWith(prefix));
      // A typo in the prefix itself (PROMETHUES_RETENTION) is close to a name of ours whatever its prefix.
      const near =
        guess !== undefined &&
        (SHARED_PREFIXES.some((prefix) => name.startsWith(prefix)) || closest(name, known, 2) !== undefined);
      if (!ours && !near) return [];
      return [`${name} is not a setting of this project and is ignored${guess ? `: did you mean ${guess}?` : ''}`];
    })
    .sort();
}
