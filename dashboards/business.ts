/**
 * "Stock Tracker - Business Metrics": what sellers get. Products tracked, stock syncs against
 * Wildberries and Ozon (how many, how many fail, how long they take), marketplace API errors and
 * Google Sheets calls, all filtered by the `tenant` and `platform` variables.
 *
 * The sync recordings (RECORDINGS.syncRate, ...) sum the tenants away, so these panels compute
 * from the counters, over the same window (SYNC_WINDOW) the recordings and alerts use.
 */
import { Duration } from '../config/duration';
import { METRICS } from '../rules/catalog';
import { histogramQuantile, rate, ratio, select, sum, sumBy } from '../rules/promql';
import { RATE_WINDOW, SYNC_WINDOW } from '../rules/recordings';
import { THRESHOLDS } from '../rules/thresholds';
import { DashboardDefinition, section } from './layout';
import { gaugePanel, query, statPanel, timeSeriesPanel } from './panels';
import { labelValuesVariable } from './variables';

const { app } = METRICS;

export const BUSINESS_UID = 'stock-tracker-business';

export function businessDashboard(): DashboardDefinition {
  const tenant = labelValuesVariable(app.productsTracked, 'tenant', 'Tenant');
  const platform = labelValuesVariable(app.syncOperations, 'platform', 'Marketplace');
  const selected = { tenant: tenant.matcher, platform: platform.matcher };
  const syncRate = rate(select(app.syncOperations, selected), SYNC_WINDOW);
  const failedSyncRate = rate(select(app.syncOperations, { ...selected, outcome: 'failure' }), SYNC_WINDOW);
  return {
    uid: BUSINESS_UID,
    title: 'Stock Tracker - Business Metrics',
    description: "Sellers' view: products tracked, stock syncs with Wildberries and Ozon, marketplace API errors and Google Sheets calls, by tenant and marketplace.",
    refresh: Duration.seconds(30),
    timeRange: Duration.hours(24),
    variables: [tenant, platform],
    links: [],
    sections: [
      section('Stock syncs', [
        statPanel({
          title: 'Products tracked',
          description: 'Products whose stock is tracked, summed over the selected tenants and marketplaces.',
          unit: 'count',
          queries: [query(sum(select(app.productsTracked, selected)), 'products')],
        }),
        gaugePanel({
          title: 'Sync failure rate',
          description: 'Share of stock syncs that failed over 15 minutes, per marketplace. SyncOperationFailures tells the team above the mark: sellers see stale stock.',
          unit: 'ratio',
          queries: [query(ratio(sumBy(['platform'], failedSyncRate), sumBy(['platform'], syncRate), { absentNumeratorIsZero: true }), ['platform'])],
          thresholds: THRESHOLDS.syncFailureRatio,
        }),
        timeSeriesPanel({
          title: 'Sync operations rate',
          description: 'Stock syncs per second by marketplace and outcome (15-minute rate). A flat zero for 30 minutes fires NoSyncActivity: check Celery beat and the workers.',
          unit: 'operationsPerSecond',
          queries: [query(sumBy(['platform', 'outcome'], syncRate), ['platform', 'outcome'])],
        }),
        timeSeriesPanel({
          title: 'Sync duration p95',
          description: '95th percentile of stock sync run time per marketplace over 15 minutes. Growth usually means a slow or rate-limiting marketplace API.',
          unit: 'seconds',
          queries: [query(histogramQuantile(0.95, app.syncDuration, SYNC_WINDOW, ['platform'], selected), ['platform'])],
        }),
      ]),
      section('Marketplace APIs and Google Sheets', [
        timeSeriesPanel({
          title: 'External API errors',
          description: 'Failed marketplace API calls per second by marketplace and failure class (5-minute rate): timeouts, rate limiting, 4xx (often a revoked seller token), 5xx.',
          unit: 'operationsPerSecond',
          queries: [query(sumBy(['platform', 'error_type'], rate(select(app.externalApiErrors, selected), RATE_WINDOW)), ['platform', 'error_type'])],
        }).bars(),
        timeSeriesPanel({
          title: 'Google Sheets operations',
          description: 'Google Sheets API calls per second by operation and outcome (5-minute rate). Failures above a few in 15 minutes fire GoogleSheetsAPIErrors.',
          unit: 'operationsPerSecond',
          queries: [query(sumBy(['operation', 'outcome'], rate(select(app.googleSheetsOperations, selected), RATE_WINDOW)), ['operation', 'outcome'])],
        }),
      ]),
    ],
  };
}
