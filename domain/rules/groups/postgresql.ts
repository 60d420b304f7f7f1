/** PostgreSQL's rules, through postgres-exporter: the database down, and its connections filling up. */
import { Duration } from '../../../core/duration';
import { JOB } from '../../../core/components';
import { METRICS } from '../../metrics';
import { RECORDINGS } from '../../metrics/recordings';
import { THRESHOLDS, formatLevel } from '../../metrics/thresholds';
import { gt, select } from '../../metrics/promql';
import { BACKEND_RECOVERY, backendDown, level } from '../conditions';
import { $label, $labelOr, $value, alert, ruleGroup, t } from '../model';

const PostgreSQLDown = alert({
  name: 'PostgreSQLDown',
  expr: backendDown(METRICS.postgres.up, JOB.postgresExporter),
  for: Duration.minutes(1),
  keepFiringFor: BACKEND_RECOVERY,
  severity: 'critical',
  panel: { dashboard: 'overview', title: 'PostgreSQL' },
  summary: t`PostgreSQL is unreachable (seen by ${$labelOr('instance', 'no postgres-exporter target')})`,
  // What it holds back first: a message shows the description's first 200 characters.
  description: t`The API answers 5xx and syncs and other Celery tasks fail: HighErrorRate, HighLatency and the SLO alerts are held back while it fires. pg_up is 0, or job ${$label('job')} cannot be scraped.`,
});

const DatabaseConnectionPoolExhausted = alert({
  name: 'DatabaseConnectionPoolExhausted',
  expr: gt(select(RECORDINGS.postgresConnections), level(THRESHOLDS.postgresConnections, 'critical')),
  for: Duration.minutes(2),
  severity: 'critical',
  panel: { dashboard: 'infrastructure', title: 'PostgreSQL connections' },
  summary: t`PostgreSQL ${$label('instance')} has ${$value('number')} connections`,
  description: t`More than ${formatLevel(THRESHOLDS.postgresConnections, 'critical')} (server connections, all databases) on ${$label('instance')} for 2 minutes: the pool is nearly exhausted and new connections are about to be refused.`,
});

const HighDatabaseConnections = alert({
  name: 'HighDatabaseConnections',
  expr: gt(select(RECORDINGS.postgresConnections), level(THRESHOLDS.postgresConnections, 'warning')),
  for: Duration.minutes(5),
  severity: 'warning',
  panel: { dashboard: 'infrastructure', title: 'PostgreSQL connections' },
  summary: t`PostgreSQL ${$label('instance')} has ${$value('number')} connections`,
  description: t`More than ${formatLevel(THRESHOLDS.postgresConnections, 'warning')} (server connections, all databases) on ${$label('instance')} for 5 minutes; at ${formatLevel(THRESHOLDS.postgresConnections, 'critical')} the pool is exhausted.`,
});

export const POSTGRESQL = ruleGroup('postgresql', [RECORDINGS.postgresConnections], {
  PostgreSQLDown,
  DatabaseConnectionPoolExhausted,
  HighDatabaseConnections,
});
