/**
 * The business rules: syncs failing, syncs stopping, Google Sheets calls failing. Syncs are judged
 * per marketplace from the application's counters where a deployment exposes them, else from the
 * sync task's events (every sync, all marketplaces together).
 */
import { Duration } from '../../../core/duration';
import { JOB } from '../../../core/components';
import { METRICS } from '../../metrics';
import { RECORDINGS, SYNC_TASK } from '../../metrics/recordings';
import { THRESHOLDS, formatLevel, windowOf } from '../../metrics/thresholds';
import {
  absentOverTime,
  add,
  andAny,
  eq,
  gt,
  increase,
  maxBy,
  or,
  select,
  sum,
  sumBy,
  unlessAny,
  withLabel,
} from '../../metrics/promql';
import { level, withWholeWindow } from '../conditions';
import { $label, $value, alert, ruleGroup, t } from '../model';

const { app, celery } = METRICS;

/** What the sync alerts say of their marketplace when they judge the sync task, which runs for all of them. */
const ALL_MARKETPLACES = 'all marketplaces';

const SyncOperationFailures = alert({
  name: 'SyncOperationFailures',
  // Per marketplace from the application's counters where it exposes them, else from the sync task's events.
  expr: or(
    gt(select(RECORDINGS.syncFailureRatio), level(THRESHOLDS.syncFailureRatio, 'info')),
    unlessAny(
      withLabel(
        maxBy([], gt(select(RECORDINGS.syncTaskFailureRatio), level(THRESHOLDS.syncFailureRatio, 'info'))),
        'platform',
        ALL_MARKETPLACES,
      ),
      select(RECORDINGS.syncRate),
    ),
  ),
  for: Duration.minutes(15),
  severity: 'info',
  panel: { dashboard: 'business', title: 'Sync failure rate' },
  summary: t`${$value('percent')} of stock syncs with ${$label('platform')} fail`,
  description: t`More than ${formatLevel(THRESHOLDS.syncFailureRatio, 'info')} of the stock syncs against ${$label('platform')} have failed for 15 minutes: sellers' sheets show stale stock.`,
});

const syncSilence = Duration.seconds(level(THRESHOLDS.syncSilence, 'info'));

/** Syncs that ended in the window: the application's count where it exposes one, else the sync task's runs. */
const syncsEnded = or(
  sum(increase(app.syncOperations, syncSilence)),
  add(
    sum(increase(select(celery.tasksSucceeded, { name: SYNC_TASK }), syncSilence)),
    sum(increase(select(celery.tasksFailed, { name: SYNC_TASK }), syncSilence)),
  ),
);

const NoSyncActivity = alert({
  name: 'NoSyncActivity',
  expr: withWholeWindow(
    or(
      eq(syncsEnded, 0),
      // Task events arrive, yet not one of them was a sync: the exporter has no sync series to count.
      unlessAny(
        andAny(
          absentOverTime(celery.tasksReceived, syncSilence, { name: SYNC_TASK }),
          gt(sum(increase(celery.tasksReceived, syncSilence)), 0),
        ),
        select(app.syncOperations),
      ),
    ),
    JOB.celery,
    syncSilence,
  ),
  for: Duration.seconds(0),
  severity: 'info',
  panel: { dashboard: 'business', title: 'Sync operations rate' },
  summary: t`No stock sync has run for ${formatLevel(THRESHOLDS.syncSilence, 'info')}`,
  description: t`No sync against any marketplace ended (well or not) in the last ${formatLevel(THRESHOLDS.syncSilence, 'info')}. Stock Tracker's beat schedules none: check what triggers them (the API's sync endpoint, schedule_tenant_syncs), the workers and the sync queue.`,
});

const GoogleSheetsAPIErrors = alert({
  name: 'GoogleSheetsAPIErrors',
  expr: gt(
    sumBy(
      ['operation'],
      increase(select(app.sheetsOperations, { status: 'error' }), windowOf(THRESHOLDS.googleSheetsFailures)),
    ),
    level(THRESHOLDS.googleSheetsFailures, 'info'),
  ),
  for: Duration.minutes(5),
  severity: 'info',
  panel: { dashboard: 'business', title: 'Google Sheets operations' },
  summary: t`Google Sheets ${$label('operation')} calls are failing (${$value('number')} in 15 min)`,
  description: t`More than ${String(level(THRESHOLDS.googleSheetsFailures, 'info'))} Google Sheets ${$label('operation')} calls failed in 15 minutes, for 5 minutes: sellers' sheets are not updated.`,
});

export const BUSINESS = ruleGroup(
  'business',
  [RECORDINGS.syncRate, RECORDINGS.syncFailureRatio, RECORDINGS.syncTaskFailureRatio, RECORDINGS.syncDurationP95],
  { SyncOperationFailures, NoSyncActivity, GoogleSheetsAPIErrors },
);
