/**
 * What a backup holds and how each part is taken consistently, whatever the store (store.ts):
 *
 * - Prometheus: a TSDB snapshot through its admin API (`POST /api/v1/admin/tsdb/snapshot`: the
 *   head flushed into a block, every block hard-linked under `snapshots/<name>`), copied out and
 *   deleted. The snapshot is a data directory: restored, it is the whole TSDB.
 * - Alertmanager: its `silences` and `nflog` files, which it rewrites whole (a temporary file
 *   renamed over the old) at every maintenance (`--data.maintenance-interval`) and at shutdown.
 *   The files, not the v2 API: re-posting a silence gives it a new id and moves its start to now
 *   (alertmanager silence/silence.go `Set`), expired silences and the notification log have no API
 *   at all. The copy waits for a rewrite after the backup began, so it holds every silence set
 *   before; the silences the API listed then are recorded, and a restore checks they are back.
 * - Grafana: `grafana.db`, SQLite, copied while Grafana is stopped (seconds: Grafana is not on the
 *   alerting path), so no write is torn.
 *
 * The archive (`<prefix>-monitoring-<UTC time>.tar.gz`) holds `manifest.json` and one folder per
 * component; it is written under a temporary name and renamed whole, so a failed backup leaves no
 * archive behind.
 */
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { AlertmanagerApi, Silence } from '../../clients/alertmanager';
import { PrometheusApi } from '../../clients/prometheus';
import { Duration } from '../../core/duration';
import { BACKUP_COMPONENTS, BackupComponent, DataStore } from './store';
import { createArchive, extractArchive } from './tar';

/** The archive's format; a restore refuses any other. */
export const BACKUP_FORMAT = 1;
export const MANIFEST_FILE = 'manifest.json';

/** Alertmanager's state files, rewritten at each maintenance. */
export const ALERTMANAGER_STATE_FILES = ['silences', 'nflog'] as const;
export const GRAFANA_DATABASE = 'grafana.db';

/** What an archive says of itself. */
export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  /** RFC 3339, when the backup began. */
  createdAt: string;
  /** The stack's `namePrefix`: its containers and volumes. */
  namePrefix: string;
  prometheus?: { snapshot: string };
  /** The silences Alertmanager's API listed when the backup began (every one is in the files). */
  alertmanager?: { silences: { id: string; state: Silence['status']['state'] }[] };
  grafana?: { database: typeof GRAFANA_DATABASE };
}

/** How to reach the components' APIs, and how long to wait for them. */
export interface ComponentApis {
  prometheus: PrometheusApi;
  alertmanager: AlertmanagerApi;
  /**
   * Alertmanager's `--data.maintenance-interval`: a rewrite of its files is awaited up to this and
   * half a minute more.
   */
  alertmanagerSnapshotInterval: Duration;
  /** How long a restored component may take to answer again (Prometheus opens its blocks first). */
  readyLimit: Duration;
}

export interface BackupOptions {
  store: DataStore;
  apis: ComponentApis;
  components: readonly BackupComponent[];
  namePrefix: string;
  /** Directory the archive is written to (created if missing). */
  outputDir: string;
  /** Progress lines, for the operator. */
  progress: (line: string) => void;
}

export interface BackupResult {
  archive: string;
  manifest: BackupManifest;
  bytes: number;
}

