/**
 * A Docker engine of the harness's own: Debian's `dockerd` with its socket, data root, exec root
 * and pid file in one temporary folder and the `vfs` storage driver (../shared/NOTES.md), stopped
 * by its pid file and its folder removed at the end whatever happened.
 *
 * The engine changes the network and mount namespaces it runs in (bridges, iptables rules, mounts
 * for containers), so it never runs in the machine's own: `npm run e2e:docker` runs itself again
 * in new mount and network namespaces first (`runInPrivateNamespaces`), where `/` is made a shared
 * mount, as systemd makes it at boot (node-exporter binds the host's root with `rslave`, which
 * Docker refuses on a private mount), and the engine shares that namespace with the harness, so
 * published ports are on the harness's loopback and "the host's network" is the harness's.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, readlinkSync, rmSync, statSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerApi } from './engine-api';
import { sleep, waitFor } from '../processes';

/**
 * Set in the environment of the command run again in new namespaces: the mount and network
 * namespaces it was started from, which it must differ from.
 */
const NAMESPACES_MARK = 'STM_DOCKER_STARTED_IN_NAMESPACES';

/** The programs the engine needs (Debian: docker.io, containerd, runc, iptables) and `unshare` (util-linux). */
export const ENGINE_BINARIES = ['dockerd', 'containerd', 'runc', 'iptables', 'unshare', 'ip'] as const;

/** How long the engine may take to answer after its start, and to exit after SIGTERM. */
const ENGINE_START_TIMEOUT_MS = 60_000;
const ENGINE_STOP_TIMEOUT_MS = 30_000;

/** This process's mount and network namespaces, e.g. `mnt:[4026531832] net:[4026531840]`. */
function namespaces(): string {
  return (['mnt', 'net'] as const).map((kind) => readlinkSync(`/proc/self/ns/${kind}`)).join(' ');
}

/** Whether this process runs in mount and network namespaces other than those it was started from. */
export function inOwnNamespaces(): boolean {
  const startedIn = process.env[NAMESPACES_MARK];
  return startedIn !== undefined && startedIn.split(' ').every((namespace) => !namespaces().includes(namespace));
}

/**
 * Runs this same command again (same Node, same flags, same arguments) in new mount and network
 * namespaces, and resolves to its exit code. Throws when it is already running in them.
 */
export function rerunInOwnNamespaces(): Promise<number> {
  if (process.env[NAMESPACES_MARK]) throw new Error(`${NAMESPACES_MARK} is set: unshare did not give new namespaces`);
  const child = spawn(
    'unshare',
    [
      '--mount',
      '--net',
      '--propagation',
      'private',
      '--',
      process.execPath,
      ...process.execArgv,
      ...process.argv.slice(1),
    ],
    { stdio: 'inherit', env: { ...process.env, [NAMESPACES_MARK]: namespaces() } },
  );
  // Ctrl-C reaches the child through the terminal's process group; this one waits for it to clean up.
  // A SIGTERM (a CI timeout) reaches this one only: passed on, so the child stops its engine.
  const ignore = () => undefined;
  const forward = () => child.kill('SIGTERM');
  process.on('SIGINT', ignore);
  process.on('SIGTERM', forward);
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      process.removeListener('SIGINT', ignore);
      process.removeListener('SIGTERM', forward);
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

/**
 * Inside the new namespaces: `/` becomes a shared mount (in this mount namespace only; the
 * machine's stays as it is) and the loopback interface comes up (a new network namespace starts
 * with it down).
 */
export function prepareOwnNamespaces(): void {
  if (!inOwnNamespaces()) throw new Error("refusing to change the machine's own mount and network namespaces");
  for (const [command, args] of [
    ['mount', ['--make-rshared', '/']],
    ['ip', ['link', 'set', 'lo', 'up']],
  ] as const) {
    const result = spawnSync(command, args, { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} ${args.join(' ')}: ${result.stderr || result.error?.message}`);
  }
}

export class DockerEngine {
  private constructor(
    /** The temporary folder holding the socket, data root, exec root, pid file and log. */
    readonly dir: string,
    readonly api: DockerApi,
    /** The pid `dockerd` was started with: the pid file's, should the engine die before writing it. */
    private readonly startedPid: number | undefined,
    private readonly exited: Promise<void>,
  ) {}

  /** The group that owns the socket (`docker` when it exists, else root): who may read it. */
  get socketGroupId(): number {
    return statSync(this.api.socketPath).gid;
  }

  /** The engine's log so far (its last lines), for a failure's message. */
  logTail(lines = 20): string {
    return readFileSync(join(this.dir, 'dockerd.log'), 'utf8').trim().split('\n').slice(-lines).join('\n');
  }

  /**
   * Starts `dockerd` in this process's namespaces, which must not be the machine's; resolves once
   * it answers `/_ping`. On failure the engine is stopped and its folder removed.
   */
  static async start(): Promise<DockerEngine> {
    if (!inOwnNamespaces())
      throw new Error("the Docker engine runs only in namespaces of its own, never the machine's");
    const dir = mkdtempSync(join(tmpdir(), 'stm-docker-'));
    const log = openSync(join(dir, 'dockerd.log'), 'a');
    const child = spawn(
      'dockerd',
      [
        ...['--host', `unix://${join(dir, 'docker.sock')}`],
        ...['--data-root', join(dir, 'data'), '--exec-root', join(dir, 'exec')],
        ...['--pidfile', join(dir, 'dockerd.pid'), '--storage-driver', 'vfs'],
      ],
      { stdio: ['ignore', log, log], detached: true },
    );
    closeSync(log);
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.once('error', () => undefined);
    const engine = new DockerEngine(dir, new DockerApi(join(dir, 'docker.sock')), child.pid, exited);
    try {
      await waitFor('the Docker engine to answer', () => engine.api.ping(), ENGINE_START_TIMEOUT_MS, 200);
    } catch (error) {
      const tail = engine.logTail();
      await engine.stop();
      throw new Error(`${(error as Error).message}\n${tail}`, { cause: error });
    }
    return engine;
  }

  /** The engine's pid, from its pid file (the started one before it wrote it). */
  private pid(): number | undefined {
    try {
      return Number(readFileSync(join(this.dir, 'dockerd.pid'), 'utf8').trim()) || this.startedPid;
    } catch {
      return this.startedPid;
    }
  }

  /**
   * SIGTERM to the pid in its pid file (it stops its containers and its containerd), SIGKILL to
   * its process group after 30 s, then the folder is removed. Safe to call twice.
   */
  async stop(): Promise<void> {
    const pid = this.pid();
    if (pid !== undefined) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
      const stopped = await Promise.race([
        this.exited.then(() => true),
        sleep(ENGINE_STOP_TIMEOUT_MS).then(() => false),
      ]);
      if (!stopped) {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          // already gone
        }
        await this.exited;
      }
    }
    unmountUnder(this.dir);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Unmounts, deepest first, what is still mounted under `dir` in this mount namespace (the engine
 * leaves its default network namespace bound under its exec root): the folder can then be removed.
 */
function unmountUnder(dir: string): void {
  const mountPoints = readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((point) => point !== undefined && point.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const point of mountPoints) spawnSync('umount', ['--lazy', point]);
}
