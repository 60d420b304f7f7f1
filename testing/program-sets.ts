/**
 * The version matrix: sets of real programs (Prometheus, promtool, Alertmanager, amtool, the
 * exporters) from Debian suites, so a test or the e2e harness runs the same rendered files on the
 * oldest supported releases and on current ones.
 *
 * - `floor`: the machine's own Debian stable packages, installed with apt-get (`.ci/run`), found on
 *   PATH. The oldest release of each component the stack supports (README "Versions").
 * - `trixie`: Debian 13's, fetched on demand.
 * - `current`: Debian sid's, fetched on demand: the newest releases Debian packages.
 *
 * A fetched set is downloaded without touching the system's apt state (a private sources list,
 * package lists and cache: `apt-get download`, then `dpkg -x`), kept under
 * `~/.cache/stock-tracker-monitoring/programs/<suite>/` (`PROGRAM_SETS_DIR` moves it) and fetched
 * again once it is a week old.
 *
 *   const current = await fetchProgramSet('current');   // fetches into the cache when needed
 *   spawn(current.binary('promtool'), ['check', 'rules', file]);
 *   current.version('prometheus');                       // '3.5.3'
 *
 * Tests read a set synchronously (`programSet`, at collection time: `describeOnProgramSets`); the
 * jest global setup (testing/jest-global-setup.ts) fetches the sets of the matrix first.
 * `npm run programs:fetch -- current trixie` fetches and prints them.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { COMPONENTS, COMPONENT_DESCRIPTORS } from '../core/components';
import { BINARY_PACKAGES, hasBinary, installHint } from './processes';

const run = promisify(execFile);

/** The sets, oldest first: the order the matrix runs them in. */
export const PROGRAM_SET_NAMES = ['floor', 'trixie', 'current'] as const;
export type ProgramSetName = (typeof PROGRAM_SET_NAMES)[number];

/** The Debian suite a fetched set comes from. */
const FETCHED_SUITES: Readonly<Record<Exclude<ProgramSetName, 'floor'>, string>> = {
  trixie: 'trixie',
  current: 'sid',
};

/** Sets the matrix runs unless `PROGRAM_SETS` names others (comma-separated). */
export const DEFAULT_MATRIX: readonly ProgramSetName[] = ['floor', 'current'];

/** A fetched set older than this is fetched again (sid moves); a failed refresh keeps the old one. */
const MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/** Bound on one apt-get call (the index of a suite is about 11 MB, the packages about 60 MB). */
const APT_TIMEOUT_MS = 5 * 60 * 1000;

/**
 * The Debian packages of a set: every component's program, and promtool, which trixie and sid
 * package apart from Prometheus (bookworm ships it inside `prometheus`).
 */
export const SET_PACKAGES: readonly string[] = [
  ...new Set([
    ...COMPONENTS.flatMap((component) => COMPONENT_DESCRIPTORS[component].debian?.package ?? []),
    'promtool',
  ]),
];

/** What a fetched set's folder records about itself (`manifest.json`). */
interface Manifest {
  suite: string;
  /** ISO time of the fetch. */
  fetchedAt: string;
  /** Debian package → Debian version, e.g. `prometheus` → `3.5.3+ds1-6`. */
  packages: Record<string, string>;
}

/** One set of real programs, ready to run. */
export interface ProgramSet {
  readonly name: ProgramSetName;
  /** The Debian suite it comes from: `sid`, `trixie`, or the machine's own (`bookworm`). */
  readonly suite: string;
  /** Debian package → Debian version of what the set holds (a floor package not installed is absent). */
  readonly packages: Readonly<Record<string, string>>;
  /**
   * How to run `program` (a binary name of BINARY_PACKAGES, e.g. `promtool`): an absolute path in
   * a fetched set, the name itself (found on PATH) in the floor.
   */
  binary(program: string): string;
  /** Which of `programs` this set cannot run. */
  missing(programs: readonly string[]): string[];
  /** The upstream version of the package holding `program` (`3.5.3` for `promtool` in sid); undefined when absent. */
  version(program: string): string | undefined;
  /** The set in one line, for test titles and reports: `current (sid): Prometheus 3.5.3, Alertmanager 0.33.1, ...`. */
  readonly title: string;
}

