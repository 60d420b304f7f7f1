/**
 * The typed PromQL helpers produce the expressions they promise (operator precedence, guards,
 * escaping), annotation templates print what the rule engine will print, and recordings borrow
 * their label docs from the catalog. Misspelt metrics and labels are compile errors, proven by
 * the `@ts-expect-error` lines (tsc fails if one of them compiles).
 */
import { Duration } from '../core/duration';
import { METRICS } from '../domain/metrics';
import { $label, $labelOr, $value, alert, t } from '../domain/rules/model';
import {
  bucketAt,
  shareAbove,
  unless,
  unlessAny,
  withLabel,
  absent,
  add,
  and,
  andAny,
  div,
  eq,
  gt,
  histogramQuantile,
  increase,
  matches,
  mul,
  noneOf,
  not,
  offsetBy,
  oneOf,
  or,
  rate,
  ratio,
  scalar,
  select,
  sub,
  subtractFrom,
  sum,
  sumBy,
} from '../domain/metrics/promql';
import { RECORDINGS, record } from '../domain/metrics/recordings';
import { THRESHOLDS, formatThreshold } from '../domain/metrics/thresholds';

const { app, celery, node, scrape } = METRICS;
const fiveMinutes = Duration.minutes(5);

describe('selectors and matchers', () => {
  test('labels render in the order given, values quoted and escaped', () => {
    expect(select(app.httpRequests, { method: 'GET', status: matches('5..'), endpoint: not('/health') }).text).toBe(
      'http_requests_total{method="GET", status=~"5..", endpoint!="/health"}',
    );
    expect(select(app.httpRequests, { endpoint: 'say "hi"' }).text).toBe(
      'http_requests_total{endpoint="say \\"hi\\""}',
    );
  });

  test('oneOf and noneOf escape regex characters', () => {
    expect(select(node.filesystemSize, { fstype: noneOf('tmpfs', 'fuse.lxcfs') }).text).toBe(
      'node_filesystem_size_bytes{fstype!~"tmpfs|fuse\\\\.lxcfs"}',
    );
    expect(select(app.syncOperations, { status: oneOf('success', 'failure') }).text).toContain(
      'status=~"success|failure"',
    );
  });
});

/**
 * Typos are compile errors: `npm test` runs tsc first, which fails if any line below compiles.
 * Never called; jest does not type-check.
 */
function typosThatMustNotCompile(): void {
  // @ts-expect-error a label the metric does not have
  select(app.httpRequests, { stauts: '500' });
  // @ts-expect-error a value outside the label's closed set
  select(app.syncOperations, { platform: 'amazon' });
  // @ts-expect-error a job prometheus/ does not scrape
  select(scrape.up, { job: 'apii' });
  // @ts-expect-error rate of a gauge
  rate(app.celeryQueueLength, fiveMinutes);
  // @ts-expect-error grouping by a label the expression does not have
  sumBy(['queue_name'], rate(app.httpRequests, fiveMinutes));
  // @ts-expect-error the recorded p95 keeps only `job`
  select(RECORDINGS.httpLatencyP95, { instance: 'api:8000' });
  alert({
    name: 'X',
    expr: sum(select(celery.activeWorkers)),
    for: fiveMinutes,
    severity: 'info',
    // @ts-expect-error an annotation printing a label the expression does not keep
    summary: t`${$label('instance')}`,
    description: t`x`,
  });
}
void typosThatMustNotCompile;

