/**
 * The rule groups, one file each (`rules/<group>.yml`). A recording sits in the group of the
 * alerts that read it: rules of a group run in order, so those alerts see this evaluation's value.
 */
import * as alerts from './alerts';
import { RuleGroup } from './model';
import { RECORDINGS } from './recordings';

export const RULE_GROUPS: readonly RuleGroup[] = [
  {
    name: 'stock-tracker-api',
    rules: [
      RECORDINGS.httpRequestRate,
      RECORDINGS.httpRequestRateByStatus,
      RECORDINGS.httpErrorRatio,
      RECORDINGS.httpLatencyP50,
      RECORDINGS.httpLatencyP95,
      RECORDINGS.httpLatencyP99,
      RECORDINGS.dbQueryLatencyP95,
      alerts.APIDown,
      alerts.HighErrorRate,
      alerts.HighLatency,
      alerts.SlowDatabaseQueries,
    ],
  },
  {
    name: 'celery',
    rules: [RECORDINGS.celeryTaskRate, RECORDINGS.celeryFailureRatio, alerts.CeleryWorkerDown, alerts.CeleryQueueBacklog, alerts.CeleryHighFailureRate],
  },
  {
    name: 'business',
    rules: [
      RECORDINGS.syncRate,
      RECORDINGS.syncFailureRatio,
      RECORDINGS.syncDurationP95,
      alerts.SyncOperationFailures,
      alerts.NoSyncActivity,
      alerts.GoogleSheetsAPIErrors,
    ],
  },
  {
    name: 'postgresql',
    rules: [RECORDINGS.postgresConnections, alerts.PostgreSQLDown, alerts.DatabaseConnectionPoolExhausted, alerts.HighDatabaseConnections],
  },
  {
    name: 'redis',
    rules: [RECORDINGS.redisMemoryUtilisation, alerts.RedisDown, alerts.RedisHighMemoryUsage],
  },
  {
    name: 'host',
    rules: [
      RECORDINGS.cpuUtilisation,
      RECORDINGS.memoryUtilisation,
      RECORDINGS.filesystemUtilisation,
      alerts.CriticalCPUUsage,
      alerts.CriticalMemoryUsage,
      alerts.CriticalDiskUsage,
      alerts.HighCPUUsage,
      alerts.HighMemoryUsage,
      alerts.HighDiskUsage,
    ],
  },
  {
    name: 'containers',
    rules: [alerts.ContainerRestarting],
  },
  {
    name: 'monitoring',
    rules: [
      alerts.Watchdog,
      alerts.TargetDown,
      alerts.PrometheusRuleEvaluationFailures,
      alerts.PrometheusConfigReloadFailed,
      alerts.PrometheusTSDBFailures,
      alerts.AlertmanagerNotificationsFailing,
      alerts.AlertmanagerConfigReloadFailed,
    ],
  },
];

/** Every alert, by name: the names routing and inhibition (alerting/) may refer to. */
export const ALERTS = alerts;
export type AlertName = (typeof alerts)[keyof typeof alerts]['name'];
