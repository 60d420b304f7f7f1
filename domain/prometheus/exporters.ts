/** How the exporters reach the backends they watch. */
import { TargetsConfig } from '../../config/monitoring-config';

/**
 * postgres_exporter's `DATA_SOURCE_NAME` for `target`. `password` is inserted as given: pass a
 * URL-encoded value, or (in the stack) a Terraform expression that encodes the secret at deploy.
 */
export function postgresDataSourceName(target: TargetsConfig['postgres'], password: string): string {
  const user = encodeURIComponent(target.user);
  return `postgresql://${user}:${password}@${target.host}:${target.port}/${encodeURIComponent(target.database)}?sslmode=${target.sslMode}`;
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
