/**
 * Images built here, with `docker import` from the real programs of a Debian release, since no
 * registry can be reached: one per component of the stack that has a Debian program, laid out like
 * its official image (the record cites the Dockerfile it copies: binary path, entrypoint and default
 * arguments, user, working and data directories), on busybox (Debian's busybox-static) for the
 * shell and the `wget` the healthchecks run; and the application's side (Redis, PostgreSQL, Node
 * for the simulator and the fake Telegram), which the harness runs as containers too.
 *
 * Each image is tagged with the reference the stack pins (`prom/prometheus:v2.48.0`), so the docker
 * provider's `docker_image` finds it locally and never pulls (resource_docker_image_funcs.go,
 * findImage: a local image of that name wins), but it holds the Debian release's program: the
 * record says which.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { COMPONENT_DESCRIPTORS, ComponentName } from '../../core/components';
import { POSTGRES_BIN } from '../processes';
import { ProgramSet } from '../program-sets';
import { DockerApi, ImageInspect } from './engine-api';

/** Where the programs an image is built from come from: a Debian release's binaries. */
export interface ImagePrograms {
  /** Said in the table, e.g. `current (sid): Prometheus 3.5.3, ...`. */
  readonly title: string;
  /** The file of a program, by its Debian name (`prometheus`, `prometheus-alertmanager`, ...). */
  path(program: string): string;
  /** The version of the package that ships `program` (an image tag of the application's images). */
  version(program: string): string;
  /** Where the set keeps `path`, a file or folder the package of `program` installs there. */
  packageFile(program: string, path: string): string;
}

