/**
 * "Stock Tracker - Business Metrics": what sellers get. Products tracked, stock syncs against
 * Wildberries and Ozon (how many, how many fail, how long they take), marketplace API errors and
 * Google Sheets calls, filtered by the `tenant_id` and `platform` variables.
 *
 * Two sources, side by side: the application's own counters (per tenant and marketplace, where a
 * deployment exposes them) and the celery-exporter's events of the sync task (every sync, all
 * marketplaces together, without any code in the application). Either one fills the sync panels.
 * The sync recordings sum the tenants away, so these panels compute from the counters, over the
 * same window (SYNC_WINDOW) the recordings and alerts use.
 */
import { Duration } from '../../core/duration';
import { METRICS } from '../metrics';
import { histogramQuantile, rate, ratio, select, sum, sumBy } from '../metrics/promql';
import { RATE_WINDOW, RECORDINGS, SYNC_TASK, SYNC_WINDOW } from '../metrics/recordings';
import { THRESHOLDS } from '../metrics/thresholds';
import { defineDashboard, section } from './layout';
import { gaugePanel, query, statPanel, timeSeriesPanel } from './panels';
import { labelValuesVariable } from './variables';

const { app, celery } = METRICS;

export const BUSINESS_UID = 'stock-tracker-business';

/** The sync task's series, and how the panels name them. */
const syncTask = { name: SYNC_TASK } as const;
const ALL_MARKETPLACES = 'all marketplaces (sync task)';

export function businessDashboard() {
  const tenant = labelValuesVariable(app.products, 'tenant_id', 'Tenant');
  const platform = labelValuesVariable(app.syncOperations, 'platform', 'Marketplace');
  const syncs = { tenant_id: tenant.matcher, platform: platform.matcher };
  const syncRate = rate(select(app.syncOperations, syncs), SYNC_WINDOW);
  const failedSyncRate = rate(select(app.syncOperations, { ...syncs, status: 'failure' }), SYNC_WINDOW);
  return defineDashboard({
    uid: BUSINESS_UID,
    title: 'Stock Tracker - Business Metrics',
    description:
      "Sellers' view: products tracked, stock syncs with Wildberries and Ozon, marketplace API errors and Google Sheets calls, by tenant and marketplace.",
    refresh: Duration.seconds(30),
    timeRange: Duration.hours(24),
    variables: [tenant, platform],
    links: () => [],
    sections: [
      section('Stock syncs', [
        statPanel({
          title: 'Products tracked',
          description:
            "Products whose stock is tracked, summed over the selected tenants (the application's products_total).",
          unit: 'count',
          queries: [query(sum(select(app.products, { tenant_id: tenant.matcher })), 'products')],
        }),
        gaugePanel({
          title: 'Sync failure rate',
          description:
            "Share of stock syncs that failed over 15 minutes: per marketplace from the application's counters, or for all marketplaces from the sync task's events. SyncOperationFailures tells the team above the mark: sellers see stale stock.",
          unit: 'ratio',
          queries: [
            query(
              ratio(sumBy(['platform'], failedSyncRate), sumBy(['platform'], syncRate), {
                absentNumeratorIsZero: true,
              }),
              ['platform'],
            ),
            query(select(RECORDINGS.syncTaskFailureRatio), ALL_MARKETPLACES),
          ],
          thresholds: THRESHOLDS.syncFailureRatio,
        }),
        timeSeriesPanel({
          title: 'Sync operations rate',
          description:
            "Stock syncs per second (15-minute rate): by marketplace and status from the application's counters, and the sync task's runs by how they ended. A flat zero for 30 minutes fires NoSyncActivity: check what schedules syncs and the workers.",
          unit: 'operationsPerSecond',
          queries: [
            query(sumBy(['platform', 'status'], syncRate), ['platform', 'status']),
            query(sum(rate(select(celery.tasksSucceeded, syncTask), SYNC_WINDOW)), `${ALL_MARKETPLACES} succeeded`),
            query(sum(rate(select(celery.tasksFailed, syncTask), SYNC_WINDOW)), `${ALL_MARKETPLACES} failed`),
            query(sum(rate(select(celery.tasksRetried, syncTask), SYNC_WINDOW)), `${ALL_MARKETPLACES} retried`),
          ],
        }),
        timeSeriesPanel({
          title: 'Sync duration p95',
          description:
            "95th percentile of stock sync run time over 15 minutes, per marketplace (the application's histogram) and of the sync task (celery-exporter). Growth usually means a slow or rate-limiting marketplace API.",
          unit: 'seconds',
          queries: [
            query(histogramQuantile(0.95, app.syncDuration, SYNC_WINDOW, ['platform'], syncs), ['platform']),
            query(histogramQuantile(0.95, celery.taskRuntime, SYNC_WINDOW, [], syncTask), ALL_MARKETPLACES),
          ],
        }),
      ]),
      section('Marketplace APIs and Google Sheets', [
        timeSeriesPanel({
          title: 'External API errors',
          description:
            'Failed marketplace API calls per second by marketplace and exception class (5-minute rate): timeouts, rate limiting, rejected credentials.',
          unit: 'operationsPerSecond',
          queries: [
            query(
              sumBy(
                ['platform', 'error_type'],
                rate(select(app.externalApiErrors, { platform: platform.matcher }), RATE_WINDOW),
              ),
              ['platform', 'error_type'],
            ),
          ],
        }).bars(),
        timeSeriesPanel({
          title: 'Google Sheets operations',
          description:
            'Google Sheets API calls per second by operation and status (5-minute rate). More than a few errors in 15 minutes fire GoogleSheetsAPIErrors.',
          unit: 'operationsPerSecond',
          queries: [
            query(
              sumBy(
                ['operation', 'status'],
                rate(select(app.sheetsOperations, { tenant_id: tenant.matcher }), RATE_WINDOW),
              ),
              ['operation', 'status'],
            ),
          ],
        }),
      ]),
    ],
  });
}