/** Where fetched sets are kept. */
export function programSetsDir(): string {
  return process.env.PROGRAM_SETS_DIR ?? join(homedir(), '.cache', 'stock-tracker-monitoring', 'programs');
}

/**
 * The upstream release in a Debian version: without the epoch, the Debian revision and repack
 * suffixes (`1:2.53.3+ds1-2` → `2.53.3`, `0.17.1-1+b4` → `0.17.1`).
 */
export function upstreamVersion(debianVersion: string): string {
  const withoutEpoch = debianVersion.replace(/^\d+:/, '');
  const withoutRevision = withoutEpoch.includes('-')
    ? withoutEpoch.slice(0, withoutEpoch.lastIndexOf('-'))
    : withoutEpoch;
  return withoutRevision.replace(/[+~].*$/, '');
}

/** The package a set's `program` comes from: promtool has a package of its own in fetched suites. */
function packageOf(program: string, fetched: boolean): string | undefined {
  if (program === 'promtool' && fetched) return 'promtool';
  return BINARY_PACKAGES[program];
}

/** The component programs a title names, in the order of the stack. */
function titleOf(name: ProgramSetName, suite: string, packages: Readonly<Record<string, string>>): string {
  const programs = COMPONENTS.flatMap((component) => {
    const debian = COMPONENT_DESCRIPTORS[component].debian;
    const version = debian && packages[debian.package];
    return version ? [`${COMPONENT_DESCRIPTORS[component].title} ${upstreamVersion(version)}`] : [];
  });
  return `${name} (${suite}): ${programs.join(', ') || 'no programs'}`;
}

function makeSet(name: ProgramSetName, suite: string, packages: Record<string, string>, binDir?: string): ProgramSet {
  const fetched = binDir !== undefined;
  const binary = (program: string) => (binDir === undefined ? program : join(binDir, program));
  return {
    name,
    suite,
    packages,
    binary,
    missing: (programs) => programs.filter((program) => !hasBinary(binary(program))),
    version: (program) => {
      const pkg = packageOf(program, fetched);
      const version = pkg === undefined ? undefined : packages[pkg];
      return version === undefined ? undefined : upstreamVersion(version);
    },
    title: titleOf(name, suite, packages),
  };
}

/** The machine's Debian release (`bookworm`), from /etc/os-release. */
function machineSuite(): string {
  const release = existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : '';
  return /^VERSION_CODENAME=(.+)$/m.exec(release)?.[1]?.trim() || 'unknown';
}

/** The floor: what the machine has installed (dpkg's versions of installed packages), run from PATH. */
function floorSet(): ProgramSet {
  const packages: Record<string, string> = {};
  for (const pkg of new Set(Object.values(BINARY_PACKAGES))) {
    const query = spawnSync('dpkg-query', ['-W', '-f=${db:Status-Status} ${Version}', pkg], { encoding: 'utf8' });
    const [status, version] = (query.stdout ?? '').trim().split(' ');
    if (query.status === 0 && status === 'installed' && version) packages[pkg] = version;
  }
  return makeSet('floor', machineSuite(), packages);
}

function suiteDir(suite: string): string {
  return join(programSetsDir(), suite);
}