/** The programs installed on this machine from Debian stable (the packages `.ci/run` installs). */
const INSTALLED_DEBIAN: ImagePrograms = {
  title: 'Debian stable, installed',
  path: (program) => {
    const found = spawnSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).stdout.trim();
    if (!found) throw new Error(`${program} is not installed`);
    return found;
  },
  version: (program) => {
    const path = INSTALLED_DEBIAN.path(program);
    // `dpkg-query -S` names the package that ships a file ("prometheus: /usr/bin/prometheus"), by the path
    // it was installed as: /bin and /usr/bin are one folder on a merged /usr, dpkg knows one of them.
    for (const shipped of [path, path.replace(/^\/usr\//, '/')]) {
      const owner = spawnSync('dpkg-query', ['-S', shipped], { encoding: 'utf8' });
      const pkg = owner.status === 0 ? owner.stdout.split(':')[0].trim() : '';
      if (pkg) return spawnSync('dpkg-query', ['-W', '-f', '${Version}', pkg], { encoding: 'utf8' }).stdout.trim();
    }
    throw new Error(`no Debian package ships ${path}`);
  },
  packageFile: (_program, path) => path,
};

/**
 * The images' programs: the components' from a set of the version matrix (testing/program-sets.ts),
 * the same binaries the loopback e2e runs; what no set holds (busybox, Redis, PostgreSQL, Node)
 * from this machine.
 */
export function imagePrograms(set: ProgramSet): ImagePrograms {
  const held = (program: string) => set.version(program) !== undefined && set.missing([program]).length === 0;
  return {
    title: set.title,
    path: (program) => INSTALLED_DEBIAN.path(held(program) ? set.binary(program) : program),
    version: (program) => (held(program) ? set.version(program)! : INSTALLED_DEBIAN.version(program)),
    packageFile: (program, path) => {
      // A fetched set keeps its packages' files under one root (<root>/usr/bin/<program>); the floor's are installed.
      const binary = set.binary(program);
      return held(program) && isAbsolute(binary) ? join(binary, '..', '..', '..', path) : path;
    },
  };
}

/** A program copied into an image, where its official image has it. */
export interface ProgramCopy {
  /** The Debian program (a binary name of the program sets, or one installed here). */
  program: string;
  /** Its path in the image. */
  path: string;
}

/** How an image is laid out; for a component, as its official Dockerfile lays it out. */
export interface ImageLayout {
  /** The reference it is tagged with. */
  reference: string;
  programs: readonly ProgramCopy[];
  entrypoint?: readonly string[];
  cmd?: readonly string[];
  /** `USER`: a name of its /etc/passwd, or `uid:gid`. */
  user: string;
  /** Users beside the base's root and nobody. @default none */
  users?: readonly ImageUser[];
  workdir?: string;
  exposedPort: number;
  /** `VOLUME`s: a named volume mounted there starts with the image's content and owner. */
  volumes?: readonly string[];
  /** Directories created and owned by the user (the Dockerfile's `mkdir` and `chown`). */
  userDirectories?: readonly string[];
  /** `ENV` entries. @default none */
  env?: readonly string[];
  /** More files, by path in the image: content and mode (e.g. an entrypoint script). */
  files?: Readonly<Record<string, { content: string; mode: number }>>;
  /** Files the image runs from a mount (not copied), whose shared libraries it must have. @default none */
  mountedBinaries?: readonly string[];
  /**
   * Whole directories copied at the same path (a program's own data), without the names matching
   * `skip`: from the files of the package of `of` in the set, else from this machine.
   */
  trees?: readonly { path: string; skip?: RegExp; of?: string }[];
}

/** A component's image: its layout, and the official Dockerfile the layout copies. */
export interface ImageRecord extends ImageLayout {
  /** The official Dockerfile at the pinned release, with the lines the layout copies. */
  dockerfile: string;
}

/** A user of an image's /etc/passwd, with a group of the same name and id. */
export interface ImageUser {
  name: string;
  id: number;
  home: string;
  shell: string;
}

/** The busybox base's users (its /etc/passwd and /etc/group): root, and nobody (65534) the Prometheus images run as. */
const BASE_USERS: readonly ImageUser[] = [
  { name: 'root', id: 0, home: '/root', shell: '/bin/sh' },
  { name: 'nobody', id: 65534, home: '/home', shell: '/bin/false' },
];

/** The Prometheus projects' Dockerfiles, at the release the stack pins. */
const PROMETHEUS_PROJECT = 'https://github.com/prometheus';

/**
 * The components with a Debian program, laid out as their official images. Read at the pinned
 * tags: prometheus v3.5.5, node_exporter v1.12.1, postgres_exporter v0.20.1 (all `FROM
 * quay.io/prometheus/busybox`); alertmanager v0.34.0 and redis_exporter v1.88.0, the newest tags of
 * the snapshots read (the pinned v0.34.1 and v1.93.0 were not in them), alertmanager on busybox,
 * redis_exporter's `alpine` stage (busybox too).
 */
export const IMAGE_RECORDS: { readonly [C in ComponentName]?: ImageRecord } = {
  prometheus: {
    reference: COMPONENT_DESCRIPTORS.prometheus.image,
    dockerfile: `${PROMETHEUS_PROJECT}/prometheus/blob/v3.5.5/Dockerfile (lines 9-10, 16-24)`,
    programs: [
      { program: 'prometheus', path: '/bin/prometheus' },
      { program: 'promtool', path: '/bin/promtool' },
    ],
    entrypoint: ['/bin/prometheus'],
    cmd: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus'],
    user: 'nobody',
    workdir: '/prometheus',
    exposedPort: 9090,
    volumes: ['/prometheus'],
    userDirectories: ['/etc/prometheus', '/prometheus'],
  },
  alertmanager: {
    reference: COMPONENT_DESCRIPTORS.alertmanager.image,
    dockerfile: `${PROMETHEUS_PROJECT}/alertmanager/blob/v0.34.0/Dockerfile (lines 9-23)`,
    programs: [
      { program: 'amtool', path: '/bin/amtool' },
      { program: 'prometheus-alertmanager', path: '/bin/alertmanager' },
    ],
    entrypoint: ['/bin/alertmanager'],
    cmd: ['--config.file=/etc/alertmanager/alertmanager.yml', '--storage.path=/alertmanager'],
    // Debian's build reads its default template (default.tmpl) and UI from this folder; upstream's embeds them.
    trees: [{ path: '/usr/share/prometheus/alertmanager', of: 'prometheus-alertmanager' }],
    user: 'nobody',
    workdir: '/alertmanager',
    exposedPort: 9093,
    volumes: ['/alertmanager'],
    userDirectories: ['/etc/alertmanager', '/alertmanager'],
  },
  nodeExporter: {
    reference: COMPONENT_DESCRIPTORS.nodeExporter.image,
    dockerfile: `${PROMETHEUS_PROJECT}/node_exporter/blob/v1.12.1/Dockerfile (lines 17-21)`,
    programs: [{ program: 'prometheus-node-exporter', path: '/bin/node_exporter' }],
    entrypoint: ['/bin/node_exporter'],
    user: 'nobody',
    exposedPort: 9100,
  },
  postgresExporter: {
    reference: COMPONENT_DESCRIPTORS.postgresExporter.image,
    dockerfile: 'https://github.com/prometheus-community/postgres_exporter/blob/v0.20.1/Dockerfile (lines 8-12)',
    programs: [{ program: 'prometheus-postgres-exporter', path: '/bin/postgres_exporter' }],
    entrypoint: ['/bin/postgres_exporter'],
    user: 'nobody',
    exposedPort: 9187,
  },
  redisExporter: {
    reference: COMPONENT_DESCRIPTORS.redisExporter.image,
    dockerfile: 'https://github.com/oliver006/redis_exporter/blob/v1.88.0/Dockerfile (lines 44-53, the alpine stage)',
    programs: [{ program: 'prometheus-redis-exporter', path: '/redis_exporter' }],
    entrypoint: ['/redis_exporter'],
    user: '59000:59000',
    exposedPort: 9121,
  },
};

/** Images of the application's side, tagged under this prefix. */
export const TESTING_IMAGE_PREFIX = 'stock-tracker-testing';

const POSTGRES_DATA = '/var/lib/postgresql/data';

/**
 * The postgres image's first start, as the official image's docker-entrypoint.sh does it with
 * POSTGRES_USER, POSTGRES_PASSWORD and POSTGRES_DB: a cluster whose superuser is that user, with
 * that password, the database, password logins (scram-sha-256) from every address; then the server.
 */
const POSTGRES_ENTRYPOINT = `#!/bin/sh
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  printf '%s' "$POSTGRES_PASSWORD" > /tmp/pwfile
  initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile=/tmp/pwfile --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C >/dev/null
  rm -f /tmp/pwfile
  echo 'host all all all scram-sha-256' >> "$PGDATA/pg_hba.conf"
  echo "CREATE DATABASE \\"$POSTGRES_DB\\";" | postgres --single -D "$PGDATA" postgres >/dev/null
fi
exec "$@"
`;

/**
 * The official redis image builds Redis with protected mode off (its Dockerfile edits
 * `createBoolConfig("protected-mode", ...)` in src/config.c): other containers reach it without a
 * password. Debian's build keeps it on, so the image's entrypoint turns it off, first, so that the
 * command's own options still win.
 */
const REDIS_ENTRYPOINT = `#!/bin/sh
if [ "$1" = redis-server ]; then
  shift
  exec redis-server --protected-mode no "$@"
fi
exec "$@"
`;

/** A Debian version as an image tag, which allows letters, digits, `_`, `.` and `-` only (`5:7.0.15-1~deb12u10` → `5_7.0.15-1_deb12u10`). */
function versionTag(version: string): string {
  return version.replace(/[^A-Za-z0-9_.-]/g, '_');
}

/** The application's images: Redis, PostgreSQL and Node (the simulator and the fake Telegram run in it). */
export function applicationImages(programs: ImagePrograms): Record<'redis' | 'postgres' | 'node', ImageLayout> {
  return {
    // As redis:7-alpine runs it (the compose file's image): /usr/local/bin, /data, user redis (999).
    redis: {
      reference: `${TESTING_IMAGE_PREFIX}/redis:${versionTag(programs.version('redis-server'))}`,
      programs: [
        { program: 'redis-server', path: '/usr/local/bin/redis-server' },
        { program: 'redis-cli', path: '/usr/local/bin/redis-cli' },
      ],
      entrypoint: ['/usr/local/bin/docker-entrypoint.sh'],
      cmd: ['redis-server'],
      files: { '/usr/local/bin/docker-entrypoint.sh': { content: REDIS_ENTRYPOINT, mode: 0o755 } },
      user: 'redis',
      users: [{ name: 'redis', id: 999, home: '/data', shell: '/bin/false' }],
      workdir: '/data',
      exposedPort: 6379,
      userDirectories: ['/data'],
    },
    // As postgres:15-alpine lays it out: PGDATA and its volume, port 5432 (its STOPSIGNAL, which `docker import` cannot set, is the container's).
    postgres: {
      reference: `${TESTING_IMAGE_PREFIX}/postgres:${versionTag(programs.version(`${POSTGRES_BIN}/postgres`))}`,
      programs: ['postgres', 'initdb', 'pg_isready'].map((name) => ({
        program: `${POSTGRES_BIN}/${name}`,
        path: `${POSTGRES_BIN}/${name}`,
      })),
      trees: [
        // The server's modules (plpgsql, encodings, snowball) without the JIT, which needs LLVM; jit is off.
        { path: join(POSTGRES_BIN, '..', 'lib'), skip: /^(llvmjit|bitcode)/ },
        { path: '/usr/share/postgresql/15' },
      ],
      entrypoint: ['/usr/local/bin/docker-entrypoint.sh'],
      cmd: ['postgres', '-c', 'listen_addresses=*', '-c', 'jit=off'],
      // initdb and postgres look their user up by id.
      user: 'postgres',
      users: [{ name: 'postgres', id: 999, home: '/var/lib/postgresql', shell: '/bin/sh' }],
      exposedPort: 5432,
      volumes: [POSTGRES_DATA],
      userDirectories: [POSTGRES_DATA, '/var/run/postgresql'],
      env: [`PGDATA=${POSTGRES_DATA}`, `PATH=${POSTGRES_BIN}:/usr/local/bin:/bin`, 'TZ=UTC'],
      files: { '/usr/local/bin/docker-entrypoint.sh': { content: POSTGRES_ENTRYPOINT, mode: 0o755 } },
    },
    // Runs the project's TypeScript from the checkout, mounted: ts-node compiles it with swc (tsconfig.json),
    // whose native binding needs librt besides Node's libraries.
    node: {
      reference: `${TESTING_IMAGE_PREFIX}/node:${versionTag(programs.version('node'))}`,
      programs: [{ program: 'node', path: '/usr/local/bin/node' }],
      mountedBinaries: [require.resolve('@swc/core-linux-x64-gnu')],
      user: 'nobody',
      exposedPort: 8000,
    },
  };
}

/** The files `ldd` lists for a program: its shared libraries and the dynamic loader. */
export function sharedLibraries(binary: string): string[] {
  const result = spawnSync('ldd', [binary], { encoding: 'utf8' });
  // A static binary: ldd says so and exits 1.
  if (result.status !== 0) return [];
  return result.stdout.split('\n').flatMap((line) => {
    const path = /=>\s*(\/\S+)/.exec(line)?.[1] ?? /^\s*(\/\S+)/.exec(line)?.[1];
    return path ? [path] : [];
  });
}

function copyInto(root: string, from: string, to: string, mode?: number): void {
  const target = join(root, to);
  mkdirSync(dirname(target), { recursive: true });
  // copyFileSync follows links: the image gets the file itself at the path the program looks for.
  copyFileSync(from, target);
  if (mode !== undefined) chmodSync(target, mode);
}

/** Copies the folder `from` to `to` in the image, without the top-level names matching `skip`. */
function copyTree(root: string, from: string, to: string, skip: RegExp | undefined): void {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (skip?.test(entry.name)) continue;
    if (entry.isDirectory()) copyTree(root, join(from, entry.name), join(to, entry.name), undefined);
    else copyInto(root, join(from, entry.name), join(to, entry.name));
  }
}

