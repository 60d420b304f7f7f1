/**
 * `npm run backup` and `npm run restore` as operators call them: help, usage errors (exit 2, the
 * usage shown), the Kubernetes target refused, a restore that only says what it would replace
 * without --yes, and Grafana's database copied while Grafana is stopped and put back byte for byte.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Command, Dependencies, USAGE, main } from '../tools/backup/main';
import { DirectoryStore } from '../tools/backup/directory-store';
import { capturedIo } from '../testing/captured-io';

async function cli(
  command: Command,
  argv: string[],
  env: NodeJS.ProcessEnv = {},
  deps: Dependencies = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const output = capturedIo();
  const code = await main(command, argv, env, output.io, {}, deps);
  return { code, stdout: output.stdout(), stderr: output.stderr() };
}

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'stm-backup-cli-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('usage', () => {
  test.each(['backup', 'restore'] as const)('npm run %s -- --help answers with its usage, exit 0', async (command) => {
    const { code, stdout } = await cli(command, ['--help']);
    expect(code).toBe(0);
    expect(stdout).toBe(`${USAGE[command]}\n`);
    expect(stdout).toContain(`Usage: npm run ${command} --`);
  });

  test.each([
    ['backup', ['--skip', 'loki'], '--skip "loki" is not one of prometheus, alertmanager, grafana'],
    ['backup', ['--skip', 'prometheus,alertmanager,grafana'], '--skip leaves nothing to backup'],
    ['backup', ['--yes'], '--yes is not an option of backup'],
    ['backup', ['--timeout', 'soon'], '--timeout "soon" is not a whole number of milliseconds'],
    ['restore', [], 'name the archive to restore'],
    ['restore', ['a.tar.gz', 'b.tar.gz'], 'name one archive'],
    ['restore', ['a.tar.gz', '--output-dir', 'x'], '--output-dir is not an option of restore'],
    ['restore', ['/nonexistent/backup.tar.gz', '--yes'], '/nonexistent/backup.tar.gz: no such file'],
  ] as const)('%s %j: exit 2, says why and shows the usage', async (command, argv, why) => {
    const { code, stderr } = await cli(command, [...argv]);
    expect(code).toBe(2);
    expect(stderr).toContain(why);
    expect(stderr).toContain(USAGE[command]);
  });

  test('a bad setting is named as npm run check names it: exit 2', async () => {
    const { code, stderr } = await cli('backup', [], { PROMETHEUS_DISK_BUDGET: 'lots' });
    expect(code).toBe(2);
    expect(stderr).toContain('PROMETHEUS_DISK_BUDGET (setting prometheus.diskBudget): "lots" is not a size');
  });

  test('an ssh:// Docker host cannot be reached from here: exit 2, run it on the host', async () => {
    const { code, stderr } = await cli('backup', [], { DOCKER_HOST: 'ssh://ops@docker-host' });
    expect(code).toBe(2);
    expect(stderr).toContain(
      'backup reaches the Docker daemon over unix:// or tcp://, not ssh://: run it on the Docker host',
    );
  });

  test('the Kubernetes target has no volumes to copy: exit 2, pointing at volume snapshots', async () => {
    const { code, stderr } = await cli('backup', [], { MONITORING_TARGET: 'kubernetes' });
    expect(code).toBe(2);
    expect(stderr).toContain('on Kubernetes (target kubernetes) snapshot the PersistentVolumes instead');
  });
});

describe('archives that are not ours', () => {
  test.each([
    ['not a gzip file', (file: string) => writeFileSync(file, 'hello'), /restore failed: tar .* failed/],
    [
      'a tar.gz without a manifest',
      (file: string) => {
        const dir = tempDir();
        writeFileSync(join(dir, 'notes.txt'), 'hello');
        spawnSync('tar', ['-czf', file, '-C', dir, 'notes.txt']);
      },
      /restore failed: .*backup\.tar\.gz holds no readable manifest\.json: it is not an archive of npm run backup/,
    ],
  ])('%s: exit 1, nothing replaced', async (_, make, message) => {
    const file = join(tempDir(), 'backup.tar.gz');
    make(file);
    const { code, stderr } = await cli('restore', [file, '--yes'], {}, { store: () => new DirectoryStore({}) });
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
  });
});

describe("Grafana's database, through a directory store", () => {
  test('is copied while Grafana is stopped, and put back byte for byte; without --yes nothing is replaced', async () => {
    const grafana = join(tempDir(), 'grafana');
    mkdirSync(grafana);
    const database = Buffer.from('SQLite format 3\0 dashboards, users, folders');
    writeFileSync(join(grafana, 'grafana.db'), database);
    const events: string[] = [];
    const store = new DirectoryStore({
      grafana: {
        dir: grafana,
        stop: async () => void events.push('stop'),
        start: async () => void events.push('start'),
      },
    });
    const original = store.copyOut.bind(store);
    store.copyOut = async (...args) => {
      events.push('copy');
      return original(...args);
    };
    const deps = { store: () => store };
    const output = tempDir();

    const backup = await cli('backup', ['--output-dir', output, '--skip', 'prometheus,alertmanager'], {}, deps);
    expect(backup.code).toBe(0);
    expect(events).toEqual(['stop', 'copy', 'start']);
    expect(backup.stdout).toMatch(
      /^backup written: .*stock-tracker-monitoring-\d{8}T\d{6}Z\.tar\.gz \(\d+ bytes\)\n {2}grafana {7}grafana\.db\n$/,
    );
    const [archive] = readdirSync(output);

    writeFileSync(join(grafana, 'grafana.db'), 'written after the backup');
    writeFileSync(join(grafana, 'grafana.db-journal'), 'left over');
    const dryRun = await cli('restore', [join(output, archive)], {}, deps);
    expect(dryRun.code).toBe(2);
    expect(dryRun.stdout).toContain(`It would replace:\n  directory ${grafana}`);
    expect(dryRun.stderr).toContain('nothing restored: add --yes');
    expect(readFileSync(join(grafana, 'grafana.db'), 'utf8')).toBe('written after the backup');

    const restored = await cli('restore', [join(output, archive), '--yes'], {}, deps);
    expect(restored).toMatchObject({ code: 0 });
    expect(readdirSync(grafana)).toEqual(['grafana.db']);
    expect(readFileSync(join(grafana, 'grafana.db'))).toEqual(database);
  });
});
