/**
 * Stock Tracker's side, as containers on its compose network, named as its docker-compose.yml names
 * them (container `stock-tracker-<service>`, the service's name as its alias on the network): Redis
 * and PostgreSQL from Debian's programs, the Stock Tracker simulator as `api` (the real service's
 * metric shapes), a stand-in of the compose file's `celery-exporter` (its series shapes), API
 * replicas labelled for Prometheus' Docker discovery, and the fake Telegram Bot API, which
 * Alertmanager reaches by its name. The harness reads what the fake received through a port
 * published on 127.0.0.1.
 */
import { realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import { SCRAPE_LABELS } from '../../core/components';
import { SentMessage } from '../fake-telegram';
import { freePort, waitFor } from '../processes';
import { ContainerCreateBody, DockerApi, HealthConfig } from './engine-api';
import { TelegramRecord } from './stand-in';

/**
 * The compose network of Stock Tracker started from a clone of its repository (`Stock-Tracker-`):
 * compose names it `<project>_stock-tracker-network`, the project after the directory, lower-cased.
 */
export const APPLICATION_NETWORK = 'stock-tracker-_stock-tracker-network';

/** The services the harness runs, by their compose names. */
export type Service = 'redis' | 'postgres' | 'api' | 'celery-exporter' | 'telegram';

/** The fake Bot API's container, its port, and the port of its record. */
const TELEGRAM = { name: 'fake-telegram-bot-api', port: 8081, recordPort: 8082 } as const;

/** The image references the application's containers run. */
export interface ApplicationImages {
  redis: string;
  postgres: string;
  node: string;
}

export interface ApplicationOptions {
  api: DockerApi;
  images: ApplicationImages;
  /** The compose file's POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_DB. */
  postgres: { user: string; password: string; database: string };
  /** API replicas labelled for discovery at the start. */
  replicas: number;
  /** How long each container may take to be healthy. @default 90 s */
  readyTimeoutMs?: number;
}

const ROOT = join(__dirname, '..', '..');

const seconds = (count: number) => count * 1e9;

function healthcheck(test: string[], intervalSeconds: number): HealthConfig {
  return { Test: test, Interval: seconds(intervalSeconds), Timeout: seconds(5), StartPeriod: 0, Retries: 5 };
}

/** The checkout, and its node_modules where it lives elsewhere (a link), mounted read-only at the same paths. */
function checkoutBinds(): string[] {
  const modules = realpathSync(join(ROOT, 'node_modules'));
  const inside = !relative(ROOT, modules).startsWith('..');
  return [`${ROOT}:${ROOT}:ro`, ...(inside ? [] : [`${modules}:${modules}:ro`])];
}

/** A Node container running a stand-in (./stand-in.ts) from the checkout, healthy once `path` answers on `port`. */
function standIn(image: string, args: string[], port: number, path: string): Omit<ContainerCreateBody, 'HostConfig'> {
  return {
    Image: image,
    Cmd: [
      '/usr/local/bin/node',
      join(ROOT, 'node_modules', 'ts-node', 'dist', 'bin.js'),
      '--transpile-only',
      join(__dirname, 'stand-in.ts'),
      ...args,
    ],
    WorkingDir: ROOT,
    Healthcheck: healthcheck(['CMD', 'wget', '-q', '--spider', `http://127.0.0.1:${port}${path}`], 2),
  };
}

/** What the fake Bot API in its container received, read from outside through its published record port. */
export class RemoteTelegram {
  /** @param recordUrl `http://127.0.0.1:<port>/recorded` */
  constructor(readonly recordUrl: string) {}

  async recorded(): Promise<TelegramRecord> {
    const response = await fetch(this.recordUrl, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`${this.recordUrl} answered ${response.status}`);
    return (await response.json()) as TelegramRecord;
  }

  /** Messages Telegram would have shown (answered 200). */
  async delivered(): Promise<SentMessage[]> {
    return (await this.recorded()).attempts.filter((message) => message.status === 200);
  }

  /** Waits until `count` delivered messages match `predicate`; returns them. */
  async waitForDelivered(
    what: string,
    predicate: (message: SentMessage) => boolean,
    count: number,
    timeoutMs: number,
  ): Promise<SentMessage[]> {
    return waitFor(
      `${count} Telegram message(s): ${what}`,
      async () => {
        const found = (await this.delivered()).filter(predicate);
        return found.length >= count ? found : undefined;
      },
      timeoutMs,
      1_000,
    );
  }
}

export class Application {
  private replicas = 0;

  private constructor(
    private readonly options: ApplicationOptions,
    readonly telegram: RemoteTelegram,
  ) {}

  /** The Bot API URL Alertmanager is given: the fake, by its name on the network. */
  static readonly telegramApiUrl = `http://${TELEGRAM.name}:${TELEGRAM.port}`;

  /** The container of a service, as compose names it. */
  static containerName(service: Service): string {
    return service === 'telegram' ? TELEGRAM.name : `stock-tracker-${service}`;
  }

  /** The name of the `n`th API replica found by discovery (from 1). */
  static replicaName(n: number): string {
    return `stock-tracker-api-replica-${n}`;
  }

  /** Creates the network and every container, and waits until each is healthy. */
  static async start(options: ApplicationOptions): Promise<Application> {
    const { api } = options;
    await api.createNetwork(APPLICATION_NETWORK, { 'com.docker.compose.network': 'stock-tracker-network' });
    const recordPort = await freePort();
    const app = new Application(options, new RemoteTelegram(`http://127.0.0.1:${recordPort}/recorded`));
    const { images, postgres } = options;
    const services: Record<Service, ContainerCreateBody> = {
      // docker-compose.yml: postgres:15-alpine with POSTGRES_*, healthy on `pg_isready -U <user>` every 10 s;
      // the image's STOPSIGNAL SIGINT (a fast shutdown), which `docker import` could not record.
      postgres: {
        Image: images.postgres,
        Env: [
          `POSTGRES_USER=${postgres.user}`,
          `POSTGRES_PASSWORD=${postgres.password}`,
          `POSTGRES_DB=${postgres.database}`,
        ],
        StopSignal: 'SIGINT',
        Healthcheck: healthcheck(['CMD-SHELL', `pg_isready -U ${postgres.user}`], 10),
        HostConfig: {},
      },
      // docker-compose.yml: redis:7-alpine with its command, healthy on `redis-cli ping` every 10 s.
      redis: {
        Image: images.redis,
        Cmd: ['redis-server', '--appendonly', 'yes', '--maxmemory', '512mb', '--maxmemory-policy', 'allkeys-lru'],
        Healthcheck: healthcheck(['CMD', 'redis-cli', 'ping'], 10),
        HostConfig: {},
      },
      api: {
        ...standIn(images.node, ['api', '--port', '8000', '--redis', 'redis:6379'], 8000, '/api/v1/health/'),
        HostConfig: {},
      },
      'celery-exporter': {
        ...standIn(images.node, ['celery-exporter', '--port', '9808', '--redis', 'redis:6379'], 9808, '/health'),
        HostConfig: {},
      },
      telegram: {
        ...standIn(
          images.node,
          ['telegram', '--port', String(TELEGRAM.port), '--record-port', String(TELEGRAM.recordPort)],
          TELEGRAM.recordPort,
          '/recorded',
        ),
        ExposedPorts: { [`${TELEGRAM.recordPort}/tcp`]: {} },
        HostConfig: {
          PortBindings: { [`${TELEGRAM.recordPort}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(recordPort) }] },
        },
      },
    };
    await Promise.all(
      Object.entries(services).map(([service, body]) =>
        app.create(Application.containerName(service as Service), body, service),
      ),
    );
    await app.scaleReplicas(options.replicas);
    return app;
  }

  /** Creates a container on the network with these aliases, starts it, and waits until it is healthy. */
  private async create(name: string, body: ContainerCreateBody, alias: string): Promise<void> {
    const { api } = this.options;
    const binds = body.Image === this.options.images.node ? checkoutBinds() : [];
    const id = await api.createContainer(name, {
      ...body,
      HostConfig: { ...body.HostConfig, Binds: binds, NetworkMode: APPLICATION_NETWORK },
      NetworkingConfig: { EndpointsConfig: { [APPLICATION_NETWORK]: { Aliases: [alias] } } },
    });
    await api.startContainer(id);
    await this.healthy(name);
  }

  private async healthy(name: string): Promise<void> {
    await waitFor(
      `${name} to be healthy`,
      async () => (await this.options.api.inspectContainer(name))?.State.Health?.Status === 'healthy',
      this.options.readyTimeoutMs ?? 90_000,
      500,
    );
  }

  /** Runs `count` API replicas labelled for discovery (`stock-tracker.scrape.job: api`), adding what is missing. */
  async scaleReplicas(count: number): Promise<void> {
    const added: Promise<void>[] = [];
    for (let n = this.replicas + 1; n <= count; n++) {
      const name = Application.replicaName(n);
      const body = standIn(this.options.images.node, ['api', '--port', '8000'], 8000, '/api/v1/health/');
      added.push(
        this.create(
          name,
          { ...body, Labels: { [SCRAPE_LABELS.job]: 'api', [SCRAPE_LABELS.port]: '8000' }, HostConfig: {} },
          name,
        ),
      );
    }
    await Promise.all(added);
    this.replicas = Math.max(this.replicas, count);
  }

  /** `docker compose stop <service>`: Docker's 10 s before SIGKILL. */
  async stop(service: Service): Promise<void> {
    await this.options.api.stopContainer(Application.containerName(service), 10);
  }

  /** `docker compose start <service>`, then healthy again. */
  async start(service: Service): Promise<void> {
    await this.options.api.startContainer(Application.containerName(service));
    await this.healthy(Application.containerName(service));
  }
}