/** The uid and gid of the layout's `USER`: `uid:gid`, or a name of its /etc/passwd. */
function userIds(layout: ImageLayout): [number, number] {
  const named = [...BASE_USERS, ...(layout.users ?? [])].find((user) => user.name === layout.user);
  if (named) return [named.id, named.id];
  const [uid, gid] = layout.user.split(':').map(Number);
  if (!Number.isInteger(uid) || !Number.isInteger(gid))
    throw new Error(`${layout.reference}: user ${layout.user} is neither a user of the image nor uid:gid`);
  return [uid, gid];
}

/** Lays out `layout`'s root file system in `root`: busybox with every applet, users, programs and their libraries. */
function layOut(root: string, layout: ImageLayout, programs: ImagePrograms): void {
  copyInto(root, programs.path('busybox'), '/bin/busybox', 0o755);
  // What `busybox --install` links in the busybox images: sh, wget and the rest.
  const applets = spawnSync(programs.path('busybox'), ['--list'], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean);
  for (const applet of applets) if (applet !== 'busybox') symlinkSync('busybox', join(root, 'bin', applet));
  mkdirSync(join(root, 'etc'));
  const users = [...BASE_USERS, ...(layout.users ?? [])];
  writeFileSync(
    join(root, 'etc/passwd'),
    users.map((u) => `${u.name}:x:${u.id}:${u.id}:${u.name}:${u.home}:${u.shell}\n`).join(''),
  );
  writeFileSync(join(root, 'etc/group'), users.map((u) => `${u.name}:x:${u.id}:\n`).join(''));
  // quay.io/prometheus/busybox copies Debian's netbase nsswitch.conf: names from /etc/hosts, then DNS.
  writeFileSync(join(root, 'etc/nsswitch.conf'), 'hosts: files dns\n');
  mkdirSync(join(root, 'tmp'), { mode: 0o1777 });
  chmodSync(join(root, 'tmp'), 0o1777);
  for (const { program, path } of layout.programs) {
    const file = programs.path(program);
    copyInto(root, file, path, 0o755);
    for (const library of sharedLibraries(file)) copyInto(root, library, library);
  }
  for (const binary of layout.mountedBinaries ?? [])
    for (const library of sharedLibraries(binary)) copyInto(root, library, library);
  for (const tree of layout.trees ?? [])
    copyTree(root, tree.of ? programs.packageFile(tree.of, tree.path) : tree.path, tree.path, tree.skip);
  for (const [path, file] of Object.entries(layout.files ?? {})) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), file.content, { mode: file.mode });
  }
  const [uid, gid] = userIds(layout);
  for (const directory of layout.userDirectories ?? []) {
    mkdirSync(join(root, directory), { recursive: true });
    chownSync(join(root, directory), uid, gid);
  }
}

