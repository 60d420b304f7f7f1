/**
 * Entry point of `cdktf synth` / `cdktf deploy`: reads the configuration (environment and cdktf
 * context), validates it before any resource exists, and builds the app. A bad value stops here
 * with a message naming the field and the value, and nothing is written.
 */
import { App, AppConfig, CONTEXT_ENV } from 'cdktf';
import { ConfigError } from './config/errors';
import { loadMonitoringConfig } from './config/load';
import { MonitoringConfig } from './config/monitoring-config';
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

/**
 * The `monitoring` context key as the App will see it (cdktf.json or `--context`, which the CLI
 * passes in CDKTF_CONTEXT_JSON), read without creating an App, which would create the output dir.
 */
function monitoringContext(env: NodeJS.ProcessEnv, appConfig?: AppConfig): unknown {
  const fromCli = env[CONTEXT_ENV] ? JSON.parse(env[CONTEXT_ENV] as string) : {};
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

/** Loads config from `env` and the app's context, then synthesizes. Throws `ConfigError` before writing anything. */
export async function synthesize(env: NodeJS.ProcessEnv, appConfig?: AppConfig): Promise<App> {
  const config = await withApplicationNetwork(loadMonitoringConfig(env, monitoringContext(env, appConfig)));
  const app = buildApp(config, appConfig);
  app.synth();
  return app;
}

if (require.main === module) {
  synthesize(process.env).catch((error: unknown) => {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
    process.exit(1);
  });
}
