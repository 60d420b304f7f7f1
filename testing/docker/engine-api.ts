/**
 * The Docker Engine API (https://docs.docker.com/reference/api/engine/version/v1.41/), the calls
 * the Docker harness makes, over the engine's unix socket. Unversioned paths: the engine answers
 * at its own API version (1.41 for Debian 12's 20.10). Every call has a time limit; an answer of
 * 400 or more throws with the engine's own message.
 */
import { request } from 'node:http';
import { Readable } from 'node:stream';

/** `Config.Healthcheck` of a container: durations in nanoseconds. */
export interface HealthConfig {
  Test: string[];
  Interval: number;
  Timeout: number;
  StartPeriod: number;
  Retries: number;
}

/** A bind, volume or tmpfs mount of `HostConfig.Mounts`. */
export interface MountSpec {
  Type: 'bind' | 'volume' | 'tmpfs';
  Source: string;
  Target: string;
  ReadOnly: boolean;
  BindOptions?: { Propagation: string };
}

/** `HostConfig` of a container, the fields the harness sets. */
export interface HostConfig {
  NetworkMode?: string;
  PidMode?: string;
  PortBindings?: Record<string, { HostIp: string; HostPort: string }[]>;
  Binds?: string[];
  Mounts?: MountSpec[];
  ExtraHosts?: string[];
  GroupAdd?: string[];
  Privileged?: boolean;
  Devices?: { PathOnHost: string; PathInContainer: string; CgroupPermissions: string }[];
  RestartPolicy?: { Name: string; MaximumRetryCount: number };
  LogConfig?: { Type: string; Config?: Record<string, string> };
  Memory?: number;
  MemorySwap?: number;
  Init?: boolean;
}

/** The body of `POST /containers/create`: `Config` fields at the top, `HostConfig` nested. */
export interface ContainerCreateBody {
  Image: string;
  Cmd?: string[];
  Entrypoint?: string[];
  Env?: string[];
  User?: string;
  Labels?: Record<string, string>;
  ExposedPorts?: Record<string, Record<string, never>>;
  Volumes?: Record<string, Record<string, never>>;
  Healthcheck?: HealthConfig;
  StopSignal?: string;
  WorkingDir?: string;
  HostConfig: HostConfig;
  NetworkingConfig?: { EndpointsConfig: Record<string, { Aliases?: string[] }> };
}

/** What `GET /containers/{id}/json` says, the parts the harness reads. */
export interface ContainerInspect {
  Id: string;
  Name: string;
  Image: string;
  State: {
    Status: string;
    Running: boolean;
    Pid: number;
    ExitCode: number;
    StartedAt: string;
    FinishedAt: string;
    Health?: { Status: 'starting' | 'healthy' | 'unhealthy'; Log: { ExitCode: number; Output: string }[] };
  };
  Config: ContainerCreateBody & { Labels: Record<string, string> };
  HostConfig: HostConfig;
  Mounts: { Type: string; Name?: string; Source: string; Destination: string; RW: boolean; Propagation: string }[];
  NetworkSettings: { Networks: Record<string, { IPAddress: string; Aliases: string[] | null }> };
}

/** What `GET /images/{name}/json` says of an image's configuration. */
export interface ImageInspect {
  Id: string;
  RepoTags: string[];
  Config: {
    User: string;
    Entrypoint: string[] | null;
    Cmd: string[] | null;
    WorkingDir: string;
    ExposedPorts?: Record<string, unknown> | null;
    Volumes?: Record<string, unknown> | null;
    StopSignal?: string;
  };
}

/** What `GET /networks/{name}` says. */
export interface NetworkInspect {
  Id: string;
  Name: string;
  Driver: string;
  Scope: string;
  Internal: boolean;
  Options: Record<string, string>;
  IPAM: {
    Config: { Subnet?: string; Gateway?: string; IPRange?: string; AuxiliaryAddresses?: Record<string, string> }[];
  };
}

interface Answer {
  status: number;
  body: Buffer;
}

interface CallOptions {
  query?: Record<string, string | number | boolean | string[]>;
  json?: unknown;
  body?: Buffer | Readable;
  contentType?: string;
  /** @default 30 s */
  timeoutMs?: number;
}

