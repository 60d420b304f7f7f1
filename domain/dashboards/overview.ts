/**
 * "Stock Tracker - Overview": the whole service on one screen for the person on call. Is
 * everything up, is the API answering fast and without errors, are Celery tasks flowing, does
 * the host have room.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { Duration } from '../../core/duration';
import { JOB } from '../../core/components';
import { METRICS } from '../metrics';
import { aggregateBy, avgBy, maxBy, select, sumBy } from '../metrics/promql';
import { RECORDINGS } from '../metrics/recordings';
import { THRESHOLDS } from '../metrics/thresholds';
import { defineDashboard, section } from './layout';
import { barGaugePanel, gaugePanel, query, statPanel, statusPanel, timeSeriesPanel } from './panels';

const { app, celery, scrape, postgres, redis } = METRICS;

export const OVERVIEW_UID = 'stock-tracker-overview';

export const OVERVIEW_TITLE = 'Stock Tracker - Overview';

export function overviewDashboard() {
  return defineDashboard({
    uid: OVERVIEW_UID,
    title: OVERVIEW_TITLE,
    description:
      'Stock Tracker at a glance: what is up, how the API and Celery are doing, and how much room the host has.',
    refresh: Duration.seconds(10),
    timeRange: Duration.hours(1),
    variables: [],
    links: (urls) => [
      new dashboard.DashboardLinkBuilder('Alertmanager')
        .type(dashboard.DashboardLinkType.Link)
        .url(urls.alertmanager)
        .icon('bolt')
        .targetBlank(true),
    ],
    sections: overviewSections(),
  });
}

function overviewSections() {
  return [
    section('Status', [
      gaugePanel({
        title: 'API status',
        description:
          'Share of API targets Prometheus can scrape. Below 100% an instance is down: APIDown fires after 1 minute.',
        unit: 'ratio',
        queries: [query(avgBy([], select(scrape.up, { job: JOB.api })), 'API')],
        thresholds: 'up',
      }),
      statPanel({
        title: 'API error rate',
        description:
          'Share of API responses with a 5xx status over 5 minutes. HighErrorRate fires when it stays above the red line for 5 minutes.',
        unit: 'ratio',
        queries: [query(select(RECORDINGS.httpErrorRatio, { job: JOB.api }), '5xx')],
        thresholds: THRESHOLDS.httpErrorRatio,
      }),
      statusPanel({
        title: 'PostgreSQL',
        description: 'Whether postgres-exporter can query PostgreSQL (pg_up). Down for 1 minute fires PostgreSQLDown.',
        queries: [query(aggregateBy('min', [], select(postgres.up)), 'PostgreSQL')],
      }),
      statusPanel({
        title: 'Redis',
        description:
          'Whether redis-exporter can talk to Redis (redis_up). Down for 1 minute fires RedisDown; Celery stops with it.',
        queries: [query(aggregateBy('min', [], select(redis.up)), 'Redis')],
      }),
      statPanel({
        title: 'Celery workers',
        description:
          "Workers consuming the busiest-served queue, as they answer Celery's remote control (celery-exporter). None for 2 minutes fires CeleryWorkerDown: syncs and Sheets exports stop.",
        unit: 'count',
        queries: [query(aggregateBy('max', [], select(celery.activeWorkers, { job: JOB.celery })), 'workers')],
        thresholds: 'up',
      }),
      gaugePanel({
        title: 'CPU usage',
        description:
          'Share of CPU time not idle, over all cores, per host (5-minute rate). Alerts at the orange and red marks.',
        unit: 'ratio',
        queries: [query(select(RECORDINGS.cpuUtilisation), ['instance'])],
        thresholds: THRESHOLDS.cpuUsage,
      }),
      gaugePanel({
        title: 'Memory usage',
        description: 'Share of host memory not available for new work, per host. Alerts at the orange and red marks.',
        unit: 'ratio',
        queries: [query(select(RECORDINGS.memoryUtilisation), ['instance'])],
        thresholds: THRESHOLDS.memoryUsage,
      }),
      gaugePanel({
        title: 'Disk usage',
        description:
          'Fullest real filesystem (tmpfs and overlay excluded) per host. Alerts at the orange and red marks.',
        unit: 'ratio',
        queries: [query(maxBy(['instance'], select(RECORDINGS.filesystemUtilisation)), ['instance'])],
        thresholds: THRESHOLDS.diskUsage,
      }),
    ]),
    section('API', [
      timeSeriesPanel({
        title: 'Request rate by status',
        description:
          'API requests per second by HTTP status (5-minute rate), stacked: the total height is the traffic.',
        unit: 'requestsPerSecond',
        queries: [query(sumBy(['status'], select(RECORDINGS.httpRequestRateByStatus, { job: JOB.api })), ['status'])],
      }).stacked(),
      timeSeriesPanel({
        title: 'API latency p50 / p95 / p99',
        description:
          'Request duration percentiles over 5 minutes. The dashed line is the p95 level at which HighLatency fires.',
        unit: 'seconds',
        queries: [
          query(select(RECORDINGS.httpLatencyP50, { job: JOB.api }), 'p50'),
          query(select(RECORDINGS.httpLatencyP95, { job: JOB.api }), 'p95'),
          query(select(RECORDINGS.httpLatencyP99, { job: JOB.api }), 'p99'),
        ],
        thresholds: THRESHOLDS.httpLatencyP95,
      }),
      timeSeriesPanel({
        title: 'In-flight requests',
        description:
          'Requests each API instance is handling right now. A climb without more traffic means requests are stuck (database, Redis, a marketplace API).',
        unit: 'count',
        queries: [query(sumBy(['instance'], select(app.httpRequestsInProgress)), ['instance'])],
      }),
    ]),
    section('Celery', [
      timeSeriesPanel({
        title: 'Celery task rate',
        description:
          'Celery task runs that ended (succeeded, or failed for good) per second by task (5-minute rate). Needs task events: empty while the workers send none (CeleryTaskEventsMissing).',
        unit: 'operationsPerSecond',
        queries: [query(select(RECORDINGS.celeryTaskRate), ['name'])],
      }).stacked(),
      timeSeriesPanel({
        title: 'Celery task failure rate',
        description:
          'Share of ended task runs that failed for good, by task (retries are not failures). CeleryHighFailureRate fires above the dashed line for 5 minutes. Needs task events.',
        unit: 'ratio',
        queries: [query(select(RECORDINGS.celeryFailureRatio), ['name'])],
        thresholds: THRESHOLDS.celeryFailureRatio,
      }),
      barGaugePanel({
        title: 'Celery queue length',
        description:
          'Tasks waiting per queue in the broker (celery-exporter). CeleryQueueBacklog fires when a queue stays above the orange mark for 10 minutes: no worker consumes it, or they do not keep up.',
        unit: 'count',
        queries: [query(maxBy(['queue_name'], select(celery.queueLength, { job: JOB.celery })), ['queue_name'])],
        thresholds: THRESHOLDS.celeryQueueLength,
      }),
    ]),
  ];
}
