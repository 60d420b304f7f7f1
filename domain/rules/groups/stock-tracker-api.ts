/**
 * The API's rules: APIDown, HighErrorRate, HighLatency and SlowDatabaseQueries of the original
 * requirements, over the request and query histograms of the service (monitoring.py). The latency
 * alerts read the share of observations above the level: exact at any bucket bound, also at the
 * highest finite one, where `histogram_quantile` can never read more than the bound.
 */
import { Duration } from '../../../core/duration';
import { JOB } from '../../../core/components';
import { METRICS } from '../../metrics';
import { RATE_WINDOW, RECORDINGS, SERVER_ERRORS } from '../../metrics/recordings';
import { MINIMUM_EVENTS, THRESHOLDS, formatLevel } from '../../metrics/thresholds';
import { and, gt, rate, ratio, select, sumBy } from '../../metrics/promql';
import {
  CAUSE_RECOVERY,
  EFFECTS_CLEAR,
  STILL_FAILING_WINDOW,
  guardText,
  level,
  ratesOfRatio,
  targetDown,
  withEnoughEvents,
} from '../conditions';
import { $label, $labelOr, $value, alert, ruleGroup, t } from '../model';

const { app } = METRICS;

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

/** The API's requests and the share of them each alert judges, over the recordings' 5 minutes. */
const requestsWith = (share: typeof RECORDINGS.httpErrorRatio) =>
  ratesOfRatio(select(share), select(RECORDINGS.httpRequestRate));

/**
 * Over 5% of 5xx in the last 5 minutes, for 5 minutes, while the API still answers them (over half
 * the level in the last `STILL_FAILING_WINDOW`; a background of 5xx never reaches it): without that
 * clause a 2-minute burst pages 3 minutes after it ended. Once firing it keeps firing for
 * `EFFECTS_CLEAR`, past the burn-rate pages of the same errors it holds back (their 5m windows).
 */
const HighErrorRate = alert({
  name: 'HighErrorRate',
  expr: and(
    withEnoughEvents(
      gt(select(RECORDINGS.httpErrorRatio), level(THRESHOLDS.httpErrorRatio, 'critical')),
      requestsWith(RECORDINGS.httpErrorRatio),
      RATE_WINDOW,
      MINIMUM_EVENTS.httpRequests,
    ),
    gt(
      ratio(
        sumBy(['job'], rate(SERVER_ERRORS, STILL_FAILING_WINDOW)),
        sumBy(['job'], rate(app.httpRequests, STILL_FAILING_WINDOW)),
      ),
      level(THRESHOLDS.httpErrorRatio, 'critical') / 2,
    ),
  ),
  for: Duration.minutes(5),
  keepFiringFor: EFFECTS_CLEAR,
  severity: 'critical',
  panel: { dashboard: 'overview', title: 'API error rate' },
  summary: t`API ${$label('job')} answers ${$value('percent')} of requests with a 5xx error`,
  description: t`More than ${formatLevel(THRESHOLDS.httpErrorRatio, 'critical')} of the responses of job ${$label('job')} have been server errors for 5 minutes, and it still answers them (${guardText(RATE_WINDOW, MINIMUM_EVENTS.httpRequests)}). Users see failures; the availability SLO's budget is on the error budget dashboard.`,
});

const HighLatency = alert({
  name: 'HighLatency',
  expr: withEnoughEvents(
    gt(select(RECORDINGS.httpSlowRatio), tailShare(THRESHOLDS.httpLatencyP95)),
    requestsWith(RECORDINGS.httpSlowRatio),
    RATE_WINDOW,
    MINIMUM_EVENTS.httpRequests,
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
