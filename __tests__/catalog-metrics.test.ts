/**
 * The catalog against reality: exporter metrics exist in the pinned exporters (fixtures captured
 * from the real binaries), rules name only catalog metrics, application metrics follow Prometheus
 * naming conventions, and docs/METRICS.md is current.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { JOB, METRICS, Metric, MetricSource, TARGET_LABELS, allMetrics, seriesNames } from '../rules/catalog';
import { renderRuleFiles } from '../rules';
import { METRICS_DOC_PATH, renderMetricsDoc } from '../rules/metrics-doc';
import { allRecordings } from '../rules/recordings';
import { SCRAPE_JOBS } from '../prometheus/jobs';
import { THRESHOLDS, Threshold } from '../rules/thresholds';

const FIXTURES = join(__dirname, 'fixtures', 'exporter-metrics');

/** Which fixture lists the names a source exposes (`up` is Prometheus' own, for every target). */
const FIXTURE_OF: Partial<Record<MetricSource, string>> = {
  'node-exporter': 'node-exporter.txt',
  'postgres-exporter': 'postgres-exporter.txt',
  'redis-exporter': 'redis-exporter.txt',
  cadvisor: 'cadvisor.txt',
  prometheus: 'prometheus.txt',
  alertmanager: 'alertmanager.txt',
};

function fixtureNames(file: string): Set<string> {
  const lines = readFileSync(join(FIXTURES, file), 'utf8').split('\n');
  return new Set(lines.map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#')));
}

const PROMQL_KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);

/**
 * Metric names an expression reads: identifiers left after removing strings, matchers, ranges,
 * grouping lists and function calls.
 */
function metricNamesIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\boffset\s+-?[0-9a-z]+/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = [...bare.matchAll(/[a-zA-Z_:][a-zA-Z0-9_:]*(?=\s*(\()?)/g)]
    .filter((match) => match[1] === undefined)
    .map((match) => match[0])
    .filter((name) => !PROMQL_KEYWORDS.has(name.toLowerCase()));
  return [...new Set(names)];
}

interface RenderedRule {
  alert?: string;
  record?: string;
  expr: string;
}

const renderedRules: RenderedRule[] = renderRuleFiles().flatMap((file) => (parse(file.content) as { groups: { rules: RenderedRule[] }[] }).groups.flatMap((group) => group.rules));

describe('metric names in rules', () => {
  const known = new Set([...allMetrics().flatMap(seriesNames), ...allRecordings().map((recording) => recording.name)]);

  test('the extractor finds names and ignores functions, labels and keywords', () => {
    expect(metricNamesIn('histogram_quantile(0.95, sum by (job, le) (rate(x_bucket{le!="+Inf", a=~"b|c"}[5m]))) > 2 and y:z:ratio > 0.1 or absent(up{job="api"}) and on () w offset 30m')).toEqual([
      'x_bucket',
      'y:z:ratio',
      'up',
      'w',
    ]);
  });

  test('every rule reads only catalog metrics and recorded series', () => {
    const unknown = renderedRules.flatMap((rule) => metricNamesIn(rule.expr).filter((name) => !known.has(name)).map((name) => `${rule.alert ?? rule.record}: ${name}`));
    expect(unknown).toEqual([]);
  });

  test('an expression with a metric outside the catalog would be caught', () => {
    expect(metricNamesIn('rate(http_requests_totl[5m]) > 0').filter((name) => !known.has(name))).toEqual(['http_requests_totl']);
  });

  test('every alert but the Watchdog reads at least one metric', () => {
    const blind = renderedRules.filter((rule) => rule.alert && metricNamesIn(rule.expr).length === 0).map((rule) => rule.alert);
    expect(blind).toEqual(['Watchdog']);
  });
});

describe('exporter metrics exist in the pinned exporters', () => {
  const exported = allMetrics().filter((metric) => FIXTURE_OF[metric.source]);

  test.each(Object.entries(FIXTURE_OF))('%s: every catalog name is exposed (fixture %s)', (source, file) => {
    const names = fixtureNames(file);
    const metrics = exported.filter((metric) => metric.source === source);
    expect(metrics.length).toBeGreaterThan(0);
    const missing = metrics.filter((metric) => !metric.newerOnly && seriesNames(metric).some((name) => !names.has(name))).map((metric) => metric.name);
    expect(missing).toEqual([]);
    // A metric marked newer-only must really be missing from the captured (older) binary.
    const wronglyMarked = metrics.filter((metric) => metric.newerOnly && seriesNames(metric).every((name) => names.has(name))).map((metric) => metric.name);
    expect(wronglyMarked).toEqual([]);
  });

  test('the fixtures are real captures, not stubs', () => {
    for (const file of Object.values(FIXTURE_OF)) expect(fixtureNames(file!).size).toBeGreaterThan(80);
    expect(fixtureNames('node-exporter.txt').has('node_cpu_seconds_total')).toBe(true);
    expect(fixtureNames('postgres-exporter.txt').has('pg_up')).toBe(true);
  });
});

