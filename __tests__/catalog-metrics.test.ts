/**
 * The catalog against reality: exporter metrics exist in the pinned exporters (fixtures captured
 * from the real binaries), rules name only catalog metrics, application metrics follow Prometheus
 * naming conventions, and docs/METRICS.md is current.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { JOB } from '../core/components';
import { METRICS, Metric, TARGET_LABELS, allMetrics, seriesNames } from '../domain/metrics';
import { MetricSource } from '../core/components';
import { scrapedMetrics } from '../domain/rules/blind-spots';
import { panelQueries, panelReadings } from '../domain/dashboards';
import { ALERTS, RULE_GROUPS, renderRuleFiles } from '../domain/rules';
import { METRICS_DOC_PATH, renderMetricsDoc } from '../tools/metrics-doc';
import { allRecordings } from '../domain/metrics';
import { SCRAPE_JOBS } from '../core/components';
import { THRESHOLDS, Threshold } from '../domain/metrics/thresholds';

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

const renderedRules: RenderedRule[] = renderRuleFiles(RULE_GROUPS).flatMap((file) =>
  (parse(file.content) as { groups: { rules: RenderedRule[] }[] }).groups.flatMap((group) => group.rules),
);

describe('metric names in rules', () => {
  const known = new Set([...allMetrics().flatMap(seriesNames), ...allRecordings().map((recording) => recording.name)]);

  test('the extractor finds names and ignores functions, labels and keywords', () => {
    expect(
      metricNamesIn(
        'histogram_quantile(0.95, sum by (job, le) (rate(x_bucket{le!="+Inf", a=~"b|c"}[5m]))) > 2 and y:z:ratio > 0.1 or absent(up{job="api"}) and on () w offset 30m',
      ),
    ).toEqual(['x_bucket', 'y:z:ratio', 'up', 'w']);
  });

  test('every rule reads only catalog metrics and recorded series', () => {
    const unknown = renderedRules.flatMap((rule) =>
      metricNamesIn(rule.expr)
        .filter((name) => !known.has(name))
        .map((name) => `${rule.alert ?? rule.record}: ${name}`),
    );
    expect(unknown).toEqual([]);
  });

  test('an expression with a metric outside the catalog would be caught', () => {
    expect(metricNamesIn('rate(http_requests_totl[5m]) > 0').filter((name) => !known.has(name))).toEqual([
      'http_requests_totl',
    ]);
  });

  test('every alert but the Watchdog reads at least one metric', () => {
    const blind = renderedRules
      .filter((rule) => rule.alert && metricNamesIn(rule.expr).length === 0)
      .map((rule) => rule.alert);
    expect(blind).toEqual(['Watchdog']);
  });
});

describe('exporter metrics exist in the pinned exporters', () => {
  const exported = allMetrics().filter((metric) => FIXTURE_OF[metric.source]);

  test.each(Object.entries(FIXTURE_OF))('%s: every catalog name is exposed (fixture %s)', (source, file) => {
    const names = fixtureNames(file);
    const metrics = exported.filter((metric) => metric.source === source);
    expect(metrics.length).toBeGreaterThan(0);
    const missing = metrics
      .filter((metric) => !metric.newerOnly && seriesNames(metric).some((name) => !names.has(name)))
      .map((metric) => metric.name);
    expect(missing).toEqual([]);
    // A metric marked newer-only must really be missing from the captured (older) binary.
    const wronglyMarked = metrics
      .filter((metric) => metric.newerOnly && seriesNames(metric).every((name) => names.has(name)))
      .map((metric) => metric.name);
    expect(wronglyMarked).toEqual([]);
  });

  test('the fixtures are real captures, not stubs', () => {
    for (const file of Object.values(FIXTURE_OF)) expect(fixtureNames(file!).size).toBeGreaterThan(80);
    expect(fixtureNames('node-exporter.txt').has('node_cpu_seconds_total')).toBe(true);
    expect(fixtureNames('postgres-exporter.txt').has('pg_up')).toBe(true);
  });
});

describe('celery-exporter metrics are those of the pinned release (fixtures captured from it, tools/capture/celery-exporter.sh)', () => {
  /** `name -> label names` of every sample line of a captured exposition (`_created` series aside). */
  function captured(file: string): Map<string, string[]> {
    const text = readFileSync(join(__dirname, 'fixtures', 'celery-exporter', file), 'utf8');
    const shapes = new Map<string, string[]>();
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
      const [, name, labels = ''] = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? /.exec(line) ?? [];
      if (!name.endsWith('_created'))
        shapes.set(
          name,
          [...labels.matchAll(/([a-zA-Z_]+)="/g)]
            .map((m) => m[1])
            .filter((l) => l !== 'le')
            .sort(),
        );
    }
    return shapes;
  }
  const withEvents = captured('events-on.prom');
  const withoutEvents = captured('events-off.prom');
  const own = (metric: Metric) =>
    Object.keys(metric.labels)
      .filter((name) => !(name in TARGET_LABELS))
      .sort();

  test('every catalog series exists with exactly the catalog labels (task events on)', () => {
    const problems = (Object.values(METRICS.celery) as Metric[]).flatMap((metric) =>
      seriesNames(metric).flatMap((name) => {
        const labels = withEvents.get(name);
        if (!labels) return [`${name}: not exposed`];
        return labels.join(',') === own(metric).join(',')
          ? []
          : [`${name}: labels ${labels.join(',')}, catalog ${own(metric).join(',')}`];
      }),
    );
    expect(problems).toEqual([]);
  });

  test('without task events only the queue and worker series exist: what CeleryWorkerDown, CeleryQueueBacklog and the task-events blind spot read', () => {
    expect([...withoutEvents.keys()].sort()).toEqual(
      [
        METRICS.celery.workerUp,
        METRICS.celery.workerTasksActive,
        METRICS.celery.queueLength,
        METRICS.celery.activeWorkers,
        METRICS.celery.activeProcesses,
      ]
        .map((m) => m.name)
        .sort(),
    );
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
    const quantiles = Object.entries(THRESHOLDS as Record<string, Threshold>).filter(
      ([, threshold]) => threshold.quantileOf,
    );
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

  test('names are unique, but for the one the service and the celery-exporter both define, which every rule and panel tells apart by job', () => {
    const names = metrics.flatMap(seriesNames);
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([METRICS.celery.queueLength.name]);
    const readers = [...Object.values(ALERTS), ...allRecordings()]
      .map((rule) => rule.expr.text)
      .concat(panelQueries().map((q) => q.expr));
    const unscoped = readers.filter((expr) =>
      new RegExp(`\\b${METRICS.celery.queueLength.name}\\b(?!\\{[^}]*job=)`).test(expr),
    );
    expect(unscoped).toEqual([]);
  });

  test('application metrics follow Prometheus naming: snake_case, _total counters, base units, no _total elsewhere', () => {
    const problems = (Object.values(METRICS.app) as Metric[]).flatMap((metric) => {
      const found: string[] = [];
      if (!/^[a-z][a-z0-9_]+$/.test(metric.name)) found.push(`${metric.name}: not snake_case`);
      if ((metric.type === 'counter') !== metric.name.endsWith('_total'))
        found.push(`${metric.name}: only counters end in _total`);
      if (metric.type === 'histogram' && !metric.name.endsWith('_seconds'))
        found.push(`${metric.name}: histograms here measure seconds`);
      if (/_(ms|milliseconds|minutes|kb|mb)(_|$)/.test(metric.name)) found.push(`${metric.name}: not a base unit`);
      return found;
    });
    // The service's gauge of tracked products breaks the convention; its name is a fact of the service, kept as is.
    expect(problems).toEqual(['products_total: only counters end in _total']);
  });

  test('application labels are snake_case and low-cardinality (tenant_id: one per customer account, a bounded set)', () => {
    const unbounded = /^(id|(?!tenant_id$).*_id|path|url|user|email|query|message|error_message|ip)$/;
    const labels = (Object.values(METRICS.app) as Metric[]).flatMap((metric) =>
      Object.keys(metric.labels).map((label) => `${metric.name}:${label}`),
    );
    expect(labels.filter((pair) => !/:[a-z][a-z0-9_]*$/.test(pair))).toEqual([]);
    expect(labels.filter((pair) => unbounded.test(pair.split(':')[1]))).toEqual([]);
  });

  test('every scraped metric carries the target labels, with the job names of prometheus/', () => {
    for (const metric of metrics)
      expect(Object.keys(metric.labels)).toEqual(expect.arrayContaining(Object.keys(TARGET_LABELS)));
    expect(TARGET_LABELS.job.values).toEqual(SCRAPE_JOBS);
    expect(Object.values(JOB)).toEqual([...SCRAPE_JOBS]);
  });

  test("the contract covers what the requirements measure, under the real service's names", () => {
    const app = Object.values(METRICS.app) as Metric[];
    const labelsOf = (name: string) => Object.keys(app.find((metric) => metric.name === name)?.labels ?? {});
    expect(labelsOf('http_requests_total')).toEqual(expect.arrayContaining(['method', 'endpoint', 'status']));
    expect(labelsOf('sync_operations_total')).toEqual(expect.arrayContaining(['platform', 'status', 'tenant_id']));
    expect(METRICS.app.syncOperations.labels.platform.values).toEqual(['wildberries', 'ozon']);
    expect(METRICS.app.sheetsOperations.labels.status.values).toEqual(['success', 'error']);
    expect(labelsOf('products_total')).toContain('tenant_id');
    expect(labelsOf('sheets_operations_total')).toEqual(expect.arrayContaining(['operation', 'status']));
    expect(app.map((metric) => metric.type)).toEqual(expect.arrayContaining(['counter', 'gauge', 'histogram']));
  });
});

describe('the application metrics are those of the real service (fixture captured by running monitoring.py)', () => {
  interface CapturedMetric {
    family: string;
    type: string;
    series: string[];
    labels: string[];
    buckets?: number[];
  }
  const fixture = JSON.parse(
    readFileSync(join(__dirname, 'fixtures', 'stock-tracker', 'app-metrics.json'), 'utf8'),
  ) as {
    metrics: CapturedMetric[];
    defaultRegistry: { importedModule: string; familiesTheImportedModuleAdds: string[] };
  };
  const ownLabels = (metric: Metric) =>
    Object.keys(metric.labels)
      .filter((name) => !(name in TARGET_LABELS))
      .sort();
  const asCaptured = (metric: Metric) => ({
    type: metric.type,
    series: seriesNames(metric).sort(),
    labels: ownLabels(metric),
    ...(metric.buckets ? { buckets: [...metric.buckets] } : {}),
  });

  test('every metric of the class is in the catalog with its type, series, labels and buckets, and nothing else', () => {
    const captured = Object.fromEntries(
      fixture.metrics.map(({ family: _family, labels, ...rest }) => [
        rest.series[0].replace(/_(bucket|count|sum)$/, ''),
        { ...rest, labels: [...labels].sort() },
      ]),
    );
    const catalog = Object.fromEntries(
      (Object.values(METRICS.app) as Metric[]).map((metric) => [metric.name, asCaptured(metric)]),
    );
    expect(catalog).toEqual(captured);
  });

  test('every application metric a rule or panel reads is in the fixture', () => {
    const capturedSeries = new Set(fixture.metrics.flatMap((metric) => metric.series));
    const read = [...Object.values(ALERTS), ...allRecordings()]
      .flatMap((rule) => scrapedMetrics(rule.expr.metrics))
      .concat(panelReadings().flatMap((panel) => scrapedMetrics(panel.metrics)));
    const missing = read.filter(
      (metric) => metric.source === 'stock-tracker' && seriesNames(metric).some((name) => !capturedSeries.has(name)),
    );
    expect(missing.map((metric) => metric.name)).toEqual([]);
  });

  test('the package the API imports shadows the module and registers nothing: /metrics has only the process collectors', () => {
    expect(fixture.defaultRegistry.importedModule).toBe('stock_tracker/monitoring/__init__.py');
    expect(fixture.defaultRegistry.familiesTheImportedModuleAdds).toEqual([]);
  });
});

describe('docs/METRICS.md', () => {
  test('is current (regenerate with `npm run docs:metrics`)', () => {
    expect(readFileSync(METRICS_DOC_PATH, 'utf8')).toBe(renderMetricsDoc());
  });

  test('lists every catalog metric and recorded series', () => {
    const doc = renderMetricsDoc();
    const absent = [...allMetrics(), ...allRecordings()]
      .filter((metric) => !doc.includes(`\`${metric.name}\``))
      .map((metric) => metric.name);
    expect(absent).toEqual([]);
  });
});
