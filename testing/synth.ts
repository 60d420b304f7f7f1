/**
 * Synthesizes the stack in-process (no CLI: seconds faster) into a temporary directory and gives
 * back the Terraform JSON, for tests that assert on resources.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp, synthesize } from '../main';
import { loadMonitoringConfig } from '../config/load';
import { MonitoringConfig } from '../config/monitoring-config';
import { MonitoringStackProps } from '../targets/shared/stack-props';
import { Duration } from '../core/duration';
import { METRICS, eq, select } from '../domain/metrics';
import { RuleGroup, alert, t } from '../domain/rules';

/** The parts of cdk.tf.json tests read; blocks are keyed by type, then by logical id. */
export interface TerraformJson {
  terraform: { required_providers: Record<string, { source: string; version?: string }>; backend?: unknown };
  provider: Record<string, Record<string, unknown>[]>;
  variable: Record<string, Record<string, unknown>>;
  output?: Record<string, Record<string, unknown>>;
  locals?: Record<string, unknown>;
  data: Record<string, Record<string, Record<string, unknown>>>;
  resource: Record<string, Record<string, Record<string, any>>>;
}

export interface Synthesized {
  json: TerraformJson;
  /** Every file cdktf wrote, concatenated: what a secret must never appear in. */
  allOutput: string;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function readSynthesized(outdir: string, stackName: string): Synthesized {
  const json = JSON.parse(readFileSync(join(outdir, 'stacks', stackName, 'cdk.tf.json'), 'utf8')) as TerraformJson;
  const allOutput = filesUnder(outdir)
    .map((file) => readFileSync(file, 'utf8'))
    .join('\n');
  return { json, allOutput };
}

function inTempOutdir(stackName: string, synth: (outdir: string) => void): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'stm-synth-'));
  try {
    synth(outdir);
    return readSynthesized(outdir, stackName);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** One small rule group for the stacks' seams: snapshots that do not move when the real rules change. */
export const SAMPLE_RULE_GROUPS: readonly RuleGroup[] = [
  {
    name: 'api',
    rules: [
      alert({
        name: 'ApiDown',
        expr: eq(select(METRICS.scrape.up, { job: 'api' }), 0),
        for: Duration.minutes(1),
        severity: 'critical',
        panel: { dashboard: 'overview', title: 'API status' },
        summary: t`API down`,
        description: t`The API cannot be scraped.`,
      }),
    ],
  },
];

/** The compose network of Stock Tracker started from a directory named `stock-tracker`, for tests that synthesize. */
export const APP_NETWORK = 'stock-tracker_stock-tracker-network';

/** `config` as main.ts completes it before building: on the application's network (here `APP_NETWORK`). */
export function onAppNetwork(config: MonitoringConfig): MonitoringConfig {
  return { ...config, dockerNetwork: config.dockerNetwork ?? APP_NETWORK };
}

/** The environment variable that names the network, for `synthFromEnvironment` without a Docker daemon. */
export const APP_NETWORK_ENV = { MONITORING_DOCKER_NETWORK: APP_NETWORK } as const;

/** The stack for `config`, with the seams' output replaced where `props` says so. */
export function synthStack(config: MonitoringConfig, props: Omit<MonitoringStackProps, 'config'> = {}): Synthesized {
  return inTempOutdir(config.stackName, (outdir) => buildApp(config, { outdir, stackTraces: false }, props).synth());
}

/**
 * What `cdktf synth` does with `env`: load and validate the configuration, find the network, then
 * synthesize; with `props`, a seam's output replaced.
 */
export async function synthFromEnvironment(
  env: NodeJS.ProcessEnv,
  props?: Omit<MonitoringStackProps, 'config'>,
): Promise<Synthesized> {
  const config = loadMonitoringConfig(env);
  const outdir = mkdtempSync(join(tmpdir(), 'stm-synth-'));
  try {
    await synthesize(env, { outdir, stackTraces: false }, props);
    return readSynthesized(outdir, config.stackName);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

/** Resources of one type, as a list. */
export function resourcesOf(json: TerraformJson, type: string): Record<string, any>[] {
  return Object.values(json.resource[type] ?? {});
}

/** The container named `name` (the Docker name, e.g. `stock-tracker-prometheus`). */
export function containerNamed(json: TerraformJson, name: string): Record<string, any> {
  const container = resourcesOf(json, 'docker_container').find((c) => c.name === name);
  if (!container) throw new Error(`no docker_container named ${name}`);
  return container;
}

/** Resolves a `${docker_image.<id>.image_id}` reference to the image resource. */
export function imageOf(json: TerraformJson, container: Record<string, any>): Record<string, any> {
  const id = /^\$\{docker_image\.([^.]+)\.image_id\}$/.exec(container.image)?.[1];
  const image = id ? json.resource.docker_image?.[id] : undefined;
  if (!image) throw new Error(`container ${container.name} does not use a docker_image resource: ${container.image}`);
  return image;
}