/** `20261130T142501Z`: sorts by time, no characters a file system or a shell minds. */
function stamp(time: number): string {
  return new Date(time)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** Polls until `ready` holds, every second, at most `limit`; throws `why` otherwise. */
async function awaitCondition(ready: () => Promise<boolean>, limit: Duration, why: string): Promise<void> {
  const deadline = Date.now() + limit.millis;
  while (!(await ready())) {
    if (Date.now() > deadline) throw new Error(why);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
}

async function backUpPrometheus(options: BackupOptions, into: string): Promise<BackupManifest['prometheus']> {
  const { store, apis, progress } = options;
  const snapshot = await apis.prometheus.snapshot().catch((error: Error) => {
    throw /admin APIs disabled/.test(error.message)
      ? new Error(
          "Prometheus' admin API is off: set PROMETHEUS_ADMIN_API=true (prometheus.adminApi) and deploy, or leave Prometheus out (--skip prometheus)",
        )
      : error;
  });
  const path = `snapshots/${snapshot}`;
  try {
    progress(`prometheus: snapshot ${snapshot} taken, copying it out of ${store.describe('prometheus')}`);
    await store.copyOut('prometheus', path, into);
    renameSync(join(into, snapshot), join(into, 'prometheus'));
  } finally {
    // The snapshot hard-links every block: left behind, it would keep them on disk past their retention.
    await store.remove('prometheus', path);
  }
  return { snapshot };
}

async function backUpAlertmanager(options: BackupOptions, into: string): Promise<BackupManifest['alertmanager']> {
  const { store, apis, progress } = options;
  // Listed first: a rewrite finished after `before` was read began after the listing, so it holds every silence listed.
  const silences = await apis.alertmanager.silences();
  const before = await Promise.all(ALERTMANAGER_STATE_FILES.map((file) => store.modifiedAt('alertmanager', file)));
  const limit = apis.alertmanagerSnapshotInterval.plus(Duration.seconds(30));
  progress(`alertmanager: ${silences.length} silences listed; waiting for its next snapshot (at most ${limit})`);
  await awaitCondition(
    async () => {
      const now = await Promise.all(ALERTMANAGER_STATE_FILES.map((file) => store.modifiedAt('alertmanager', file)));
      return now.every((time, i) => time !== undefined && (before[i] === undefined || time > (before[i] as number)));
    },
    limit,
    `alertmanager: ${ALERTMANAGER_STATE_FILES.join(' and ')} in ${store.describe('alertmanager')} were not rewritten within ${limit}: is it running with --data.maintenance-interval=${apis.alertmanagerSnapshotInterval}?`,
  );
  const folder = join(into, 'alertmanager');
  mkdirSync(folder);
  for (const file of ALERTMANAGER_STATE_FILES) await store.copyOut('alertmanager', file, folder);
  return { silences: silences.map((silence) => ({ id: silence.id, state: silence.status.state })) };
}

async function backUpGrafana(options: BackupOptions, into: string): Promise<BackupManifest['grafana']> {
  const { store, progress } = options;
  const folder = join(into, 'grafana');
  mkdirSync(folder);
  progress(`grafana: stopping it to copy ${GRAFANA_DATABASE} from ${store.describe('grafana')}`);
  await store.whileStopped('grafana', () => store.copyOut('grafana', GRAFANA_DATABASE, folder));
  return { database: GRAFANA_DATABASE };
}

/** Backs up `components` into one new archive in `outputDir`; throws (and writes nothing) when a part fails. */
export async function backUp(options: BackupOptions): Promise<BackupResult> {
  const startedAt = Date.now();
  mkdirSync(options.outputDir, { recursive: true });
  // Beside the archive: the final rename stays on one file system.
  const staging = mkdtempSync(join(options.outputDir, '.backup-'));
  try {
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      createdAt: new Date(startedAt).toISOString(),
      namePrefix: options.namePrefix,
    };
    const wanted = (component: BackupComponent) => options.components.includes(component);
    if (wanted('prometheus')) manifest.prometheus = await backUpPrometheus(options, staging);
    if (wanted('alertmanager')) manifest.alertmanager = await backUpAlertmanager(options, staging);
    if (wanted('grafana')) manifest.grafana = await backUpGrafana(options, staging);
    writeFileSync(join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    const archive = join(options.outputDir, `${options.namePrefix}-monitoring-${stamp(startedAt)}.tar.gz`);
    const partial = join(staging, 'archive.tar.gz.partial');
    const entries = [MANIFEST_FILE, ...BACKUP_COMPONENTS.filter((component) => manifest[component])];
    await createArchive(staging, entries, partial);
    // Grafana's database holds password hashes, sessions and API keys: the archive is the owner's only.
    chmodSync(partial, 0o600);
    renameSync(partial, archive);
    return { archive, manifest, bytes: statSync(archive).size };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

export interface RestoreOptions {
  store: DataStore;
  apis: ComponentApis;
  archive: string;
  /** Components to restore: those of them the archive holds are. */
  components: readonly BackupComponent[];
  /** Scratch space for the unpacked archive. */
  workDir: string;
  progress: (line: string) => void;
}

/** Reads the manifest of an unpacked archive; throws naming the archive when it is not one of ours. */
function readManifest(dir: string, archive: string): BackupManifest {
  let manifest: BackupManifest;
  try {
    manifest = JSON.parse(readFileSync(join(dir, MANIFEST_FILE), 'utf8')) as BackupManifest;
  } catch {
    throw new Error(`${archive} holds no readable ${MANIFEST_FILE}: it is not an archive of npm run backup`);
  }
  if (manifest.format !== BACKUP_FORMAT)
    throw new Error(`${archive} is of format ${manifest.format}, this restore reads format ${BACKUP_FORMAT}`);
  return manifest;
}

/**
 * Unpacks `archive` (only its manifest with `manifestOnly`) into a new directory of `workDir`;
 * returns the directory, which the caller removes, and the manifest.
 */
export async function openArchive(
  archive: string,
  workDir: string,
  manifestOnly = false,
): Promise<{ dir: string; manifest: BackupManifest }> {
  const dir = mkdtempSync(join(workDir, '.restore-'));
  try {
    await extractArchive(archive, dir, manifestOnly ? [MANIFEST_FILE] : []);
    return { dir, manifest: readManifest(dir, archive) };
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Waits until the restored component answers: Prometheus' API once its TSDB is open, Alertmanager's. */
async function awaitAnswer(component: BackupComponent, apis: ComponentApis): Promise<void> {
  const asks: Partial<Record<BackupComponent, () => Promise<unknown>>> = {
    prometheus: () => apis.prometheus.runtimeInfo(),
    alertmanager: () => apis.alertmanager.silences(),
  };
  const ask = asks[component];
  if (!ask) return;
  await awaitCondition(
    () =>
      ask().then(
        () => true,
        () => false,
      ),
    apis.readyLimit,
    `${component} does not answer within ${apis.readyLimit} of its restore`,
  );
}

/** The silences of the manifest that Alertmanager does not list after the restore. */
async function missingSilences(apis: ComponentApis, manifest: BackupManifest): Promise<string[]> {
  const listed = new Set((await apis.alertmanager.silences()).map((silence) => silence.id));
  return (manifest.alertmanager?.silences ?? []).map((silence) => silence.id).filter((id) => !listed.has(id));
}

/**
 * Puts `components` of the archive back (those it holds; it must hold one): each component stopped, its data replaced by the
 * archive's, started again. Then checks: Prometheus and Alertmanager answer again, Alertmanager lists every silence
 * the backup recorded. Throws on the first failure.
 */
export async function restore(
  options: RestoreOptions,
): Promise<{ manifest: BackupManifest; components: BackupComponent[] }> {
  const { store, apis, progress } = options;
  const { dir, manifest } = await openArchive(options.archive, options.workDir);
  try {
    const held = readdirSync(dir);
    const components = options.components.filter((component) => manifest[component] && held.includes(component));
    if (components.length === 0) throw new Error(`${options.archive} holds none of ${options.components.join(', ')}`);
    for (const component of components) {
      progress(`${component}: stopping it and replacing ${store.describe(component)} with the archive's`);
      await store.whileStopped(component, () => store.replace(component, join(dir, component)));
      await awaitAnswer(component, apis);
    }
    if (components.includes('alertmanager')) {
      const missing = await missingSilences(apis, manifest);
      if (missing.length > 0) throw new Error(`alertmanager: silences ${missing.join(', ')} are not back`);
    }
    return { manifest, components };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