/** The Dockerfile instructions `docker import` applies to the image's configuration. */
export function importChanges(layout: ImageLayout): string[] {
  const json = (list: readonly string[]) => JSON.stringify(list);
  return [
    ...(layout.entrypoint ? [`ENTRYPOINT ${json(layout.entrypoint)}`] : []),
    ...(layout.cmd ? [`CMD ${json(layout.cmd)}`] : []),
    `USER ${layout.user}`,
    ...(layout.workdir ? [`WORKDIR ${layout.workdir}`] : []),
    `EXPOSE ${layout.exposedPort}`,
    ...(layout.volumes ? [`VOLUME ${json(layout.volumes)}`] : []),
    ...(layout.env ?? []).map((entry) => `ENV ${entry.replace('=', ' ')}`),
  ];
}

/**
 * Builds `layout` from `programs` into the engine as `layout.reference`: lays out its root in a
 * folder under `workDir`, streams it as a tarball (owners kept) into `docker import`, removes the
 * folder. Resolves to the image id.
 */
export async function buildImage(
  api: DockerApi,
  layout: ImageLayout,
  workDir: string,
  programs: ImagePrograms,
): Promise<string> {
  const root = mkdtempSync(join(workDir, 'image-'));
  // mkdtemp makes it 0700: as the image's /, every user must be able to enter it.
  chmodSync(root, 0o755);
  try {
    layOut(root, layout, programs);
    const tar = spawn('tar', ['--numeric-owner', '-C', root, '-cf', '-', '.'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const failed = new Promise<never>((_, reject) =>
      tar.once('exit', (code) => code !== 0 && reject(new Error(`tar of ${layout.reference} exited ${code}`))),
    );
    return await Promise.race([api.importImage(tar.stdout, layout.reference, importChanges(layout)), failed]);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/**
 * How an engine's image differs from its record: entrypoint, default arguments, user, working
 * directory, exposed port, volumes. Empty when it is laid out as recorded.
 */
export function imageConfigDifferences(image: ImageInspect, layout: ImageLayout): string[] {
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const expected: [string, unknown, unknown][] = [
    ['entrypoint', image.Config.Entrypoint ?? undefined, layout.entrypoint],
    ['cmd', image.Config.Cmd ?? undefined, layout.cmd],
    ['user', image.Config.User, layout.user],
    ['workdir', image.Config.WorkingDir || undefined, layout.workdir],
    ['exposed ports', Object.keys(image.Config.ExposedPorts ?? {}), [`${layout.exposedPort}/tcp`]],
    ['volumes', Object.keys(image.Config.Volumes ?? {}).sort(), [...(layout.volumes ?? [])].sort()],
  ];
  return expected
    .filter(([, actual, wanted]) => !same(actual, wanted))
    .map(([what, actual, wanted]) => `${what}: ${JSON.stringify(actual)}, recorded ${JSON.stringify(wanted)}`);
}

/**
 * The files of the layout missing from the engine's image: each program at its recorded path, and
 * the user's directories. Read through a container created (never started) from the image, then
 * removed.
 */
export async function imagePathsMissing(api: DockerApi, layout: ImageLayout): Promise<string[]> {
  const id = await api.createContainer(`paths-of-${layout.reference.replace(/[^A-Za-z0-9_.-]/g, '-')}`, {
    Image: layout.reference,
    // An image without a CMD or ENTRYPOINT (the Node one) cannot be created without a command; it never runs.
    Cmd: ['/bin/sh'],
    HostConfig: {},
  });
  try {
    const paths = [...layout.programs.map((program) => program.path), ...(layout.userDirectories ?? [])];
    const missing: string[] = [];
    for (const path of paths) await api.getArchive(id, path).catch(() => missing.push(path));
    return missing;
  } finally {
    await api.removeContainer(id, { force: true, volumes: true });
  }
}