function readManifest(suite: string): Manifest | undefined {
  const file = join(suiteDir(suite), 'manifest.json');
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

function fetchedSet(name: Exclude<ProgramSetName, 'floor'>, manifest: Manifest): ProgramSet {
  return makeSet(name, manifest.suite, manifest.packages, join(suiteDir(manifest.suite), 'root', 'usr', 'bin'));
}

/**
 * A set as it is now, without fetching anything: the floor from the machine, a fetched set from
 * the cache (undefined when it was never fetched). Synchronous, for jest's collection phase.
 */
export function programSet(name: ProgramSetName): ProgramSet | undefined {
  if (name === 'floor') return floorSet();
  const manifest = readManifest(FETCHED_SUITES[name]);
  return manifest && fetchedSet(name, manifest);
}

/** The sets the matrix runs: `PROGRAM_SETS` (comma-separated names), else `DEFAULT_MATRIX`. Throws naming a wrong name. */
export function matrixSetNames(env: NodeJS.ProcessEnv = process.env): ProgramSetName[] {
  const given = env.PROGRAM_SETS?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (given === undefined || given.length === 0) return [...DEFAULT_MATRIX];
  const unknown = given.filter((name) => !(PROGRAM_SET_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0)
    throw new Error(
      `PROGRAM_SETS: ${unknown.join(', ')} is not a program set (expected ${PROGRAM_SET_NAMES.join(', ')})`,
    );
  return PROGRAM_SET_NAMES.filter((name) => given.includes(name));
}

/**
 * The set `name`, fetched into the cache when it is not there or is older than a week (a failed
 * refresh keeps the cached one). The floor is never fetched: it is what apt-get installed.
 * Throws, saying why, when a set that is not cached cannot be fetched.
 */
export async function fetchProgramSet(name: ProgramSetName): Promise<ProgramSet> {
  if (name === 'floor') return floorSet();
  const suite = FETCHED_SUITES[name];
  const cached = readManifest(suite);
  if (cached && Date.now() - Date.parse(cached.fetchedAt) < MAX_AGE_MS) return fetchedSet(name, cached);
  try {
    return fetchedSet(name, await download(suite));
  } catch (error) {
    if (cached) return fetchedSet(name, cached);
    throw new Error(`could not fetch the ${name} program set (Debian ${suite}): ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/**
 * The Debian archive this machine already uses (`apt-get indextargets`), else Debian's CDN;
 * `DEBIAN_MIRROR` wins.
 */
function debianMirror(): string {
  if (process.env.DEBIAN_MIRROR) return process.env.DEBIAN_MIRROR;
  const targets = spawnSync('apt-get', ['indextargets', '--format', '$(REPO_URI)'], { encoding: 'utf8' });
  const uris = (targets.stdout ?? '')
    .split('\n')
    .map((uri) => uri.trim())
    .filter((uri) => /\/debian\/?$/.test(uri));
  return uris.sort()[0] ?? 'http://deb.debian.org/debian/';
}

/** Debian's archive keys, where the machine has them as a file (always on Debian; on Ubuntu with `debian-archive-keyring`). */
const DEBIAN_KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

/**
 * `apt-get download` of SET_PACKAGES from `suite` and `dpkg -x` of each, into a new folder that
 * replaces the cached one at once (a concurrent reader sees the old set or the new one). apt reads
 * only the private sources list, lists and cache given here; the system's stay as they were.
 */
async function download(suite: string): Promise<Manifest> {
  mkdirSync(programSetsDir(), { recursive: true });
  const work = join(programSetsDir(), `.${suite}-${process.pid}-${Date.now()}`);
  const apt = join(work, 'apt');
  try {
    for (const dir of ['lists/partial', 'cache/archives/partial', 'debs'])
      mkdirSync(join(apt, dir), { recursive: true });
    const signedBy = existsSync(DEBIAN_KEYRING) ? `[signed-by=${DEBIAN_KEYRING}] ` : '';
    writeFileSync(join(apt, 'sources.list'), `deb ${signedBy}${debianMirror()} ${suite} main\n`);
    const options = [
      `Dir::Etc::sourcelist=${join(apt, 'sources.list')}`,
      'Dir::Etc::sourceparts=-',
      `Dir::State::Lists=${join(apt, 'lists')}`,
      `Dir::Cache=${join(apt, 'cache')}`,
      // Downloads land in a folder root owns; apt's own user could not write there.
      'APT::Sandbox::User=root',
    ].flatMap((option) => ['-o', option]);
    await run('apt-get', ['update', '-qq', ...options], { timeout: APT_TIMEOUT_MS });
    await run('apt-get', ['download', '-qq', ...options, ...SET_PACKAGES], {
      cwd: join(apt, 'debs'),
      timeout: APT_TIMEOUT_MS,
    });
    const packages: Record<string, string> = {};
    for (const deb of readdirSync(join(apt, 'debs')).filter((file) => file.endsWith('.deb'))) {
      const path = join(apt, 'debs', deb);
      const { stdout } = await run('dpkg-deb', ['-f', path, 'Package', 'Version']);
      const fields = Object.fromEntries(stdout.split('\n').map((line) => line.split(': ', 2) as [string, string]));
      packages[fields.Package] = fields.Version;
      await run('dpkg', ['-x', path, join(work, 'root')]);
    }
    const absent = SET_PACKAGES.filter((pkg) => packages[pkg] === undefined);
    if (absent.length > 0) throw new Error(`apt-get download gave no ${absent.join(', ')}`);
    const manifest: Manifest = { suite, fetchedAt: new Date().toISOString(), packages };
    writeFileSync(join(work, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    rmSync(apt, { recursive: true, force: true });
    replaceDir(work, suiteDir(suite));
    return manifest;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Moves `from` to `to`, replacing what is there (renames, so `to` is never half-written). */
function replaceDir(from: string, to: string): void {
  const old = `${to}.old-${process.pid}`;
  if (existsSync(to)) renameSync(to, old);
  renameSync(from, to);
  rmSync(old, { recursive: true, force: true });
}

/** How to get a set that is missing: apt-get for the floor, the fetch script for the others. */
export function programSetHint(name: ProgramSetName, missing: readonly string[]): string {
  return name === 'floor' ? installHint([...missing]) : `npm run programs:fetch -- ${name}`;
}

/**
 * `describe(title, body)` once per set of the matrix (`matrixSetNames`), titled with the set and
 * its versions, for the sets that have `programs`. For a set that is missing them: a skipped test
 * naming how to get it, or under CI a failure (the suite must not pass without the matrix).
 */
export function describeOnProgramSets(
  title: string,
  programs: readonly string[],
  body: (set: ProgramSet) => void,
): void {
  for (const name of matrixSetNames()) {
    const set = programSet(name);
    const missing = set ? set.missing(programs) : [...programs];
    if (missing.length === 0 && set) {
      describe(`${title} [${set.title}]`, () => body(set));
      continue;
    }
    const hint = programSetHint(name, missing);
    if (process.env.CI) throw new Error(`CI is set but the ${name} program set lacks ${missing.join(', ')}: ${hint}`);
    describe(`${title} [${name}]`, () => {
      test.skip(`needs ${missing.join(', ')} of the ${name} program set: ${hint}`, () => undefined);
    });
  }
}

const FETCH_USAGE = `Usage: npm run programs:fetch -- [${PROGRAM_SET_NAMES.join('|')} ...]

Fetches the named program sets of the version matrix (default: PROGRAM_SETS, else ${DEFAULT_MATRIX.join(
  ' ',
)}) into ${programSetsDir()} without touching apt's state, and prints each set's versions.`;

/** `npm run programs:fetch -- <names>`: exit 0 fetched, 1 a set could not be fetched, 2 a usage error. */
async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(FETCH_USAGE);
    return 0;
  }
  const unknown = args.filter((name) => !(PROGRAM_SET_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    console.error(
      `${unknown.join(', ')}: not a program set (expected ${PROGRAM_SET_NAMES.join(', ')})\n\n${FETCH_USAGE}`,
    );
    return 2;
  }
  const wanted = args.length > 0 ? matrixSetNames({ PROGRAM_SETS: args.join(',') }) : matrixSetNames();
  for (const name of wanted) {
    const set = await fetchProgramSet(name);
    const where = name === 'floor' ? 'PATH' : join(suiteDir(set.suite), 'root', 'usr', 'bin');
    console.log(`${set.title}\n  ${where}`);
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: Error) => {
      console.error(error.message);
      process.exitCode = 1;
    },
  );
}
