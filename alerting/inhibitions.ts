/**
 * Inhibition: while a critical alert fires, the warning/info alerts it explains are not sent
 * (they stay visible in Alertmanager as suppressed). One typed entry per cause.
 */
import { AlertLabel, AlertName } from './alert-names';

export interface Inhibition {
  /** While this alert fires... */
  source: AlertName;
  /** ...these are not sent... */
  targets: readonly AlertName[];
  /**
   * ...when they have the same values of these labels (the same thing). Empty: the thing exists
   * once (one database, one Redis, the API as a whole), so any firing source inhibits.
   */
  sameThing: readonly AlertLabel[];
  /** Why the targets add nothing while the source fires. */
  because: string;
}

export const INHIBITIONS: readonly Inhibition[] = [
  {
    source: 'APIDown',
    targets: ['HighErrorRate', 'HighLatency'],
    sameThing: [],
    because: 'error rate and latency are measured over the whole API; an unreachable API explains both',
  },
  {
    source: 'CriticalCPUUsage',
    targets: ['HighCPUUsage'],
    sameThing: ['instance'],
    because: 'the same host above the critical threshold is also above the warning one',
  },
  {
    source: 'CriticalMemoryUsage',
    targets: ['HighMemoryUsage'],
    sameThing: ['instance'],
    because: 'the same host above the critical threshold is also above the warning one',
  },
  {
    source: 'CriticalDiskUsage',
    targets: ['HighDiskUsage'],
    sameThing: ['instance', 'mountpoint'],
    because: 'the same filesystem above the critical threshold is also above the warning one',
  },
  {
    source: 'PostgreSQLDown',
    targets: ['DatabaseConnectionPoolExhausted', 'HighDatabaseConnections', 'SlowDatabaseQueries'],
    sameThing: [],
    because: 'connection and query metrics of a database that is down are meaningless',
  },
  {
    source: 'DatabaseConnectionPoolExhausted',
    targets: ['HighDatabaseConnections'],
    sameThing: ['instance'],
    because: 'the same connection count above the critical threshold is also above the warning one',
  },
  {
    source: 'RedisDown',
    targets: ['RedisHighMemoryUsage'],
    sameThing: [],
    because: 'the memory of a Redis that is down is meaningless',
  },
  {
    source: 'CeleryWorkerDown',
    targets: ['CeleryQueueBacklog', 'CeleryHighFailureRate', 'NoSyncActivity'],
    sameThing: [],
    because: 'with no worker running the queue grows and no sync runs; the missing worker is the cause',
  },
];

/** The alerts `source` keeps from being sent while it fires (for drills: "APIDown fires, these stay quiet"). */
export function inhibitedBy(source: AlertName): AlertName[] {
  return INHIBITIONS.filter((rule) => rule.source === source).flatMap((rule) => rule.targets);
}
