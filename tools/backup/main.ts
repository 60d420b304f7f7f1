/**
 * `npm run backup` and `npm run restore`: one dated archive of Prometheus' TSDB (a snapshot),
 * Alertmanager's silences and notification log, and Grafana's database, taken from the deployed
 * Docker stack's volumes, and put back into them (backup.ts says how each part stays consistent).
 * They read the same configuration as the stack and `npm run check` (environment, MONITORING_CONFIG,
 * cdktf.json context): the containers and volumes follow `namePrefix`, the APIs the published
 * ports, the daemon `dockerHost`. Exit code: 0 done, 1 failed (a backup then writes no archive),
 * 2 usage or configuration error.
 */
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AlertmanagerApi } from '../../clients/alertmanager';
import { DockerEngine } from '../../clients/docker';
import { HttpClient } from '../../clients/http';
import { PrometheusApi } from '../../clients/prometheus';
import { loadMonitoringConfig } from '../../config/load';
import { MonitoringConfig, containerName, publishedUrl } from '../../config/monitoring-config';
import { Duration } from '../../core/duration';
import { ALERTMANAGER_SNAPSHOT_INTERVAL } from '../../targets/docker/alertmanager-container';
import { STATEFUL_STOP_GRACE_SECONDS } from '../../targets/docker/monitored-container';
import { EXIT, Io, UsageError, cdktfContext, runAsProgram, timeLimit, usageFailure } from '../cli';
import { BackupManifest, ComponentApis, backUp, openArchive, restore } from './backup';
import { DockerStore } from './docker-store';
import { BACKUP_COMPONENTS, BackupComponent, DataStore, isBackupComponent } from './store';

export type Command = 'backup' | 'restore';

/** Time limit of each request to Docker, Prometheus and Alertmanager, in ms. */
export const DEFAULT_TIMEOUT_MS = 30_000;
/** How long a restored component may take to answer again. */
const READY_LIMIT = Duration.minutes(2);
const COMPONENT_NAMES = BACKUP_COMPONENTS.join(', ');

const COMMON_OPTIONS = `  --skip <component>     leave a component out: ${COMPONENT_NAMES}; repeat or comma-separate
  --json                 print the result as JSON
  --timeout <ms>         time limit of each request to Docker and the components (default ${DEFAULT_TIMEOUT_MS})
  --help                 show this help`;

export const USAGE: Readonly<Record<Command, string>> = {
  backup: `Usage: npm run backup -- [options]

Writes one archive, <prefix>-monitoring-<UTC time>.tar.gz, holding a snapshot of Prometheus' TSDB
(through its admin API: PROMETHEUS_ADMIN_API=true), Alertmanager's silences and notification log
(once Alertmanager has rewritten them, within ${ALERTMANAGER_SNAPSHOT_INTERVAL}), and Grafana's database (Grafana is stopped for
the copy, a few seconds). Read from the stack's Docker volumes through the Docker daemon at
DOCKER_HOST; containers, volumes and ports come from the same configuration as the stack.

Options:
  --output-dir <dir>     where the archive goes (default backups)
${COMMON_OPTIONS}

Exit code: 0 when the archive is written, 1 when a part failed (no archive is written), 2 for a
usage or configuration error.`,
  restore: `Usage: npm run restore -- <archive> --yes [options]

Puts an archive of npm run backup back into the deployed stack's volumes: each component is
stopped, its volume emptied and filled with the archive's data, and started again; then Prometheus
and Alertmanager must answer, and Alertmanager list every silence the backup recorded. Everything
written since the backup is lost. Without --yes, says what it would replace and does nothing.

Options:
  --yes                  replace the volumes' data
${COMMON_OPTIONS}

Exit code: 0 when restored and checked, 1 when a part failed, 2 for a usage or configuration error
(without --yes too).`,
};

/** What the command line asked for. */
export interface CliOptions {
  json: boolean;
  timeoutMs: number;
  components: BackupComponent[];
  outputDir: string;
  archive?: string;
  yes: boolean;
}

