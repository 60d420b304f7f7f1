/** How the exporters reach the backends they watch. */
import { TargetsConfig } from '../../config/monitoring-config';

/**
 * postgres_exporter's environment for `target`: the address in `DATA_SOURCE_URI`, the user in
 * `DATA_SOURCE_USER`, and the password, exactly as given, in `PGPASSWORD`, which the exporter's
 * PostgreSQL driver (lib/pq, v1.10.6 to v1.12.3) reads itself when the connection string carries no
 * password. The exporter builds its connection string from `DATA_SOURCE_URI` and `DATA_SOURCE_USER`
 * (`url.UserPassword(user, pass)`, with `DATA_SOURCE_PASS` unset: no password in it), so the password
 * never enters a URL or a connection string: nothing to encode, nothing to quote. Not
 * `DATA_SOURCE_PASS`: every released exporter (v0.11.1 to v0.20.1) splits the connection string it
 * builds at spaces (`parseFingerprint`) and refuses one whose password has a space ("malformed dsn":
 * v0.11 exits, later ones report pg_up 0; upstream issue #393). In the stack `password` is the
 * Terraform expression of the secret, filled in at deploy. `DATA_SOURCE_NAME`, when set, would win
 * over all of this: neither the stack nor the tests set it.
 */
export function postgresExporterEnv(target: TargetsConfig['postgres'], password: string): Record<string, string> {
  return {
    DATA_SOURCE_URI: `${target.host}:${target.port}/${encodeURIComponent(target.database)}?sslmode=${target.sslMode}`,
    DATA_SOURCE_USER: target.user,
    PGPASSWORD: password,
  };
}

/** `NAME=value` entries of an environment, in its order: what a container's `env` holds. */
export function envEntries(env: Readonly<Record<string, string>>): string[] {
  return Object.entries(env).map(([name, value]) => `${name}=${value}`);
}

/** redis_exporter's `REDIS_ADDR` for a `host:port`. */
export function redisAddress(target: TargetsConfig['redis']): string {
  return `redis://${target}`;
}

/**
 * The celery-exporter's broker URL: the application's Redis and the database Celery uses, with
 * `password` (URL-encoded, or a Terraform expression that encodes the secret) when Redis asks for one.
 */
export function celeryBrokerUrl(
  target: Pick<TargetsConfig, 'redis' | 'celeryBrokerDatabase'>,
  password?: string,
): string {
  const credentials = password === undefined ? '' : `:${password}@`;
  return `redis://${credentials}${target.redis}/${target.celeryBrokerDatabase}`;
}