describe('functions and operators', () => {
  test('histogram_quantile sums buckets by the requested labels and le', () => {
    expect(
      histogramQuantile(0.99, app.syncDuration, Duration.minutes(15), ['platform'], { platform: 'ozon' }).text,
    ).toBe(
      'histogram_quantile(0.99, sum by (platform, le) (rate(sync_duration_seconds_bucket{platform="ozon"}[15m])))',
    );
    expect(() => histogramQuantile(95, app.syncDuration, fiveMinutes, [])).toThrow('quantile must be between 0 and 1');
  });

  test('operands are parenthesised only where precedence needs it', () => {
    const a = select(node.memoryAvailable);
    const b = select(node.memoryTotal);
    expect(subtractFrom(1, div(a, b)).text).toBe('1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes');
    expect(div(sub(b, a), b).text).toBe(
      '(node_memory_MemTotal_bytes - node_memory_MemAvailable_bytes) / node_memory_MemTotal_bytes',
    );
    expect(sub(b, sub(b, a)).text).toBe(
      'node_memory_MemTotal_bytes - (node_memory_MemTotal_bytes - node_memory_MemAvailable_bytes)',
    );
    expect(mul(add(a, 1), 2).text).toBe('(node_memory_MemAvailable_bytes + 1) * 2');
    expect(and(gt(a, 1), or(eq(b, 0), eq(a, 0))).text).toBe(
      'node_memory_MemAvailable_bytes > 1 and (node_memory_MemTotal_bytes == 0 or node_memory_MemAvailable_bytes == 0)',
    );
  });

  test('aggregations without grouping, increase and absent', () => {
    expect(sum(increase(app.syncOperations, Duration.minutes(30))).text).toBe(
      'sum (increase(sync_operations_total[30m]))',
    );
    expect(absent(scrape.up, { job: 'celery' }).text).toBe('absent(up{job="celery"})');
  });

  test('a guard matches on no labels; offset looks back at a selector', () => {
    const wholeWindow = offsetBy(select(scrape.up, { job: 'celery' }), Duration.minutes(30));
    expect(wholeWindow.text).toBe('up{job="celery"} offset 30m');
    const silence = or(eq(sum(increase(app.syncOperations, Duration.minutes(30))), 0), absent(app.syncOperations));
    expect(andAny(silence, wholeWindow).text).toBe(
      '(sum (increase(sync_operations_total[30m])) == 0 or absent(sync_operations_total)) and on () up{job="celery"} offset 30m',
    );
    expect(andAny(silence, wholeWindow).metrics.map((metric) => metric.name)).toEqual([
      'sync_operations_total',
      'sync_operations_total',
      'up',
    ]);
  });

  test('numbers must be finite', () => {
    expect(() => scalar(Number.NaN)).toThrow('a PromQL number must be finite, got NaN');
  });

  test('expressions remember the metrics they read', () => {
    expect(RECORDINGS.httpErrorRatio.expr.metrics.map((metric) => metric.name)).toEqual(
      expect.arrayContaining([app.httpRequests.name]),
    );
  });
});

describe('histogram buckets', () => {
  test("a whole bound matches the Python client's `1.0` and the normalised `1`; others match as written", () => {
    expect(bucketAt(app.dbQueryDuration, 1).text).toBe('db_query_duration_seconds_bucket{le=~"1(\\\\.0)?"}');
    expect(bucketAt(app.httpRequestDuration, 2.5, { method: 'GET' }).text).toBe(
      'http_request_duration_seconds_bucket{method="GET", le="2.5"}',
    );
  });

  test('a bound that is not a bucket of the histogram is refused, naming its buckets', () => {
    expect(() => bucketAt(app.httpRequestDuration, 2)).toThrow(
      'http_request_duration_seconds has no bucket 2 (its buckets: 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)',
    );
  });

  test('the share above a bound is one minus the share within it, guarded against no traffic', () => {
    expect(shareAbove(app.dbQueryDuration, 1, fiveMinutes, ['job']).text).toBe(
      '1 - sum by (job) (rate(db_query_duration_seconds_bucket{le=~"1(\\\\.0)?"}[5m])) / (sum by (job) (rate(db_query_duration_seconds_bucket{le="+Inf"}[5m])) > 0)',
    );
  });
});

describe('set operators matched on nothing or on some labels, and constant labels', () => {
  const up = select(scrape.up, { job: 'api' });
  test('unless on () drops everything while the right side has any series; unless on (labels) matches on those', () => {
    expect(unlessAny(up, select(app.syncOperations)).text).toBe('up{job="api"} unless on () sync_operations_total');
    expect(unless(up, select(app.dbConnectionsActive), ['job', 'instance']).text).toBe(
      'up{job="api"} unless on (job, instance) db_connections_active',
    );
  });

  test('withLabel sets one label on every series', () => {
    expect(withLabel(select(celery.queueLength), 'platform', 'all marketplaces').text).toBe(
      'label_replace(celery_queue_length, "platform", "all marketplaces", "", "")',
    );
  });
});