/** The options of `npm run <command> -- <argv>`, or 'help'; throws `UsageError` naming what is wrong. */
export function parseCliArgs(command: Command, argv: string[]): CliOptions | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        json: { type: 'boolean', default: false },
        timeout: { type: 'string' },
        skip: { type: 'string', multiple: true },
        help: { type: 'boolean', default: false },
        'output-dir': { type: 'string' },
        yes: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: command === 'restore',
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  const other = command === 'backup' ? values.yes && '--yes' : values['output-dir'] !== undefined && '--output-dir';
  if (other) throw new UsageError(`${other} is not an option of ${command}`);
  const timeoutMs = values.timeout === undefined ? DEFAULT_TIMEOUT_MS : timeLimit(values.timeout);
  const skipped = (values.skip ?? []).flatMap((value) => value.split(',')).map((value) => value.trim().toLowerCase());
  const unknown = skipped.filter((name) => name !== '' && !isBackupComponent(name));
  if (unknown.length > 0) throw new UsageError(`--skip "${unknown.join(', ')}" is not one of ${COMPONENT_NAMES}`);
  const components = BACKUP_COMPONENTS.filter((component) => !skipped.includes(component));
  if (components.length === 0) throw new UsageError(`--skip leaves nothing to ${command}`);
  if (command === 'restore' && positionals.length !== 1)
    throw new UsageError(positionals.length === 0 ? 'name the archive to restore' : 'name one archive');
  return {
    json: values.json ?? false,
    timeoutMs,
    components,
    outputDir: values['output-dir'] ?? 'backups',
    archive: positionals[0],
    yes: Boolean(values.yes),
  };
}

/** What the CLI runs against; the tests give their loopback stack's. */
export interface Dependencies {
  /** The components' data. @default the stack's Docker volumes at `dockerHost` */
  store?: (config: MonitoringConfig, timeoutMs: number) => DataStore;
  /** @default `ALERTMANAGER_SNAPSHOT_INTERVAL`, as the stack runs Alertmanager */
  alertmanagerSnapshotInterval?: Duration;
}

function dockerStore(config: MonitoringConfig, timeoutMs: number): DataStore {
  return new DockerStore({
    docker: new DockerEngine(config.dockerHost, timeoutMs),
    containers: Object.fromEntries(
      BACKUP_COMPONENTS.map((component) => [component, containerName(config, component)]),
    ) as Record<BackupComponent, string>,
    stopGraceSeconds: STATEFUL_STOP_GRACE_SECONDS,
    helperWaitMs: timeoutMs,
  });
}

/** What each component of a manifest holds, one line each. */
export function describeManifest(manifest: BackupManifest): string[] {
  const silences = manifest.alertmanager?.silences ?? [];
  const byState = ['active', 'pending', 'expired']
    .map((state) => [state, silences.filter((silence) => silence.state === state).length] as const)
    .filter(([, count]) => count > 0)
    .map(([state, count]) => `${count} ${state}`);
  const lines: Record<BackupComponent, string | undefined> = {
    prometheus: manifest.prometheus && `TSDB snapshot ${manifest.prometheus.snapshot}`,
    alertmanager:
      manifest.alertmanager &&
      `${silences.length} silences${byState.length > 0 ? ` (${byState.join(', ')})` : ''} and the notification log`,
    grafana: manifest.grafana && manifest.grafana.database,
  };
  return BACKUP_COMPONENTS.flatMap((component) =>
    lines[component] ? [`  ${component.padEnd(13)} ${lines[component]}`] : [],
  );
}

