/**
 * Entry point of `cdktf synth` / `cdktf deploy`: reads the configuration (environment and cdktf
 * context), validates it before any resource exists, and builds the app. A bad value stops here
 * with a message naming the variable or key the user set and the value (never a secret's), and no
 * stack is written. Under the cdktf CLI the problems and warnings go through cdktf's annotations,
 * which it prints once each; run directly, to stderr.
 */
import { Annotations, App, AppConfig, CONTEXT_ENV, TerraformStack } from 'cdktf';
import { ConfigError, describeProblem } from './config/errors';
import { loadMonitoringConfig, unknownVariables } from './config/load';
import { MonitoringConfig, isLoopback } from './config/monitoring-config';
import { ruleConfigProblems } from './domain/rules';
import { imageWarnings, uncheckedImages } from './config/image-requirements';
import { MonitoringStack } from './targets/docker/monitoring-stack';
import { MonitoringStackProps } from './targets/shared/stack-props';
import { KubernetesMonitoringStack } from './targets/kubernetes';
import { findApplicationNetwork } from './targets/docker/application-network';

/** The app with its one stack, for `config.target`; tests call this directly instead of going through the CLI. */
export function buildApp(
  config: MonitoringConfig,
  appConfig?: AppConfig,
  stackProps?: Omit<MonitoringStackProps, 'config'>,
): App {
  const app = new App(appConfig);
  const Stack = config.target === 'kubernetes' ? KubernetesMonitoringStack : MonitoringStack;
  new Stack(app, config.stackName, { config, ...stackProps });
  return app;
}

/** What a deploy should know but that does not stop it: ignored variables, components published without a login, images whose release cannot be checked or that a host may refuse, no dead man's switch. */
export function configWarnings(env: NodeJS.ProcessEnv, config: MonitoringConfig): string[] {
  const published =
    config.target === 'docker' && !isLoopback(config.bindAddress)
      ? [
          `Prometheus, Alertmanager and the exporters are published on ${config.bindAddress} without a login (publishWithoutAuth): anyone who reaches it reads every metric and can silence every alert`,
        ]
      : [];
  const unheard =
    config.alerting.watchdogHeartbeatUrl === undefined
      ? [
          "WATCHDOG_HEARTBEAT_URL (alerting.watchdogHeartbeatUrl) is not set: when Telegram stops taking the stack's messages, nothing outside Telegram hears of it (docs/MONITORING_GUIDE.md, dead man's switch)",
        ]
      : [];
  return [...unknownVariables(env), ...published, ...uncheckedImages(config), ...imageWarnings(config), ...unheard];
}

/** The CLI sets CDKTF_OUTDIR for the app it runs: its annotations are printed once each, stderr twice. */
function underCdktfCli(env: NodeJS.ProcessEnv): boolean {
  return env.CDKTF_OUTDIR !== undefined;
}

/**
 * Hands the problems to the cdktf CLI as error annotations of a stack named `invalid-configuration`:
 * the CLI prints each once and stops synth, diff and deploy with exit code 1. That stack holds no
 * resource, and no stack of the configuration is written.
 */
function reportThroughCdktf(error: ConfigError, warnings: readonly string[]): void {
  const app = new App({ stackTraces: false });
  const stack = new TerraformStack(app, 'invalid-configuration');
  for (const warning of warnings) Annotations.of(stack).addWarning(warning);
  for (const problem of error.problems) Annotations.of(stack).addError(describeProblem(problem));
  app.synth();
}

/**
 * The `monitoring` context key as the App will see it (cdktf.json or `--context`, which the CLI
 * passes in CDKTF_CONTEXT_JSON), read without creating an App, which would create the output dir.
 */
function monitoringContext(env: NodeJS.ProcessEnv, appConfig?: AppConfig): unknown {
  let fromCli: Record<string, unknown>;
  try {
    fromCli = env[CONTEXT_ENV] ? JSON.parse(env[CONTEXT_ENV] as string) : {};
  } catch {
    // Set by hand, not by the CLI: its content may hold anything, so it is not quoted.
    throw new ConfigError([{ field: CONTEXT_ENV, reason: 'is not valid JSON (its content is not shown)' }]);
  }
  return { ...appConfig?.context, ...fromCli }.monitoring;
}

/**
 * The configuration a Docker deploy runs with: `dockerNetwork` as given, or found from the
 * application's container on the Docker daemon (see targets/docker/application-network.ts).
 */
export async function withApplicationNetwork(config: MonitoringConfig): Promise<MonitoringConfig> {
  if (config.target !== 'docker' || config.dockerNetwork !== undefined) return config;
  return { ...config, dockerNetwork: await findApplicationNetwork(config.dockerHost, config.applicationContainer) };
}

/**
 * Loads config from `env` and the app's context (checked against what the rules need), then
 * synthesizes, with the warnings as annotations of the stack. Throws `ConfigError` before writing
 * anything. `stackProps` replace a seam's output (tests: Alertmanager pointed at a fake Telegram).
 */
export async function synthesize(
  env: NodeJS.ProcessEnv,
  appConfig?: AppConfig,
  stackProps?: Omit<MonitoringStackProps, 'config'>,
): Promise<App> {
  const loaded = loadMonitoringConfig(env, monitoringContext(env, appConfig), [ruleConfigProblems]);
  const config = await withApplicationNetwork(loaded);
  const app = buildApp(config, appConfig, stackProps);
  for (const warning of configWarnings(env, config)) {
    Annotations.of(app.node.findChild(config.stackName)).addWarning(warning);
    if (!underCdktfCli(env)) console.warn(`warning: ${warning}`);
  }
  app.synth();
  return app;
}

if (require.main === module) {
  synthesize(process.env).catch((error: unknown) => {
    if (!(error instanceof ConfigError)) throw error;
    // A misspelt variable often explains the error: its warning comes along.
    const warnings = unknownVariables(process.env);
    if (underCdktfCli(process.env)) {
      reportThroughCdktf(error, warnings);
    } else {
      for (const warning of warnings) console.warn(`warning: ${warning}`);
      console.error(error.message);
      process.exitCode = 1;
    }
  });
}