describe('ratio guards', () => {
  const errors = sumBy(['job'], rate(select(app.httpRequests, { status: matches('5..') }), fiveMinutes));
  const all = sumBy(['job'], rate(app.httpRequests, fiveMinutes));

  test('drops groups without traffic instead of dividing by zero', () => {
    expect(ratio(errors, all).text).toBe(`${errors.text} / (${all.text} > 0)`);
  });

  test('a minimum denominator keeps tiny traffic from being judged', () => {
    expect(ratio(errors, all, { minDenominator: 0.1 }).text).toBe(`${errors.text} / (${all.text} > 0.1)`);
    expect(() => ratio(errors, all, { minDenominator: -1 })).toThrow('minDenominator must be 0 or more, got -1');
  });

  test('counted events read 0 where no failure was ever counted', () => {
    expect(ratio(errors, all, { absentNumeratorIsZero: true }).text).toBe(
      `(${errors.text} or ${all.text} * 0) / (${all.text} > 0)`,
    );
  });
});

describe('annotation templates', () => {
  test('render to Prometheus templates and expand like them', () => {
    const template = t`Queue ${$label('queue_name')} on ${$labelOr('instance', 'no target')} holds ${$value('number')} tasks (${formatThreshold(0.9, 'ratio')})`;
    expect(template.toString()).toBe(
      'Queue {{ $labels.queue_name }} on {{ with $labels.instance }}{{ . }}{{ else }}no target{{ end }} holds {{ $value | humanize }} tasks (90%)',
    );
    expect(template.expand({ queue_name: 'sync' }, { value: '150' })).toBe(
      'Queue sync on no target holds 150 tasks (90%)',
    );
    expect(() => template.expand({}, { value: '150' })).toThrow(
      'prints label "queue_name" that the expected alert labels lack',
    );
    expect(() => template.expand({ queue_name: 'sync' })).toThrow('the test case must say how it prints');
  });

  test('nested templates merge into one text', () => {
    const where = t`${$label('mountpoint')} of ${$label('instance')}`;
    expect(t`Disk ${where} is full`.parts).toEqual(['Disk ', where.parts[0], ' of ', where.parts[2], ' is full']);
  });
});

describe('recordings and thresholds', () => {
  test('recording names follow level:metric:operations and carry catalog label docs', () => {
    expect(() => record('no_colons', 'x', ['job'], sumBy(['job'], rate(app.httpRequests, fiveMinutes)))).toThrow(
      'must follow level:metric:operations',
    );
    expect(RECORDINGS.syncFailureRatio.labels.platform).toBe(app.syncOperations.labels.platform);
  });

  test('a recording cannot claim a label its metrics lack', () => {
    const expr = sum(rate(app.httpRequests, fiveMinutes)) as unknown as ReturnType<
      typeof sumBy<'job' | 'tenant', 'tenant'>
    >;
    expect(() => record('job:x:sum', 'x', ['tenant'], expr)).toThrow(
      'keeps label "tenant" that none of its metrics has',
    );
  });

  test('thresholds read as operators write them', () => {
    expect(formatThreshold(THRESHOLDS.cpuUsage.levels.critical, THRESHOLDS.cpuUsage.unit)).toBe('95%');
    expect(formatThreshold(THRESHOLDS.httpLatencyP95.levels.warning, 'seconds')).toBe('2.5s');
    expect(formatThreshold(THRESHOLDS.syncSilence.levels.info, 'seconds')).toBe('30 min');
    expect(formatThreshold(THRESHOLDS.celeryQueueLength.levels.warning, THRESHOLDS.celeryQueueLength.unit)).toBe(
      '100 tasks',
    );
  });
});
