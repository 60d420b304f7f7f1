/**
 * `npm run backup` and `npm run restore` with the real Prometheus and Alertmanager on loopback:
 * samples and silences (an expired one too) are written, backed up, wiped, restored, and the same
 * samples and the same silences, ids and times included, are back. The CLI runs as operators run
 * it, with the data in the programs' own data directories (DirectoryStore) instead of Docker
 * volumes (DockerStore, the one part these tests do not run).
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PrometheusApi } from '../clients/prometheus';
import { AlertmanagerApi, Silence } from '../clients/alertmanager';
import { Command, Dependencies, main } from '../tools/backup/main';
import { DirectoryStore } from '../tools/backup/directory-store';
import { LoopbackStack, loopbackBinaries } from '../testing/loopback-stack';
import { ProcessGroup, describeWithBinaries, waitFor } from '../testing/processes';
import { capturedIo } from '../testing/captured-io';

const run = promisify(execFile);

/** Runs the CLI as `npm run <command> -- <argv>` would, against `config`; returns its exit code and output. */
async function cli(
  command: Command,
  argv: string[],
  config: Record<string, unknown>,
  deps: Dependencies,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = capturedIo();
  const code = await main(command, argv, { MONITORING_CONFIG: JSON.stringify(config) }, output.io, {}, deps);
  return { code, stdout: output.stdout(), stderr: output.stderr() };
}

/** The configuration that points the CLI at the loopback stack's published ports. */
function stackConfig(stack: LoopbackStack): Record<string, unknown> {
  const ports = (['prometheus', 'alertmanager'] as const)
    .filter((component) => stack.has(component))
    .map((component) => [component, { port: Number(stack.address(component).split(':')[1]) }]);
  return { prometheus: { adminApi: true }, components: Object.fromEntries(ports) };
}

/** The loopback stack's data directories, stopped and started through the stack. */
function loopbackStore(stack: LoopbackStack): Dependencies {
  const of = (component: 'prometheus' | 'alertmanager') => ({
    dir: stack.dataDir(component),
    stop: () => stack.stopComponent(component),
    start: () => stack.startComponent(component),
  });
  return {
    store: () => new DirectoryStore({ prometheus: of('prometheus'), alertmanager: of('alertmanager') }),
    alertmanagerSnapshotInterval: stack.alertmanagerSnapshotInterval,
  };
}

interface RawSample {
  metric: Record<string, string>;
  values: [number, string][];
}

/** Every raw sample of Prometheus' own `up` and `prometheus_tsdb_head_series` within 10 minutes before `at`. */
async function samples(prometheus: PrometheusApi, at: number): Promise<RawSample[]> {
  const query = encodeURIComponent('{job="prometheus", __name__=~"up|prometheus_tsdb_head_series"}[10m]');
  const { result } = await prometheus.data<{ result: RawSample[] }>(`/api/v1/query?query=${query}&time=${at / 1000}`);
  return result.sort((a, b) => a.metric.__name__.localeCompare(b.metric.__name__));
}

/** Every silence, in id order, as Alertmanager's API shows it. */
async function silences(alertmanager: AlertmanagerApi): Promise<Silence[]> {
  return (await alertmanager.silences()).sort((a, b) => a.id.localeCompare(b.id));
}

async function amtool(stack: LoopbackStack, args: string[]): Promise<string> {
  const { stdout } = await run('amtool', [`--alertmanager.url=${stack.url('alertmanager')}`, ...args], {
    timeout: 10_000,
  });
  return stdout.trim();
}

