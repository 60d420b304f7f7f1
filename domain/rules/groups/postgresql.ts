/** PostgreSQL's rules, through postgres-exporter: the database down, and its connections filling up. */
import { Duration } from '../../../core/duration';
import { JOB } from '../../../core/components';
import { METRICS } from '../../metrics';
import { RECORDINGS } from '../../metrics/recordings';
import { THRESHOLDS, formatLevel } from '../../metrics/thresholds';
import { gt, select } from '../../metrics/promql';
import { CAUSE_RECOVERY, backendDown, level } from '../conditions';
import { $label, $labelOr, $value, alert, ruleGroup, t } from '../model';

const PostgreSQLDown = alert({
  name: 'PostgreSQLDown',
  expr: backendDown(METRICS.postgres.up, JOB.postgresExporter),
  for: Duration.minutes(1),
  keepFiringFor: CAUSE_RECOVERY,
  severity: 'critical',
  panel: { dashboard: 'overview', title: 'PostgreSQL' },
  summary: t`PostgreSQL is unreachable (seen by ${$labelOr('instance', 'no postgres-exporter target')})`,
  description: t`postgres-exporter reports pg_up 0, or Prometheus cannot scrape the exporter itself (job ${$label('job')}). Every API request and Celery task that touches the database fails.`,
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
