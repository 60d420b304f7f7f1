/**
 * Inhibition: while a critical alert fires, the alerts it explains are not sent (they stay visible
 * in Alertmanager as suppressed). One typed entry per cause, written with the alerts of rules/:
 * the labels that say "the same thing" must be labels every series of the source and of each
 * target carries (checked by the compiler from the rules' expressions).
 *
 * One entry is of another kind: while Telegram refuses the notifications, the Watchdog is held
 * back, so the heartbeat service stops hearing from it and raises the alarm by its own channel
 * (the dead man's switch; see `dead-mans-switch.ts` for the timing).
 */
import { ALERTS, AlertRule } from '../rules';
import { Expr } from '../metrics';
import { AlertLabel, AlertName } from './alert-names';
import { TELEGRAM_INTEGRATION } from './model';

export interface Inhibition {
  /** While this alert fires... */
  source: AlertName;
  /** ...with these label values (empty: any of its series)... */
  sourceLabels: Readonly<Partial<Record<AlertLabel, string>>>;
  /** ...these are not sent... */
  targets: readonly AlertName[];
  /**
   * ...when they have the same values of these labels (the same thing). Empty: the thing exists
   * once (one database, one Redis, the Celery fleet), so any firing source inhibits.
   */
  sameThing: readonly AlertLabel[];
  /** Why the targets add nothing while the source fires. */
  because: string;
}

/** Labels every series of the alert's expression carries. */
type CertainLabels<A> = A extends { expr: Expr<infer L, string> } ? L : never;
/** Labels every one of `Alerts` carries. */
type SharedLabels<Alerts extends readonly unknown[]> = Alerts extends readonly [infer First, ...infer Rest]
  ? CertainLabels<First> & SharedLabels<Rest>
  : AlertLabel;

function inhibit<const S extends AlertRule, const T extends readonly AlertRule[]>(
  source: S,
  targets: T,
  sameThing: readonly SharedLabels<[S, ...T]>[],
  because: string,
  sourceLabels: Partial<Record<CertainLabels<S> & AlertLabel, string>> = {},
): Inhibition {
  return {
    source: source.name as AlertName,
    sourceLabels,
    targets: targets.map((target) => target.name as AlertName),
    sameThing,
    because,
  };
}

const {
  APIDown,
  HighErrorRate,
  HighLatency,
  TargetDown,
  CriticalCPUUsage,
  HighCPUUsage,
  CriticalMemoryUsage,
  HighMemoryUsage,
  CriticalDiskUsage,
  HighDiskUsage,
  DiskFillingUp,
  PostgreSQLDown,
  DatabaseConnectionPoolExhausted,
  HighDatabaseConnections,
  SlowDatabaseQueries,
  RedisDown,
  RedisHighMemoryUsage,
  CeleryWorkerDown,
  CeleryQueueBacklog,
  CeleryHighFailureRate,
  NoSyncActivity,
  SyncOperationFailures,
  AlertmanagerNotificationsFailing,
  Watchdog,
  APIAvailabilityFastBurn,
  APIAvailabilitySlowBurn,
  APIAvailabilitySteadyBurn,
  APILatencyFastBurn,
  APILatencySlowBurn,
  APILatencySteadyBurn,
  SyncSuccessFastBurn,
  SyncSuccessSlowBurn,
  SyncSuccessSteadyBurn,
} = ALERTS;
const SAME_LEVEL_HIGHER = 'the same thing above the critical threshold is also above the warning one';
const FASTER_TIER = 'a faster burn of the same error budget says it first and more urgently';
const PAGE_OVER_THRESHOLD =
  'the burn-rate page and the threshold alert watch the same errors: one message, the one with the budget left';
const THRESHOLD_OVER_PAGES =
  'HighErrorRate pages first for the same 5xx (5 minutes, where a burn-rate page needs its long window to fill) and keeps firing until their 5-minute windows have cleared: one message';
const THRESHOLD_OVER_TICKET =
  'the threshold alert is the urgent face of the same errors; the ticket comes once it has resolved';

/**
 * The burn-rate alerts of the SLOs (rules/groups/slo.ts): within an SLO the faster tier holds back
 * the slower ones, and an incident that fires a tier and the seed threshold alert on the same SLI
 * is told once. HighLatency and SyncOperationFailures come after the pages of their SLI, which
 * hold them back; HighErrorRate (critical, like the pages) comes first and holds back every tier of
 * the availability SLO.
 */
