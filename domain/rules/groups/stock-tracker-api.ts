/**
 * The API's rules: APIDown, HighErrorRate, HighLatency and SlowDatabaseQueries of the original
 * requirements, over the request and query histograms of the service (monitoring.py). The latency
 * alerts read the share of observations above the level: exact at any bucket bound, also at the
 * highest finite one, where `histogram_quantile` can never read more than the bound.
 */
import { Duration } from '../../../core/duration';
import { JOB } from '../../../core/components';
import { RECORDINGS } from '../../metrics/recordings';
import { MINIMUM_TRAFFIC, THRESHOLDS, formatLevel } from '../../metrics/thresholds';
import { gt, select } from '../../metrics/promql';
import { CAUSE_RECOVERY, level, targetDown, withTraffic } from '../conditions';
import { $label, $labelOr, $value, alert, ruleGroup, t } from '../model';

/** `q` as an operator reads it: `p95`. */
function percentile(threshold: { quantile?: number }): string {
  return `p${Math.round((threshold.quantile ?? 0) * 100)}`;
}

/** The share above a latency level at which the quantile crosses it: 5 % for a p95. */
function tailShare(threshold: { quantile?: number }): number {
  if (threshold.quantile === undefined) throw new Error('a latency alert needs a threshold with a quantile');
  return Number((1 - threshold.quantile).toFixed(6));
}

const APIDown = alert({
  name: 'APIDown',
  expr: targetDown(JOB.api),
  for: Duration.minutes(1),
  keepFiringFor: CAUSE_RECOVERY,
  severity: 'critical',
  panel: { dashboard: 'overview', title: 'API status' },
  summary: t`Stock Tracker API is down on ${$labelOr('instance', 'every target (none is scraped)')}`,
  description: t`Prometheus cannot scrape the API (job ${$label('job')}, target ${$labelOr('instance', 'none configured or discovered')}). Users cannot use Stock Tracker and no HTTP metric is collected.`,
});

const HighErrorRate = alert({
  name: 'HighErrorRate',
  expr: withTraffic(
    gt(select(RECORDINGS.httpErrorRatio), level(THRESHOLDS.httpErrorRatio, 'critical')),
    select(RECORDINGS.httpRequestRate),
    MINIMUM_TRAFFIC.httpRequestsPerSecond,
  ),
  for: Duration.minutes(5),
  severity: 'critical',
  panel: { dashboard: 'overview', title: 'API error rate' },
  summary: t`API ${$label('job')} answers ${$value('percent')} of requests with a 5xx error`,
  description: t`More than ${formatLevel(THRESHOLDS.httpErrorRatio, 'critical')} of the responses of job ${$label('job')} have been server errors for 5 minutes (judged only above ${String(MINIMUM_TRAFFIC.httpRequestsPerSecond.value)} requests/s). Users see failures.`,
});

const HighLatency = alert({
  name: 'HighLatency',
  expr: withTraffic(
    gt(select(RECORDINGS.httpSlowRatio), tailShare(THRESHOLDS.httpLatencyP95)),
    select(RECORDINGS.httpRequestRate),
    MINIMUM_TRAFFIC.httpRequestsPerSecond,
  ),
  for: Duration.minutes(5),
  severity: 'warning',
  panel: { dashboard: 'overview', title: 'API latency p50 / p95 / p99' },
  summary: t`API ${$label('job')} ${percentile(THRESHOLDS.httpLatencyP95)} latency is above ${formatLevel(THRESHOLDS.httpLatencyP95, 'warning')}: ${$value('percent')} of requests are slower`,
  description: t`For 5 minutes more than ${String(tailShare(THRESHOLDS.httpLatencyP95) * 100)}% of the requests of job ${$label('job')} took longer than ${formatLevel(THRESHOLDS.httpLatencyP95, 'warning')} (a bucket bound of the API's histogram, so read exactly).`,
});

const SlowDatabaseQueries = alert({
  name: 'SlowDatabaseQueries',
  expr: gt(select(RECORDINGS.dbSlowRatio), tailShare(THRESHOLDS.dbQueryLatencyP95)),
  for: Duration.minutes(5),
  severity: 'warning',
  panel: { dashboard: 'infrastructure', title: 'Database query time p95' },
  summary: t`Database queries from ${$label('job')} are slow: ${$value('percent')} take longer than ${formatLevel(THRESHOLDS.dbQueryLatencyP95, 'warning')}`,
  description: t`For 5 minutes the ${percentile(THRESHOLDS.dbQueryLatencyP95)} of PostgreSQL query time measured by job ${$label('job')} has been above ${formatLevel(THRESHOLDS.dbQueryLatencyP95, 'warning')}. API latency and task durations follow.`,
});

export const STOCK_TRACKER_API = ruleGroup(
  'stock-tracker-api',
  [
    RECORDINGS.httpRequestRate,
    RECORDINGS.httpRequestRateByStatus,
    RECORDINGS.httpErrorRatio,
    RECORDINGS.httpLatencyP50,
    RECORDINGS.httpLatencyP95,
    RECORDINGS.httpLatencyP99,
    RECORDINGS.httpSlowRatio,
    RECORDINGS.dbQueryLatencyP95,
    RECORDINGS.dbSlowRatio,
  ],
  { APIDown, HighErrorRate, HighLatency, SlowDatabaseQueries },
);
