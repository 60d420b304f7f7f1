/**
 * A heartbeat service on loopback (a stand-in for healthchecks.io, Dead Man's Snitch, ...): the
 * Watchdog's webhook (`alerting.watchdogHeartbeatUrl`) posts here. It records every ping and
 * answers as healthchecks.io does (200, `OK`). It lives apart from the fake Telegram API, as the
 * real service does: a broken Telegram does not break it, so its silence is the outside alarm.
 */
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { waitFor } from './processes';

export interface Ping {
  method: string;
  path: string;
  body: string;
  receivedAt: number;
}

export class FakeHeartbeat {
  /** Every ping, in order. */
  readonly pings: Ping[] = [];

  private constructor(private readonly server: Server) {}

  /** Listens on 127.0.0.1:`port` (0: any free port). */
  static async start(port = 0): Promise<FakeHeartbeat> {
    const server = createServer();
    const fake = new FakeHeartbeat(server);
    server.on('request', (request, response) => void fake.handle(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return fake;
  }

  /** The check's ping URL: what to put in `alerting.watchdogHeartbeatUrl`. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/ping/loopback-check`;
  }

  /** The last ping's time, or undefined before the first. */
  get lastPingAt(): number | undefined {
    return this.pings[this.pings.length - 1]?.receivedAt;
  }

  /** Pings received at or after `since`. */
  pingsSince(since: number): Ping[] {
    return this.pings.filter((ping) => ping.receivedAt >= since);
  }

  /** Waits until `count` pings arrived at or after `since`; returns them. */
  async waitForPings(what: string, since: number, count = 1, timeoutMs = 15_000): Promise<Ping[]> {
    return waitFor(
      `${count} heartbeat ping(s) ${what}`,
      async () => {
        const found = this.pingsSince(since);
        return found.length >= count ? found : undefined;
      },
      timeoutMs,
      50,
    );
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    this.pings.push({
      method: request.method ?? '',
      path: request.url ?? '',
      body: Buffer.concat(chunks).toString('utf8'),
      receivedAt: Date.now(),
    });
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('OK');
  }
}