const SLO_INHIBITIONS: readonly Inhibition[] = [
  inhibit(
    HighErrorRate,
    [APIAvailabilityFastBurn, APIAvailabilitySlowBurn, APIAvailabilitySteadyBurn],
    ['job'],
    `${THRESHOLD_OVER_PAGES}; ${THRESHOLD_OVER_TICKET}`,
  ),
  inhibit(APIAvailabilityFastBurn, [APIAvailabilitySlowBurn, APIAvailabilitySteadyBurn], ['job'], FASTER_TIER),
  inhibit(APIAvailabilitySlowBurn, [APIAvailabilitySteadyBurn], ['job'], FASTER_TIER),
  inhibit(
    APILatencyFastBurn,
    [APILatencySlowBurn, APILatencySteadyBurn, HighLatency],
    ['job'],
    `${FASTER_TIER}; ${PAGE_OVER_THRESHOLD}`,
  ),
  inhibit(APILatencySlowBurn, [APILatencySteadyBurn, HighLatency], ['job'], `${FASTER_TIER}; ${PAGE_OVER_THRESHOLD}`),
  inhibit(HighLatency, [APILatencySteadyBurn], ['job'], THRESHOLD_OVER_TICKET),
  inhibit(
    SyncSuccessFastBurn,
    [SyncSuccessSlowBurn, SyncSuccessSteadyBurn, SyncOperationFailures],
    ['platform'],
    `${FASTER_TIER}; ${PAGE_OVER_THRESHOLD}`,
  ),
  inhibit(
    SyncSuccessSlowBurn,
    [SyncSuccessSteadyBurn, SyncOperationFailures],
    ['platform'],
    `${FASTER_TIER}; ${PAGE_OVER_THRESHOLD}`,
  ),
  // SyncOperationFailures and the ticket are both info (one chat): the ticket, which says how much budget is left, holds it back.
  inhibit(SyncSuccessSteadyBurn, [SyncOperationFailures], ['platform'], PAGE_OVER_THRESHOLD),
];

export const INHIBITIONS: readonly Inhibition[] = [
  inhibit(
    APIDown,
    [HighErrorRate, HighLatency, TargetDown],
    ['job'],
    'an unreachable API explains its error rate and latency, and its targets being down',
  ),
  inhibit(CriticalCPUUsage, [HighCPUUsage], ['instance'], SAME_LEVEL_HIGHER),
  inhibit(CriticalMemoryUsage, [HighMemoryUsage], ['instance'], SAME_LEVEL_HIGHER),
  inhibit(CriticalDiskUsage, [HighDiskUsage], ['instance', 'mountpoint'], SAME_LEVEL_HIGHER),
  inhibit(
    CriticalDiskUsage,
    [DiskFillingUp],
    ['instance', 'mountpoint'],
    'a filesystem already past the critical level pages now: that it will be full within a day adds nothing',
  ),
  inhibit(
    PostgreSQLDown,
    [DatabaseConnectionPoolExhausted, HighDatabaseConnections, SlowDatabaseQueries],
    [],
    'connection counts and query times of a database that is down are meaningless',
  ),
  inhibit(
    PostgreSQLDown,
    [TargetDown],
    ['job'],
    'an unscrapeable postgres-exporter is one of the ways PostgreSQLDown fires',
  ),
  inhibit(
    PostgreSQLDown,
    [
      HighErrorRate,
      HighLatency,
      APIAvailabilityFastBurn,
      APIAvailabilitySlowBurn,
      APIAvailabilitySteadyBurn,
      APILatencyFastBurn,
      APILatencySlowBurn,
      APILatencySteadyBurn,
      SyncSuccessFastBurn,
      SyncSuccessSlowBurn,
      SyncSuccessSteadyBurn,
      SyncOperationFailures,
      CeleryHighFailureRate,
    ],
    [],
    'without its database the API answers 5xx (or waits for a connection) and syncs and other Celery tasks fail: the database is the cause',
  ),
  inhibit(DatabaseConnectionPoolExhausted, [HighDatabaseConnections], ['instance'], SAME_LEVEL_HIGHER),
  inhibit(RedisDown, [RedisHighMemoryUsage], [], 'the memory of a Redis that is down is meaningless'),
  inhibit(RedisDown, [TargetDown], ['job'], 'an unscrapeable redis-exporter is one of the ways RedisDown fires'),
  inhibit(
    CeleryWorkerDown,
    [CeleryQueueBacklog, CeleryHighFailureRate, NoSyncActivity],
    [],
    'with no worker running the queues grow and no sync runs; the missing workers are the cause',
  ),
  inhibit(
    CeleryWorkerDown,
    [TargetDown],
    ['job'],
    'an unscrapeable celery-exporter is one of the ways CeleryWorkerDown fires',
  ),
  inhibit(
    RedisDown,
    [
      CeleryWorkerDown,
      CeleryQueueBacklog,
      NoSyncActivity,
      CeleryHighFailureRate,
      SyncOperationFailures,
      SyncSuccessFastBurn,
      SyncSuccessSlowBurn,
      SyncSuccessSteadyBurn,
    ],
    [],
    'Redis is the Celery broker and result backend: without it no worker gets a task, the celery-exporter cannot see the queues, and syncs stop or fail',
  ),
  ...SLO_INHIBITIONS,
  // No label in common (the Watchdog has none): any Alertmanager failing at Telegram holds it back.
  inhibit(
    AlertmanagerNotificationsFailing,
    [Watchdog],
    [],
    "no alert reaches Telegram, this one included: holding the heartbeat back makes the dead man's switch raise the alarm by its own channel, and it beats again once the deliveries succeed",
    { integration: TELEGRAM_INTEGRATION },
  ),
];

/**
 * The alerts `source` keeps from being sent while it fires (for drills: "APIDown fires, these stay
 * quiet"); for an entry with `sourceLabels`, while a series of the source with those values fires.
 */
export function inhibitedBy(source: AlertName): AlertName[] {
  return INHIBITIONS.filter((rule) => rule.source === source).flatMap((rule) => rule.targets);
}
