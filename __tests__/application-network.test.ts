/**
 * Finding the application's network from its container, as `cdktf synth` does when
 * MONITORING_DOCKER_NETWORK is not set: asked of a stand-in for the Docker Engine API on a unix
 * socket, answering `GET /containers/<name>/json` the way the engine does (NetworkSettings.Networks
 * keyed by network name). The real engine answers the same in the Docker e2e suite.
 */
import { createServer, Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMPOSE_NETWORK_KEY, findApplicationNetwork } from '../targets/docker/application-network';
import { ConfigError } from '../config/errors';
import { withApplicationNetwork } from '../main';
import { loadMonitoringConfig } from '../config/load';

/** Containers by name: the names of the networks each is on. */
type Engine = Record<string, string[]>;

async function withEngine(
  containers: Engine,
  body: (host: string, requests: string[]) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'stm-engine-'));
  const socket = join(dir, 'docker.sock');
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    requests.push(`${request.method} ${request.url}`);
    const name = /^\/containers\/([^/]+)\/json$/.exec(request.url ?? '')?.[1];
    const networks = name === undefined ? undefined : containers[decodeURIComponent(name)];
    if (!networks) {
      response
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ message: `No such container: ${name}` }));
      return;
    }
    const settings = Object.fromEntries(networks.map((network) => [network, { IPAddress: '172.18.0.5' }]));
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ Name: `/${name}`, NetworkSettings: { Networks: settings } }));
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  try {
    await body(`unix://${socket}`, requests);
  } finally {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The one problem of a ConfigError: field and reason. */
async function problemOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(error)}`);
  return error.problems.map((p) => `${p.field}: ${p.reason}`).join('\n');
}

describe('the application network, found from its container', () => {
  test('the network compose made from stock-tracker-network, whatever the project is called', async () => {
    await withEngine({ 'stock-tracker-api': [`stock-tracker-_${COMPOSE_NETWORK_KEY}`] }, async (host, requests) => {
      expect(await findApplicationNetwork(host, 'stock-tracker-api')).toBe('stock-tracker-_stock-tracker-network');
      expect(requests).toEqual(['GET /containers/stock-tracker-api/json']);
    });
  });

  test('the compose network among others; else the only user-defined one', async () => {
    await withEngine(
      { api: ['bridge', 'shop_stock-tracker-network', 'shop_public'], single: ['bridge', 'shop_backend'] },
      async (host) => {
        expect(await findApplicationNetwork(host, 'api')).toBe('shop_stock-tracker-network');
        expect(await findApplicationNetwork(host, 'single')).toBe('shop_backend');
      },
    );
  });

  test('a clear error, naming the setting, when the container is missing, ambiguous or on no network of its own', async () => {
    await withEngine({ ambiguous: ['a_net', 'b_net'], lonely: ['bridge'] }, async (host) => {
      expect(await problemOf(findApplicationNetwork(host, 'stock-tracker-api'))).toBe(
        `dockerNetwork (MONITORING_DOCKER_NETWORK): is needed: no container stock-tracker-api on ${host}. Start Stock Tracker first, or set applicationContainer (MONITORING_APP_CONTAINER) or the network itself (docker network ls)`,
      );
      expect(await problemOf(findApplicationNetwork(host, 'ambiguous'))).toContain(
        "container ambiguous is on a_net, b_net; set the one the application's services share",
      );
      expect(await problemOf(findApplicationNetwork(host, 'lonely'))).toContain(
        'is on no user-defined network (bridge)',
      );
    });
  });

  test('no daemon, or one that cannot be asked (ssh://): the error says to set the network', async () => {
    expect(await problemOf(findApplicationNetwork('unix:///nonexistent/docker.sock', 'stock-tracker-api'))).toMatch(
      /^dockerNetwork \(MONITORING_DOCKER_NETWORK\): is needed: the Docker daemon at unix:\/\/\/nonexistent\/docker.sock could not be asked for the networks of stock-tracker-api \(connect ENOENT/,
    );
    expect(await problemOf(findApplicationNetwork('ssh://deploy@host', 'stock-tracker-api'))).toContain(
      '(ssh:// daemons are not asked (only unix:// and tcp://))',
    );
  });

  test('synth asks only when the network is not given, and only for the Docker target', async () => {
    await withEngine({ 'stock-tracker-api': ['st_stock-tracker-network'] }, async (host, requests) => {
      expect((await withApplicationNetwork(loadMonitoringConfig({ DOCKER_HOST: host }))).dockerNetwork).toBe(
        'st_stock-tracker-network',
      );
      expect(
        (await withApplicationNetwork(loadMonitoringConfig({ DOCKER_HOST: host, MONITORING_DOCKER_NETWORK: 'given' })))
          .dockerNetwork,
      ).toBe('given');
      expect(
        (
          await withApplicationNetwork(
            loadMonitoringConfig({ DOCKER_HOST: host, MONITORING_TARGET: 'kubernetes', K8S_CONTEXT: 'prod' }),
          )
        ).dockerNetwork,
      ).toBeUndefined();
      expect(requests).toHaveLength(1);
    });
  });
});