function queryString(query: CallOptions['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const one of Array.isArray(value) ? value : [value]) params.append(key, String(one));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The engine's error message: the `message` of its JSON answer, or the text as it is. */
function engineMessage(answer: Answer): string {
  const text = answer.body.toString('utf8').trim();
  try {
    return (JSON.parse(text) as { message?: string }).message ?? text;
  } catch {
    return text;
  }
}

/** A client of one engine, at its unix socket. */
export class DockerApi {
  /** @param socketPath the engine's socket, e.g. `/tmp/stm-docker-x/docker.sock` */
  constructor(readonly socketPath: string) {}

  /** `unix://<socket>`: what DOCKER_HOST and the docker provider's `host` take. */
  get host(): string {
    return `unix://${this.socketPath}`;
  }

  /** One call; resolves to the status and body whatever the status. */
  private call(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const payload = options.json === undefined ? options.body : Buffer.from(JSON.stringify(options.json));
    const headers: Record<string, string> = {};
    if (options.json !== undefined) headers['content-type'] = 'application/json';
    else if (options.contentType) headers['content-type'] = options.contentType;
    return new Promise((resolve, reject) => {
      const req = request(
        {
          socketPath: this.socketPath,
          path: `${path}${queryString(options.query)}`,
          method,
          headers,
          timeout: timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
      req.on('error', reject);
      if (payload instanceof Readable) payload.pipe(req);
      else req.end(payload);
    });
  }

  /** A call that must answer below 400; throws with the engine's message otherwise. */
  private async ok(method: string, path: string, options: CallOptions = {}): Promise<Answer> {
    const answer = await this.call(method, path, options);
    if (answer.status >= 400) throw new Error(`Docker ${method} ${path}: ${answer.status} ${engineMessage(answer)}`);
    return answer;
  }

  private async json<T>(method: string, path: string, options: CallOptions = {}): Promise<T> {
    const answer = await this.ok(method, path, options);
    return JSON.parse(answer.body.toString('utf8')) as T;
  }

  /** GET that answers undefined on 404. */
  private async inspect<T>(path: string): Promise<T | undefined> {
    const answer = await this.call('GET', path);
    if (answer.status === 404) return undefined;
    if (answer.status >= 400) throw new Error(`Docker GET ${path}: ${answer.status} ${engineMessage(answer)}`);
    return JSON.parse(answer.body.toString('utf8')) as T;
  }

  /** Whether the engine answers `GET /_ping`. */
  async ping(): Promise<boolean> {
    return this.call('GET', '/_ping', { timeoutMs: 2_000 })
      .then((answer) => answer.status === 200)
      .catch(() => false);
  }

  async version(): Promise<{ Version: string; ApiVersion: string }> {
    return this.json('GET', '/version');
  }

  /**
   * `docker import`: an image from a tarball of a root file system, tagged `reference`, with
   * Dockerfile instructions applied to its configuration (`ENTRYPOINT [...]`, `USER nobody`, ...).
   * Resolves to the image id.
   */
  async importImage(tarball: Readable, reference: string, changes: readonly string[]): Promise<string> {
    const colon = reference.lastIndexOf(':');
    const [repo, tag] =
      colon > reference.lastIndexOf('/')
        ? [reference.slice(0, colon), reference.slice(colon + 1)]
        : [reference, 'latest'];
    const answer = await this.ok('POST', '/images/create', {
      query: { fromSrc: '-', repo, tag, changes: [...changes] },
      body: tarball,
      contentType: 'application/x-tar',
      timeoutMs: 300_000,
    });
    // A stream of JSON progress lines; an error arrives as a line with "error" and a 200 status.
    const lines = answer.body.toString('utf8').split('\n').filter(Boolean);
    const failed = lines.map((line) => JSON.parse(line) as { error?: string }).find((line) => line.error);
    if (failed) throw new Error(`docker import ${reference}: ${failed.error}`);
    const image = await this.inspectImage(reference);
    if (!image) throw new Error(`docker import ${reference}: no image afterwards`);
    return image.Id;
  }

  async inspectImage(reference: string): Promise<ImageInspect | undefined> {
    return this.inspect(`/images/${encodeURIComponent(reference)}/json`);
  }

  async createNetwork(name: string, labels: Record<string, string>): Promise<string> {
    return (
      await this.json<{ Id: string }>('POST', '/networks/create', {
        json: { Name: name, CheckDuplicate: true, Labels: labels },
      })
    ).Id;
  }

  async inspectNetwork(name: string): Promise<NetworkInspect | undefined> {
    return this.inspect(`/networks/${encodeURIComponent(name)}`);
  }

  /** `POST /networks/{network}/connect`: the container joins the network, with these aliases. */
  async connectNetwork(network: string, container: string, aliases: readonly string[]): Promise<void> {
    await this.ok('POST', `/networks/${encodeURIComponent(network)}/connect`, {
      json: { Container: container, EndpointConfig: { Aliases: aliases.length > 0 ? aliases : undefined } },
    });
  }

  /** `POST /networks/{network}/disconnect`; answers false when the container was not on it. */
  async disconnectNetwork(network: string, container: string): Promise<boolean> {
    const path = `/networks/${encodeURIComponent(network)}/disconnect`;
    const answer = await this.call('POST', path, { json: { Container: container, Force: false } });
    if (answer.status < 400) return true;
    const message = engineMessage(answer);
    if (message.includes('is not connected to the network')) return false;
    throw new Error(`Docker POST ${path}: ${answer.status} ${message}`);
  }

  async createVolume(name: string, labels: Record<string, string>): Promise<void> {
    await this.ok('POST', '/volumes/create', { json: { Name: name, Labels: labels } });
  }

  /** `docker volume rm`: the volume and its data; Docker refuses while a container uses it. */
  async removeVolume(name: string): Promise<void> {
    await this.ok('DELETE', `/volumes/${encodeURIComponent(name)}`);
  }

  /** Creates a container; resolves to its id. */
  async createContainer(name: string, body: ContainerCreateBody): Promise<string> {
    return (await this.json<{ Id: string }>('POST', '/containers/create', { query: { name }, json: body })).Id;
  }

  async startContainer(id: string): Promise<void> {
    await this.ok('POST', `/containers/${encodeURIComponent(id)}/start`);
  }

  /** `docker stop -t <seconds>`: SIGTERM (or the image's stop signal), SIGKILL after `seconds`. */
  async stopContainer(id: string, seconds: number): Promise<void> {
    await this.ok('POST', `/containers/${encodeURIComponent(id)}/stop`, {
      query: { t: seconds },
      timeoutMs: (seconds + 30) * 1000,
    });
  }

  /** `docker rm`; `force` kills a running container first, `volumes` removes its anonymous volumes. */
  async removeContainer(id: string, options: { force: boolean; volumes: boolean }): Promise<void> {
    await this.ok('DELETE', `/containers/${encodeURIComponent(id)}`, {
      query: { force: options.force, v: options.volumes },
    });
  }

  async inspectContainer(id: string): Promise<ContainerInspect | undefined> {
    return this.inspect(`/containers/${encodeURIComponent(id)}/json`);
  }

  /** Names of every container, running or not. */
  async containerNames(): Promise<string[]> {
    const list = await this.json<{ Names: string[] }[]>('GET', '/containers/json', { query: { all: true } });
    return list.map((container) => container.Names[0].replace(/^\//, ''));
  }

  /**
   * `docker logs --tail <lines>`: stdout and stderr, interleaved. Without a TTY the engine frames
   * each chunk with an 8-byte header (stream, 3 zero bytes, big-endian length), dropped here.
   */
  async logs(id: string, lines: number): Promise<string> {
    const { body } = await this.ok('GET', `/containers/${encodeURIComponent(id)}/logs`, {
      query: { stdout: true, stderr: true, tail: lines },
    });
    const chunks: Buffer[] = [];
    for (let offset = 0; offset + 8 <= body.length;) {
      const length = body.readUInt32BE(offset + 4);
      chunks.push(body.subarray(offset + 8, offset + 8 + length));
      offset += 8 + length;
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  /** `PUT /containers/{id}/archive`: a tar extracted at `path` in the container's file system. */
  async putArchive(id: string, path: string, tar: Buffer): Promise<void> {
    await this.ok('PUT', `/containers/${encodeURIComponent(id)}/archive`, {
      query: { path },
      body: tar,
      contentType: 'application/x-tar',
    });
  }

  /** `GET /containers/{id}/archive`: a tar of `path` in the container's file system. */
  async getArchive(id: string, path: string): Promise<Buffer> {
    return (await this.ok('GET', `/containers/${encodeURIComponent(id)}/archive`, { query: { path } })).body;
  }
}
