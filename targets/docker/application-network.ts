/**
 * Finds the application's Docker network from one of its running containers, for a deploy that
 * does not name it. Stock Tracker's compose file declares the network `stock-tracker-network`
 * without a fixed name, so Docker calls it `<compose project>_stock-tracker-network`, and the
 * project is named after the directory compose was started from: no default can guess it, but
 * the API container (`container_name: stock-tracker-api`) knows it.
 *
 * Asked through the Docker Engine API (`GET /containers/<name>/json`) at `dockerHost`, the same
 * daemon the stack deploys to, over a `unix://` socket or plain `tcp://`. Every failure is a
 * `ConfigError` naming `dockerNetwork` and how to set it.
 */
import { request } from 'node:http';
import { ConfigError } from '../../config/errors';
import { dockerEndpoint } from '../../core/docker-host';

/** The compose network key in Stock Tracker's docker-compose.yml; Docker prefixes it with the project. */
export const COMPOSE_NETWORK_KEY = 'stock-tracker-network';

/** Networks Docker gives every host and that no application declares. */
const DOCKER_DEFAULT_NETWORKS = ['bridge', 'host', 'none'];

const SETTING = 'dockerNetwork (MONITORING_DOCKER_NETWORK)';

/** How long the daemon may take to answer, in ms. */
const TIMEOUT_MS = 5_000;

interface ContainerInspect {
  NetworkSettings?: { Networks?: Record<string, unknown> };
}

function problem(value: string, reason: string): ConfigError {
  return new ConfigError([{ field: SETTING, value, reason }]);
}

/** GET `path` on the Docker daemon at `dockerHost`: status and body. */
function dockerGet(dockerHost: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const target = dockerEndpoint(dockerHost);
    const req = request({ ...target, path, method: 'GET', timeout: TIMEOUT_MS }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end();
  });
}

/**
 * The network of `container` to join: the one compose made from `stock-tracker-network`, or its
 * only user-defined network. Throws `ConfigError` when the daemon cannot be asked, the container
 * does not exist, or its networks leave a choice.
 */
export async function findApplicationNetwork(dockerHost: string, container: string): Promise<string> {
  const answer = await dockerGet(dockerHost, `/containers/${encodeURIComponent(container)}/json`).catch(
    (error: Error) => {
      throw problem(
        '(not set)',
        `is needed: the Docker daemon at ${dockerHost} could not be asked for the networks of ${container} (${error.message})`,
      );
    },
  );
  if (answer.status === 404) {
    throw problem(
      '(not set)',
      `is needed: no container ${container} on ${dockerHost}. Start Stock Tracker first, or set applicationContainer (MONITORING_APP_CONTAINER) or the network itself (docker network ls)`,
    );
  }
  if (answer.status !== 200)
    throw problem(
      '(not set)',
      `is needed: the Docker daemon at ${dockerHost} answered ${answer.status} for container ${container}`,
    );
  const networks = Object.keys((JSON.parse(answer.body) as ContainerInspect).NetworkSettings?.Networks ?? {});
  const own = networks.filter((name) => !DOCKER_DEFAULT_NETWORKS.includes(name));
  const compose = own.filter((name) => name.endsWith(`_${COMPOSE_NETWORK_KEY}`) || name === COMPOSE_NETWORK_KEY);
  if (compose.length === 1) return compose[0];
  if (own.length === 1) return own[0];
  throw problem(
    '(not set)',
    own.length === 0
      ? `is needed: container ${container} is on no user-defined network (${networks.join(', ') || 'none'}); the stack must share one with the application`
      : `is needed: container ${container} is on ${own.join(', ')}; set the one the application's services share`,
  );
}
