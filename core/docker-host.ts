/**
 * Where a Docker daemon answers, from `dockerHost` (`DOCKER_HOST`): its socket for `unix://`, a host
 * and port for plain `tcp://` (2375 when none is given). `ssh://` daemons are reached by the Docker
 * CLI through ssh, not over HTTP: they are not reachable from here.
 */
export type DockerEndpoint = { socketPath: string } | { host: string; port: number };

/** The HTTP endpoint of the daemon at `dockerHost`; throws, saying which schemes are, for any other. */
export function dockerEndpoint(dockerHost: string): DockerEndpoint {
  const url = new URL(dockerHost);
  if (url.protocol === 'unix:') return { socketPath: url.pathname };
  if (url.protocol === 'tcp:') return { host: url.hostname, port: Number(url.port || 2375) };
  throw new Error(`${url.protocol}// daemons are not asked (only unix:// and tcp://)`);
}
