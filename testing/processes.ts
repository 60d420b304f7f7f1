/**
 * Real servers for tests and the e2e harness: free loopback ports, bounded waits, and a
 * `ProcessGroup` that stops everything it started, even when the test fails.
 */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMPONENTS, COMPONENT_DESCRIPTORS } from '../core/components';

/** How to get each binary the suite uses (Debian packages): every component's program, and the tools beside them. */
export const BINARY_PACKAGES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(
    COMPONENTS.flatMap((component) => {
      const program = COMPONENT_DESCRIPTORS[component].debian;
      return program ? [[program.binary, program.package]] : [];
    }),
  ),
  promtool: 'prometheus',
  amtool: 'prometheus-alertmanager',
  'redis-server': 'redis-server',
  'redis-cli': 'redis-tools',
};

export const POSTGRES_BIN = '/usr/lib/postgresql/15/bin';

export function hasBinary(name: string): boolean {
  const path = name.startsWith('/') ? name : undefined;
  if (path) return spawnSync('test', ['-x', path]).status === 0;
  return spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;
}

/**
 * An Alertmanager newer than Debian stable's 0.25, for what only newer ones have (forum topics,
 * 0.28): the path in `NEWER_ALERTMANAGER`, or that name itself, which no PATH holds, so the tests
 * that need it report the hint below.
 */
export const NEWER_ALERTMANAGER = process.env.NEWER_ALERTMANAGER || 'NEWER_ALERTMANAGER';

/** Programs the suite runs that no Debian package provides, and how to get each. */
export const OTHER_INSTALL_HINTS: Readonly<Record<string, string>> = {
  terraform:
    'Terraform is not a Debian package: put a terraform binary from https://releases.hashicorp.com/terraform/ on PATH (GitHub Actions: hashicorp/setup-terraform)',
  NEWER_ALERTMANAGER:
    "an Alertmanager 0.28 or later: export NEWER_ALERTMANAGER=$(.ci/newer-alertmanager /tmp/newer-alertmanager) (Debian sid's, from this machine's mirror), or the path of an official release's alertmanager binary",
};

export function installHint(names: string[]): string {
  const others = names.filter((n) => n in OTHER_INSTALL_HINTS);
  const packages = [
    ...new Set(names.filter((n) => !others.includes(n)).map((n) => BINARY_PACKAGES[n] ?? 'postgresql')),
  ];
  return [
    ...(packages.length > 0 ? [`apt-get install -y --no-install-recommends ${packages.join(' ')}`] : []),
    ...others.map((n) => OTHER_INSTALL_HINTS[n]),
  ].join('; ');
}

/**
 * Which of `names` are missing. When `CI` is set a missing binary is an error (the suite must not
 * pass without its real-tool checks); otherwise the caller reports the tests as skipped, naming
 * the install command.
 */
export function missingBinaries(names: string[]): string[] {
  const missing = names.filter((name) => !hasBinary(name));
  if (missing.length > 0 && process.env.CI) {
    throw new Error(`CI is set but ${missing.join(', ')} is missing: ${installHint(missing)}`);
  }
  return missing;
}

/**
 * `describe` when the binaries exist; otherwise a describe whose only test is reported as skipped
 * with the install command (and under CI, a hard failure).
 */
export function describeWithBinaries(title: string, binaries: string[], body: () => void): void {
  const missing = missingBinaries(binaries);
  if (missing.length === 0) {
    describe(title, body);
    return;
  }
  describe(title, () => {
    test.skip(`needs ${missing.join(', ')}: ${installHint(missing)}`, () => undefined);
  });
}

/**
 * Ports this process has handed out. Two `listen(0)` calls may get the same port once the first
 * socket is closed, and a program started on a port another component already holds fails to
 * bind while that component answers its readiness probe (the exporters answer 200 on any path):
 * CI once ran a drill against an "Alertmanager" that was node-exporter.
 */
const handedOut = new Set<number>();

/** A port that was free on 127.0.0.1 a moment ago and that no earlier call in this process returned. */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const port = await ephemeralPort();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
  throw new Error(`no free port on 127.0.0.1 after 100 attempts (${handedOut.size} already handed out)`);
}

function ephemeralPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Whether something accepts connections on 127.0.0.1:`port` (within a second). */
export function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (answered: boolean) => {
      socket.destroy();
      resolve(answered);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Whether a Redis at `host:port` answers PING (within a second). */
export function redisAnswers(address: string): Promise<boolean> {
  const [host, port] = address.split(':');
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(port) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1_000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
    socket.once('connect', () => socket.write('PING\r\n'));
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `check` until it returns a value other than undefined/false, or throws after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const result = await check();
      if (result !== undefined && result !== false) return result;
    } catch (error) {
      lastError = error;
    }
    await sleep(everyMs);
  }
  const cause = lastError instanceof Error ? `: ${lastError.message}` : '';
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}`);
}

/** GET `url` with a time limit; resolves to the response or undefined when unreachable. */
export async function httpGet(url: string, timeoutMs = 2_000): Promise<Response | undefined> {
  try {
    return await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch {
    return undefined;
  }
}

export async function waitForHttpOk(url: string, timeoutMs = 15_000): Promise<void> {
  await waitFor(`${url} to answer 200`, async () => (await httpGet(url))?.ok, timeoutMs);
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run as this user (via `runuser`), for PostgreSQL which refuses to run as root. */
  user?: string;
}

/** A started process with its captured output, for error messages. */
export class ManagedProcess {
  private output = '';

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  get log(): string {
    return this.output;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
  async stop(graceMs = 5_000): Promise<void> {
    if (!this.running) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.signal('SIGTERM');
    const escalation = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await exited;
    clearTimeout(escalation);
  }

  kill(): void {
    this.signal('SIGKILL');
  }

  private signal(signal: NodeJS.Signals): void {
    if (!this.running || this.child.pid === undefined) return;
    try {
      // The process leads its own group, so helpers it forked stop with it.
      process.kill(-this.child.pid, signal);
    } catch {
      this.child.kill(signal);
    }
  }
}

/**
 * Owns every process and temporary directory a test starts. `stopAll()` in `afterAll` (or a
 * `finally`) stops them in reverse order; it is also registered on process exit as a last resort.
 */
export class ProcessGroup {
  private readonly processes: ManagedProcess[] = [];
  private readonly dirs: string[] = [];
  private readonly onExit = () => this.processes.forEach((p) => p.kill());

  constructor() {
    process.once('exit', this.onExit);
  }

  tempDir(prefix = 'stm-'): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.dirs.push(dir);
    return dir;
  }

  start(name: string, command: string, args: string[], options: StartOptions = {}): ManagedProcess {
    const [file, argv] = options.user ? ['runuser', ['-u', options.user, '--', command, ...args]] : [command, args];
    const child = spawn(file, argv, {
      env: { ...process.env, ...options.env },
      cwd: options.cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const managed = new ManagedProcess(name, child);
    child.on('error', () => undefined);
    this.processes.push(managed);
    return managed;
  }

  async stopAll(): Promise<void> {
    for (const managed of [...this.processes].reverse()) await managed.stop();
    this.processes.length = 0;
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    process.removeListener('exit', this.onExit);
  }
}
