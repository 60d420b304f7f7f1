/**
 * The Docker Engine API (https://docs.docker.com/reference/api/engine/), the parts `npm run backup`
 * and `npm run restore` use: inspect, stop and start a container, read and write files of it (its
 * volumes included) as tar streams, and run a short-lived helper container. Over the daemon's
 * `unix://` socket or plain `tcp://`, as `dockerHost` says. Every request has a time limit on
 * silence: a stream may take as long as it keeps flowing.
 */
import { IncomingHttpHeaders, IncomingMessage, request } from 'node:http';
import { Readable } from 'node:stream';
import { dockerEndpoint } from '../core/docker-host';

/** What `GET /containers/{name}/json` says, the parts read here. */
export interface ContainerInspect {
  Id: string;
  /** The image's id (`sha256:...`). */
  Image: string;
  Config: { User: string; Image: string };
  State: { Running: boolean; Status: string };
  Mounts: { Type: string; Name?: string; Destination: string }[];
}

/** What `HEAD /containers/{name}/archive` says of a path (its `X-Docker-Container-Path-Stat` header). */
export interface PathStat {
  name: string;
  size: number;
  /** RFC 3339. */
  mtime: string;
}

/** An answer whose body is still to be read. */
interface StreamingAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: IncomingMessage;
}

/** A Docker Engine API client for the daemon at one `dockerHost`. */
export class DockerEngine {
  /**
   * @param dockerHost `unix:///var/run/docker.sock` or `tcp://host:2375` (config `dockerHost`)
   * @param timeoutMs longest silence of the daemon within a request, in ms
   */
  constructor(
    readonly dockerHost: string,
    readonly timeoutMs: number,
  ) {}

  /** `GET /containers/{name}/json`; undefined when there is no such container. */
  async inspect(container: string): Promise<ContainerInspect | undefined> {
    const answer = await this.call('GET', `/containers/${encodeURIComponent(container)}/json`);
    if (answer.status === 404) return undefined;
    return JSON.parse(await this.expectOk(answer, `inspect ${container}`)) as ContainerInspect;
  }

  /** Stops a running container: SIGTERM, then SIGKILL after `graceSeconds`. */
  async stop(container: string, graceSeconds: number): Promise<void> {
    // 304: already stopped.
    const answer = await this.call('POST', `/containers/${encodeURIComponent(container)}/stop?t=${graceSeconds}`, {
      timeoutMs: this.timeoutMs + graceSeconds * 1000,
    });
    if (answer.status !== 304) await this.expectOk(answer, `stop ${container}`);
  }

  async start(container: string): Promise<void> {
    const answer = await this.call('POST', `/containers/${encodeURIComponent(container)}/start`);
    if (answer.status !== 304) await this.expectOk(answer, `start ${container}`);
  }

  /** The stat of `path` in the container, or undefined when it does not exist. */
  async stat(container: string, path: string): Promise<PathStat | undefined> {
    const answer = await this.call('HEAD', archivePath(container, path));
    answer.body.resume();
    if (answer.status === 404) return undefined;
    await this.expectOk(answer, `stat ${path} in ${container}`);
    const header = answer.headers['x-docker-container-path-stat'];
    if (typeof header !== 'string') throw new Error(`Docker did not say what ${path} in ${container} is`);
    return JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as PathStat;
  }

  /** `path` of the container (file or directory, volumes included) as a tar stream, under its own name. */
  async readArchive(container: string, path: string): Promise<Readable> {
    const answer = await this.call('GET', archivePath(container, path));
    if (answer.status !== 200) await this.expectOk(answer, `copy ${path} out of ${container}`);
    return answer.body;
  }

  /**
   * Extracts the tar stream `tar` into directory `path` of the (possibly stopped) container, each
   * file owned as its tar header says. (Not `copyUIDGID`: Docker 20.10 looks the container's user up
   * in the host's passwd database, and a host without Grafana's uid 472 refuses the copy.)
   */
  async writeArchive(container: string, path: string, tar: Readable): Promise<void> {
    const answer = await this.call('PUT', archivePath(container, path), {
      body: tar,
      headers: { 'content-type': 'application/x-tar' },
    });
    await this.expectOk(answer, `copy into ${path} of ${container}`);
  }

  /**
   * Runs `script` with `sh -c` in a new container of `image`, as root, without a network, with the
   * named volume `volume` at `mountPath`; waits for it (at most `waitMs`), removes it, and throws
   * unless it exited 0.
   */
  async runHelper(options: {
    image: string;
    volume: string;
    mountPath: string;
    script: string;
    waitMs: number;
  }): Promise<void> {
    const created = await this.call('POST', '/containers/create', {
      json: {
        Image: options.image,
        Entrypoint: ['/bin/sh', '-c'],
        Cmd: [options.script],
        User: '0',
        NetworkDisabled: true,
        HostConfig: { Binds: [`${options.volume}:${options.mountPath}`], NetworkMode: 'none' },
      },
    });
    const { Id: id } = JSON.parse(await this.expectOk(created, `create a helper container of ${options.image}`)) as {
      Id: string;
    };
    try {
      await this.expectOk(await this.call('POST', `/containers/${id}/start`), 'start the helper container');
      const waited = await this.call('POST', `/containers/${id}/wait`, { timeoutMs: options.waitMs });
      const { StatusCode: code } = JSON.parse(await this.expectOk(waited, 'wait for the helper container')) as {
        StatusCode: number;
      };
      if (code !== 0) throw new Error(`the helper container on volume ${options.volume} exited ${code}`);
    } finally {
      await this.call('DELETE', `/containers/${id}?force=1`).then(
        (answer) => answer.body.resume(),
        () => undefined,
      );
    }
  }

  private async expectOk(answer: StreamingAnswer, what: string): Promise<string> {
    const text = await readText(answer.body);
    if (answer.status >= 200 && answer.status < 300) return text;
    const message = (() => {
      try {
        return (JSON.parse(text) as { message?: string }).message ?? text;
      } catch {
        return text;
      }
    })();
    throw new Error(`Docker at ${this.dockerHost} could not ${what}: ${answer.status} ${message.trim()}`);
  }

  private call(
    method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    options: { json?: unknown; body?: Readable; headers?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<StreamingAnswer> {
    return new Promise((resolve, reject) => {
      const timeoutMs = options.timeoutMs ?? this.timeoutMs;
      const headers = {
        ...options.headers,
        ...(options.json === undefined ? {} : { 'content-type': 'application/json' }),
      };
      const req = request({ ...dockerEndpoint(this.dockerHost), path, method, headers, timeout: timeoutMs }, (res) =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res }),
      );
      req.on('timeout', () =>
        req.destroy(new Error(`no answer from Docker within ${timeoutMs} ms (${method} ${path})`)),
      );
      req.on('error', (error: Error) => reject(new Error(`Docker at ${this.dockerHost}: ${error.message}`)));
      if (options.body) {
        options.body.on('error', (error) => req.destroy(error));
        options.body.pipe(req);
      } else req.end(options.json === undefined ? undefined : JSON.stringify(options.json));
    });
  }
}

function archivePath(container: string, path: string): string {
  return `/containers/${encodeURIComponent(container)}/archive?path=${encodeURIComponent(path)}`;
}

async function readText(body: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
