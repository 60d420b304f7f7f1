/**
 * The alerts routing and inhibition may name, and the labels they read. (rules/ does not export
 * its alert definitions yet; when it does, `AlertName` becomes the type of their names and
 * __tests__/alerting-config.test.ts checks the two agree.)
 */
import { Severity } from '../rules/severity';

/** Each alert of SPEC.md with its severity (`none` for the Watchdog, which no person is told about). */
export const ALERT_SEVERITY = {
  APIDown: 'critical',
  PostgreSQLDown: 'critical',
  RedisDown: 'critical',
  CeleryWorkerDown: 'critical',
  HighErrorRate: 'critical',
  DatabaseConnectionPoolExhausted: 'critical',
  CriticalCPUUsage: 'critical',
  CriticalMemoryUsage: 'critical',
  CriticalDiskUsage: 'critical',
  HighLatency: 'warning',
  SlowDatabaseQueries: 'warning',
  HighDatabaseConnections: 'warning',
  RedisHighMemoryUsage: 'warning',
  CeleryQueueBacklog: 'warning',
  CeleryHighFailureRate: 'warning',
  HighCPUUsage: 'warning',
  HighMemoryUsage: 'warning',
  HighDiskUsage: 'warning',
  SyncOperationFailures: 'info',
  NoSyncActivity: 'info',
  GoogleSheetsAPIErrors: 'info',
  // Always firing: proves the path Prometheus -> Alertmanager -> receiver works.
  Watchdog: 'none',
} as const satisfies Record<string, Severity | 'none'>;
export type AlertName = keyof typeof ALERT_SEVERITY;
export const ALERT_NAMES = Object.keys(ALERT_SEVERITY) as AlertName[];

export const WATCHDOG: AlertName = 'Watchdog';

/**
 * Labels of an alert that Alertmanager reads: the rule's `alertname` and `severity`, the target
 * labels, and the labels that say which queue, marketplace or filesystem is failing.
 */
export type AlertLabel = 'alertname' | 'severity' | 'job' | 'instance' | 'queue_name' | 'platform' | 'mountpoint';

/** Annotations every rule carries (SPEC.md: summary, description and a runbook). */
export const ANNOTATIONS = { summary: 'summary', description: 'description', runbook: 'runbook_url' } as const;