describeWithBinaries(
  'backup and restore with the real Prometheus and Alertmanager',
  [...loopbackBinaries(['alertmanager', 'prometheus']), 'amtool'],
  () => {
    const processes = new ProcessGroup();
    let stack: LoopbackStack | undefined;
    afterEach(async () => {
      await stack?.stop();
      stack = undefined;
    });
    afterAll(() => processes.stopAll());

    test('the same samples and silences are back after a backup, a wipe and a restore', async () => {
      stack = await LoopbackStack.start({
        components: ['alertmanager', 'prometheus'],
        config: { prometheus: { adminApi: true } },
      });
      const prometheus = new PrometheusApi(stack.url('prometheus'));
      const alertmanager = new AlertmanagerApi(stack.url('alertmanager'));
      const deps = loopbackStore(stack);
      const config = stackConfig(stack);

      // Written: a few minutes' worth of scrapes (the drill profile scrapes every 1.5 s), an active and an expired silence.
      await waitFor(
        'ten scrapes of Prometheus itself',
        async () => ((await prometheus.value('count_over_time(up{job="prometheus"}[10m])')) ?? 0) >= 10,
        30_000,
        500,
      );
      await amtool(stack, [
        'silence',
        'add',
        'alertname=DiskFillingUp',
        'instance=node-1:9100',
        '--comment=disk migration',
        '--author=ops',
        '--duration=2h',
      ]);
      const expired = await amtool(stack, [
        'silence',
        'add',
        'alertname=HighCPUUsage',
        '--comment=load test',
        '--author=ops',
        '--duration=1h',
      ]);
      await amtool(stack, ['silence', 'expire', expired]);
      const before = { silences: await silences(alertmanager), at: Date.now() };
      const beforeSamples = await samples(prometheus, before.at);
      expect(before.silences.map((silence) => silence.status.state).sort()).toEqual(['active', 'expired']);
      expect(beforeSamples.flatMap((series) => series.values).length).toBeGreaterThanOrEqual(20);

      const output = processes.tempDir('stm-backups-');
      const backup = await cli('backup', ['--output-dir', output, '--skip', 'grafana', '--json'], config, deps);
      expect(backup).toMatchObject({ code: 0 });
      const { archive } = JSON.parse(backup.stdout) as { archive: string };
      expect(readdirSync(output)).toEqual([archive.split('/').pop()]);
      expect(archive).toMatch(/stock-tracker-monitoring-\d{8}T\d{6}Z\.tar\.gz$/);
      // Grafana's database is inside: the archive is its owner's only.
      expect(statSync(archive).mode & 0o777).toBe(0o600);
      const entries = spawnSync('tar', ['-tzf', archive]).stdout.toString().split('\n');
      expect(entries).toEqual(expect.arrayContaining(['manifest.json', 'alertmanager/silences', 'alertmanager/nflog']));
      expect(entries.some((entry) => /^prometheus\/[0-9A-Z]{26}\/meta\.json$/.test(entry))).toBe(true);
      // The snapshot is removed once copied: it would hold every block past its retention.
      expect(readdirSync(join(stack.dataDir('prometheus'), 'snapshots'))).toEqual([]);

      // Wiped: both start again on empty data directories.
      for (const component of ['prometheus', 'alertmanager'] as const) {
        await stack.stopComponent(component);
        rmSync(stack.dataDir(component), { recursive: true, force: true });
        mkdirSync(stack.dataDir(component));
        await stack.startComponent(component);
      }
      expect(await silences(alertmanager)).toEqual([]);
      expect(await samples(prometheus, before.at)).toEqual([]);

      const restored = await cli('restore', [archive, '--yes'], config, deps);
      expect(restored).toMatchObject({ code: 0 });
      expect(restored.stdout).toContain('restored prometheus, alertmanager from');
      expect(restored.stdout).toContain('2 silences (1 active, 1 expired) and the notification log');
      expect(await silences(alertmanager)).toEqual(before.silences);
      expect(await samples(prometheus, before.at)).toEqual(beforeSamples);
    }, 180_000);

    test('without the admin API the backup fails, says which setting turns it on, and writes nothing', async () => {
      stack = await LoopbackStack.start({ components: ['prometheus'] });
      const output = processes.tempDir('stm-backups-');
      const backup = await cli(
        'backup',
        ['--output-dir', output, '--skip', 'alertmanager,grafana'],
        { ...stackConfig(stack), prometheus: { adminApi: false } },
        loopbackStore(stack),
      );
      expect(backup.code).toBe(1);
      expect(backup.stderr).toContain("backup failed: Prometheus' admin API is off: set PROMETHEUS_ADMIN_API=true");
      expect(existsSync(output) ? readdirSync(output) : []).toEqual([]);
    }, 60_000);
  },
);
