/**
 * The restore drill of the guide on the deployed containers: `npm run backup` and `npm run restore`
 * (tools/backup/main.ts, run in-process with the deployment's environment, as an operator runs them
 * on the Docker host) against the harness's engine, through the Docker store: a silence and a stored
 * sample are backed up, the host "dies" (containers and data volumes removed, deployed again on fresh
 * volumes), the archive is restored, and the same sample and silence must be back. Grafana has no
 * program here, so its container is not run and its part is skipped (said in the output).
 */
import { spawn } from 'node:child_process';
import { AlertmanagerApi, Silence } from '../../clients/alertmanager';
import { DockerEngine } from '../../clients/docker';
import { PrometheusApi, Sample } from '../../clients/prometheus';
import { JOB } from '../../core/components';
import { METRICS, select } from '../../domain/metrics';
import { dataVolumeName } from '../../targets/docker/monitored-container';
import { BackupManifest } from '../../tools/backup/backup';
import { Command, DEFAULT_TIMEOUT_MS, main } from '../../tools/backup/main';
import { BACKUP_COMPONENTS, BackupComponent } from '../../tools/backup/store';
import { waitFor } from '../../testing/processes';
import { capturedIo } from '../../testing/captured-io';
import { Checklist, expectThat, seconds } from '../report';
import { Deployment } from './deployment';

/** The components whose containers run here, and so are backed up; Grafana's cannot run (no program). */
const DRILLED = ['prometheus', 'alertmanager'] as const;
const SKIPPED = BACKUP_COMPONENTS.filter((component) => !(DRILLED as readonly string[]).includes(component));
const SKIP = ['--skip', SKIPPED.join(',')];

/** How long Prometheus may take to hold its first sample of itself. */
const SAMPLE_WAIT_MS = 60_000;

/**
 * When Prometheus last scraped itself, at or before a time: the value is the sample's own
 * timestamp (seconds), so an equal answer after the restore is the same stored sample.
 */
const LAST_SAMPLE = `timestamp(${select(METRICS.scrape.up, { job: JOB.prometheus })})`;

/** What the silence is recognised by after the restore. */
function identity(silence: Silence): string {
  const matchers = silence.matchers.map(({ name, value, isRegex }) => ({ name, value, isRegex }));
  return JSON.stringify({
    id: silence.id,
    matchers,
    comment: silence.comment,
    startsAt: silence.startsAt,
    endsAt: silence.endsAt,
  });
}

/** Where `component`'s data volume is mounted in its container. */
async function dataMount(docker: DockerEngine, container: string): Promise<string> {
  const mount = (await docker.inspect(container))?.Mounts.find((m) => m.Name === dataVolumeName(container));
  if (!mount) throw new Error(`${container} has no volume ${dataVolumeName(container)}`);
  return mount.Destination;
}

/**
 * The numeric owner (`uid/gid`) of each entry of `component`'s data volume, the volume's root first,
 * as Docker's archive endpoint reads them (`tar --numeric-owner -tv`).
 */
async function volumeOwners(deployment: Deployment, component: BackupComponent): Promise<[string, string][]> {
  const docker = new DockerEngine(deployment.config.dockerHost, DEFAULT_TIMEOUT_MS);
  const container = deployment.containerName(component);
  const archive = await docker.readArchive(container, await dataMount(docker, container));
  const listing = await new Promise<string>((resolve, reject) => {
    const tar = spawn('tar', ['--numeric-owner', '-tvf', '-'], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    tar.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    tar.on('error', reject);
    tar.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`tar -t exited ${code}`))));
    archive.pipe(tar.stdin);
  });
  // `drwxr-xr-x 65534/65534 0 2026-11-30 18:00 prometheus/wal/`: mode, owner, size, date, time, name.
  return listing
    .trim()
    .split('\n')
    .map((line) => line.split(/\s+/))
    .map((fields) => [fields.slice(5).join(' '), fields[1]]);
}

/** Runs `npm run <command> -- <argv>` in-process with the deployment's environment; throws with its output unless it exits 0. */
async function runTool(deployment: Deployment, command: Command, argv: string[]): Promise<string> {
  const output = capturedIo();
  const code = await main(command, argv, deployment.env, output.io);
  expectThat(
    code === 0,
    `npm run ${command} -- ${argv.join(' ')} exited ${code}\n${output.stderr().trim()}\n${output.stdout().trim()}`,
  );
  return output.stdout();
}

/** What the backup half of the drill leaves for the restore half. */
export interface DrillBackup {
  archive: string;
  /** When the recognisable sample was read: the restored TSDB must answer the same at this time. */
  writtenAt: number;
  /** `LAST_SAMPLE` at `writtenAt`. */
  stored: Sample[];
  /** The silence as Alertmanager listed it once created. */
  silence: Silence;
}

/**
 * The backup half: a sample to recognise and a new silence, then `npm run backup` through the
 * engine into `outputDir`. Each step is a check; resolves to undefined when one failed. It waits for
 * Alertmanager's next rewrite of its files (up to its maintenance interval), so the harness runs it
 * alongside the fault drill, which it does not disturb (it reads volumes, snapshots the TSDB, and
 * its silence matches no alert).
 */