/** Runs `npm run backup` or `npm run restore`; returns the exit code. */
export async function main(
  command: Command,
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: Io,
  context: unknown = cdktfContext(),
  deps: Dependencies = {},
): Promise<number> {
  let options: CliOptions | 'help';
  let config: MonitoringConfig;
  try {
    options = parseCliArgs(command, argv);
    if (options === 'help') {
      io.stdout.write(`${USAGE[command]}\n`);
      return EXIT.done;
    }
    config = loadMonitoringConfig(env, context);
    if (config.target !== 'docker')
      throw new UsageError(
        `${command} works on the Docker target's volumes; on Kubernetes (target ${config.target}) snapshot the PersistentVolumes instead (VolumeSnapshot, Velero)`,
      );
    if (command === 'restore' && !existsSync(resolve(options.archive as string)))
      throw new UsageError(`${options.archive}: no such file (name an archive npm run backup wrote)`);
    if (!deps.store && !/^(unix|tcp):\/\//.test(config.dockerHost))
      throw new UsageError(
        `${command} reaches the Docker daemon over unix:// or tcp://, not ${config.dockerHost.split('://')[0]}://: run it on the Docker host, with DOCKER_HOST at its socket`,
      );
  } catch (error) {
    return usageFailure(error, io, USAGE[command]);
  }
  const http = new HttpClient(options.timeoutMs);
  const apis: ComponentApis = {
    prometheus: new PrometheusApi(publishedUrl(config, 'prometheus'), http),
    alertmanager: new AlertmanagerApi(publishedUrl(config, 'alertmanager'), http),
    alertmanagerSnapshotInterval: deps.alertmanagerSnapshotInterval ?? ALERTMANAGER_SNAPSHOT_INTERVAL,
    readyLimit: READY_LIMIT,
  };
  const store = (deps.store ?? dockerStore)(config, options.timeoutMs);
  const progress = (line: string) => io.stderr.write(`${line}\n`);
  try {
    if (command === 'backup') {
      const result = await backUp({
        store,
        apis,
        components: options.components,
        namePrefix: config.namePrefix,
        outputDir: resolve(options.outputDir),
        progress,
      });
      io.stdout.write(
        options.json
          ? `${JSON.stringify(result, null, 2)}\n`
          : [
              `backup written: ${result.archive} (${result.bytes} bytes)`,
              ...describeManifest(result.manifest),
              '',
            ].join('\n'),
      );
      return EXIT.done;
    }
    const archive = resolve(options.archive as string);
    if (!options.yes) {
      const { dir, manifest } = await openArchive(archive, tmpdir(), true);
      rmSync(dir, { recursive: true, force: true });
      const replaced = options.components.filter((component) => manifest[component]);
      io.stdout.write(
        [
          `${archive}, taken ${manifest.createdAt} from the stack ${manifest.namePrefix}, holds:`,
          ...describeManifest(manifest),
          'It would replace:',
          ...replaced.map((component) => `  ${store.describe(component)}`),
          '',
        ].join('\n'),
      );
      io.stderr.write('nothing restored: add --yes to replace them (everything written since the backup is lost)\n');
      return EXIT.usage;
    }
    const { manifest, components } = await restore({
      store,
      apis,
      archive,
      components: options.components,
      workDir: tmpdir(),
      progress,
    });
    io.stdout.write(
      options.json
        ? `${JSON.stringify({ archive, restored: components, manifest }, null, 2)}\n`
        : [
            `restored ${components.join(', ')} from ${archive} (taken ${manifest.createdAt}):`,
            ...describeManifest(manifest).filter((line) =>
              components.some((component) => line.startsWith(`  ${component} `)),
            ),
            '',
          ].join('\n'),
    );
    return EXIT.done;
  } catch (error) {
    io.stderr.write(`${command} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
}

if (require.main === module) {
  const [command, ...argv] = process.argv.slice(2);
  if (command !== 'backup' && command !== 'restore') {
    console.error('tools/backup/main.ts runs as `npm run backup` or `npm run restore`');
    process.exitCode = EXIT.usage;
  } else {
    runAsProgram((_argv, env, io) => main(command, argv, env, { ...io, color: false }));
  }
}