describe('histogram buckets (the contract with the application)', () => {
  test('every application histogram names its buckets, ascending and positive', () => {
    const histograms = Object.values(METRICS.app).filter((metric: Metric) => metric.type === 'histogram') as Metric[];
    expect(histograms.length).toBeGreaterThan(0);
    for (const { name, buckets = [] } of histograms) {
      expect([name, buckets.length > 0]).toEqual([name, true]);
      expect([name, buckets]).toEqual([name, [...buckets].sort((a, b) => a - b)]);
      expect([name, buckets.filter((bound) => !(bound > 0))]).toEqual([name, []]);
    }
  });

  test('every quantile threshold is a bucket bound of its histogram, so the alert reads no interpolation there', () => {
    const quantiles = Object.entries(THRESHOLDS as Record<string, Threshold>).filter(([, threshold]) => threshold.quantileOf);
    expect(quantiles.map(([name]) => name).sort()).toEqual(['dbQueryLatencyP95', 'httpLatencyP95']);
    const offGrid = quantiles.flatMap(([name, { levels, quantileOf }]) =>
      Object.values(levels)
        .filter((level) => !quantileOf!.buckets?.includes(level))
        .map((level) => `${name} ${level} is not a bucket of ${quantileOf!.name} (${quantileOf!.buckets?.join(', ')})`),
    );
    expect(offGrid).toEqual([]);
  });
});

describe('catalog conventions', () => {
  const metrics = allMetrics();

  test('names are unique', () => {
    const names = metrics.flatMap(seriesNames);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  });

  test('application metrics follow Prometheus naming: prefix, _total counters, base units, no _total elsewhere', () => {
    const problems = (Object.values(METRICS.app) as Metric[]).flatMap((metric) => {
      const found: string[] = [];
      if (!/^stock_tracker_[a-z0-9_]+$/.test(metric.name)) found.push(`${metric.name}: not stock_tracker_<snake_case>`);
      if ((metric.type === 'counter') !== metric.name.endsWith('_total')) found.push(`${metric.name}: only counters end in _total`);
      if (metric.type === 'histogram' && !metric.name.endsWith('_seconds')) found.push(`${metric.name}: histograms here measure seconds`);
      if (/_(ms|milliseconds|minutes|kb|mb)(_|$)/.test(metric.name)) found.push(`${metric.name}: not a base unit`);
      return found;
    });
    expect(problems).toEqual([]);
  });

  test('application labels are snake_case and low-cardinality', () => {
    const unbounded = /^(id|.*_id|path|url|user|email|query|message|error_message|ip)$/;
    const labels = (Object.values(METRICS.app) as Metric[]).flatMap((metric) => Object.keys(metric.labels).map((label) => `${metric.name}:${label}`));
    expect(labels.filter((pair) => !/:[a-z][a-z0-9_]*$/.test(pair))).toEqual([]);
    expect(labels.filter((pair) => unbounded.test(pair.split(':')[1]))).toEqual([]);
  });

  test('every scraped metric carries the target labels, with the job names of prometheus/', () => {
    for (const metric of metrics) expect(Object.keys(metric.labels)).toEqual(expect.arrayContaining(Object.keys(TARGET_LABELS)));
    expect(TARGET_LABELS.job.values).toEqual(SCRAPE_JOBS);
    expect(Object.values(JOB)).toEqual([...SCRAPE_JOBS]);
  });

  test('the contract covers what SPEC.md measures', () => {
    const app = Object.values(METRICS.app) as Metric[];
    const labelsOf = (name: string) => Object.keys(app.find((metric) => metric.name === name)?.labels ?? {});
    expect(labelsOf('stock_tracker_http_requests_total')).toEqual(expect.arrayContaining(['method', 'endpoint', 'status']));
    expect(labelsOf('stock_tracker_celery_queue_length')).toContain('queue_name');
    expect(labelsOf('stock_tracker_sync_operations_total')).toEqual(expect.arrayContaining(['platform', 'outcome']));
    expect(METRICS.app.syncOperations.labels.platform.values).toEqual(['wb', 'ozon']);
    expect(labelsOf('stock_tracker_products_tracked')).toContain('tenant');
    expect(labelsOf('stock_tracker_google_sheets_operations_total')).toEqual(expect.arrayContaining(['operation', 'outcome']));
    expect(app.map((metric) => metric.type)).toEqual(expect.arrayContaining(['counter', 'gauge', 'histogram']));
  });
});

describe('docs/METRICS.md', () => {
  test('is current (regenerate with `npm run docs:metrics`)', () => {
    expect(readFileSync(METRICS_DOC_PATH, 'utf8')).toBe(renderMetricsDoc());
  });

  test('lists every catalog metric and recorded series', () => {
    const doc = renderMetricsDoc();
    const absent = [...allMetrics(), ...allRecordings()].filter((metric) => !doc.includes(`\`${metric.name}\``)).map((metric) => metric.name);
    expect(absent).toEqual([]);
  });
});