export async function backUpForDrill(
  deployment: Deployment,
  outputDir: string,
  checklist: Checklist,
): Promise<DrillBackup | undefined> {
  console.log(
    `Backup drill: ${SKIPPED.join(', ')} skipped (--skip): no Debian program, so the harness does not run its container`,
  );
  const prometheus = new PrometheusApi(deployment.url('prometheus'));
  const alertmanager = new AlertmanagerApi(deployment.url('alertmanager'));
  let writtenAt = 0;
  let stored: Sample[] = [];
  let silence: Silence | undefined;
  const ready = await checklist.check(
    'backup drill: Prometheus holds a sample to recognise, Alertmanager a new silence',
    async () => {
      // Read once Prometheus has scraped itself (a scrape interval after its start at most).
      stored = await waitFor(
        `${LAST_SAMPLE} to answer`,
        async () => {
          writtenAt = Date.now();
          const answer = await prometheus.query(LAST_SAMPLE, writtenAt);
          return answer.length === 1 && answer;
        },
        SAMPLE_WAIT_MS,
        1_000,
      );
      const id = await alertmanager.createSilence({
        matchers: [{ name: 'alertname', value: 'RestoreDrill', isRegex: false }],
        startsAt: new Date(writtenAt).toISOString(),
        endsAt: new Date(writtenAt + 7_200_000).toISOString(),
        createdBy: 'e2e-docker',
        comment: 'restore drill: must come back with the archive',
      });
      silence = (await alertmanager.silences()).find((candidate) => candidate.id === id);
      expectThat(silence !== undefined, `silence ${id} is not listed`);
      return `sample at ${new Date(Number(stored[0].value[1]) * 1000).toISOString()}; silence ${id}`;
    },
  );
  if (!ready || !silence) return undefined;
  let archive = '';
  const backedUp = await checklist.check(
    "npm run backup writes the archive from the containers' volumes through the engine",
    async () => {
      const stdout = await runTool(deployment, 'backup', ['--json', '--output-dir', outputDir, ...SKIP]);
      const result = JSON.parse(stdout) as { archive: string; bytes: number; manifest: BackupManifest };
      archive = result.archive;
      // A snapshot left in the volume would keep every block it hard-links past its retention.
      const left = (await volumeOwners(deployment, 'prometheus')).filter(([path]) => /\/snapshots\/./.test(path));
      expectThat(left.length === 0, `the snapshot is still in the volume: ${left.map(([path]) => path).join(', ')}`);
      return `${archive} (${result.bytes} bytes); snapshot ${result.manifest.prometheus?.snapshot} removed from the volume`;
    },
  );
  return backedUp ? { archive, writtenAt, stored, silence } : undefined;
}

/**
 * The restore half: the host dies (containers and data volumes removed, deployed again on fresh
 * volumes), `npm run restore` of the archive, then the same sample and silence must be back. Each
 * step is a check; a step whose premise failed is not run.
 */
export async function restoreForDrill(
  deployment: Deployment,
  backup: DrillBackup,
  checklist: Checklist,
): Promise<void> {
  const prometheus = new PrometheusApi(deployment.url('prometheus'));
  const alertmanager = new AlertmanagerApi(deployment.url('alertmanager'));
  const { archive, writtenAt, stored, silence } = backup;
  const wiped = await checklist.check(
    'the host dies: containers and data volumes removed, deployed again on fresh volumes; the sample and the silence are gone',
    async () => {
      const startedAt = Date.now();
      await deployment.redeployOnFreshVolumes(DRILLED);
      const sample = await prometheus.query(LAST_SAMPLE, writtenAt);
      expectThat(sample.length === 0, `the fresh Prometheus answers ${JSON.stringify(sample)}`);
      const silences = await alertmanager.silences();
      expectThat(!silences.some((candidate) => candidate.id === silence.id), `silence ${silence.id} is still there`);
      return `redeployed in ${seconds(Date.now() - startedAt)}`;
    },
  );
  if (!wiped) return;
  const restored = await checklist.check('npm run restore puts the archive back into the fresh volumes', async () => {
    const startedAt = Date.now();
    await runTool(deployment, 'restore', [archive, '--yes', ...SKIP]);
    return `restored in ${seconds(Date.now() - startedAt)}`;
  });
  if (!restored) return;
  await checklist.check(
    "after the restore every file of both volumes is owned by the volume's owner, the component's user",
    async () => {
      const owners = await Promise.all(
        DRILLED.map(async (component) => [component, await volumeOwners(deployment, component)] as const),
      );
      const wrong = owners.flatMap(([component, entries]) => {
        const [, rootOwner] = entries[0];
        return rootOwner === '0/0'
          ? [`${component}: the volume is root's`]
          : entries
              .filter(([, owner]) => owner !== rootOwner)
              .map(([path, owner]) => `${path}: ${owner}, not ${rootOwner}`);
      });
      expectThat(wrong.length === 0, wrong.join('\n'));
      return owners
        .map(([component, entries]) => `${component}: ${entries.length} entries of ${entries[0][1]}`)
        .join('; ');
    },
  );
  await checklist.check('after the restore Prometheus answers the same sample at its old timestamp', async () => {
    const sample = await prometheus.query(LAST_SAMPLE, writtenAt);
    expectThat(
      JSON.stringify(sample) === JSON.stringify(stored),
      `before: ${JSON.stringify(stored)}, after: ${JSON.stringify(sample)}`,
    );
    return `${LAST_SAMPLE} at ${new Date(writtenAt).toISOString()} = ${sample[0].value[1]}`;
  });
  await checklist.check(
    'after the restore Alertmanager holds the same silence: id, matchers, comment, times',
    async () => {
      const back = (await alertmanager.silences()).find((candidate) => candidate.id === silence.id);
      expectThat(
        back !== undefined && identity(back) === identity(silence),
        `before: ${identity(silence)}, after: ${back ? identity(back) : 'none'}`,
      );
      return `silence ${silence.id} ${back!.status.state}`;
    },
  );
}
