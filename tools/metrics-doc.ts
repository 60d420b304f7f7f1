/**
 * Renders docs/METRICS.md from the catalog: the metrics the Stock Tracker application must expose
 * (its contract with every rule and dashboard), the exporter metrics in use, the recorded series
 * and the thresholds. `npm run docs:metrics` rewrites the file; a test fails when it is stale.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LabelDoc, METRICS, Metric, MetricGroup, TARGET_LABELS, allRecordings } from '../domain/metrics';
import { THRESHOLDS, formatThreshold } from '../domain/metrics/thresholds';

export const METRICS_DOC_PATH = join(__dirname, '..', 'docs', 'METRICS.md');

const EXPORTER_GROUPS: { group: MetricGroup; title: string }[] = [
  { group: 'node', title: 'node-exporter (host)' },
  { group: 'postgres', title: 'postgres-exporter' },
  { group: 'redis', title: 'redis-exporter' },
  { group: 'celery', title: 'celery-exporter (Celery queues, workers and, with task events, tasks)' },
  { group: 'cadvisor', title: 'cAdvisor (containers)' },
  { group: 'prometheus', title: 'Prometheus itself' },
  { group: 'alertmanager', title: 'Alertmanager' },
  { group: 'scrape', title: 'Every scrape target' },
];

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function labelText(name: string, doc: LabelDoc): string {
  const values = doc.values ? ` (${doc.values.map((value) => `\`${value}\``).join(', ')})` : '';
  return `\`${name}\`${values}: ${doc.help}`;
}

/** The labels a metric's owner sets: the target labels `job` and `instance` come from Prometheus. */
function ownLabels(metric: Metric): string {
  const own = Object.entries(metric.labels).filter(([name]) => !(name in TARGET_LABELS));
  return own.length === 0 ? '—' : own.map(([name, doc]) => labelText(name, doc)).join('<br>');
}

function metricTable(metrics: Metric[]): string[] {
  return [
    '| metric | type | labels | meaning |',
    '| --- | --- | --- | --- |',
    ...metrics.map((metric) => {
      const since = metric.newerOnly ? ` (only since ${metric.newerOnly.since}: ${metric.newerOnly.reason})` : '';
      const buckets = metric.buckets ? `. Buckets: ${metric.buckets.join(', ')}` : '';
      const note = since + buckets;
      return `| \`${metric.name}\` | ${metric.type} | ${cell(ownLabels(metric))} | ${cell(metric.help + note)} |`;
    }),
  ];
}

export function renderMetricsDoc(): string {
  const lines = [
    '# Metrics',
    '',
    '<!-- Generated from domain/metrics/catalog.ts by `npm run docs:metrics`; do not edit by hand. -->',
    '',
    'Every metric a rule or dashboard uses. Names and labels are written once, in `domain/metrics/catalog.ts`;',
    'rules, panels and this page are generated from it. Prometheus adds `job` and `instance` to every',
    'scraped series; the labels below are those the exporting process sets.',
    '',
    '## Stock Tracker application (the contract)',
    '',
    'What the `PrometheusMetrics` class of the service (`src/stock_tracker/monitoring.py`) registers,',
    'names, types, labels and buckets as captured by running it',
    '(`__tests__/fixtures/stock-tracker/app-metrics.json`, `tools/capture/stock-tracker-metrics.py`). The',
    'API serves them at `/metrics` (port 8000) once that class is the one it imports; the Celery workers',
    'serve no `/metrics`, so what they would count reaches Prometheus only through the celery-exporter.',
    'Histograms expose `_bucket`, `_sum` and `_count`. `products_total` is a gauge despite its `_total`',
    'suffix (Prometheus keeps `_total` for counters): carried over as the service names it.',
    '',
    ...metricTable(Object.values(METRICS.app) as Metric[]),
    '',
    '## Exporter metrics in use',
    '',
    'Real names as the pinned exporters expose them (checked against captured metric lists in',
    '`__tests__/fixtures/exporter-metrics/`).',
  ];
  for (const { group, title } of EXPORTER_GROUPS) {
    lines.push('', `### ${title}`, '', ...metricTable(Object.values(METRICS[group]) as Metric[]));
  }
  lines.push(
    '',
    '## Recorded series',
    '',
    'Computed by recording rules (`domain/metrics/recordings.ts`) and shared by alerts and dashboards.',
    '',
    '| series | labels | meaning | expression |',
    '| --- | --- | --- | --- |',
    ...allRecordings().map(
      (recording) =>
        `| \`${recording.name}\` | ${Object.keys(recording.labels)
          .map((name) => `\`${name}\``)
          .join(', ')} | ${cell(recording.help)} | \`${cell(recording.expr.text)}\` |`,
    ),
    '',
    '## Thresholds',
    '',
    'Alert levels (`domain/metrics/thresholds.ts`), also used to colour dashboard panels.',
    '',
    '| threshold | measures | levels |',
    '| --- | --- | --- |',
    ...Object.entries(THRESHOLDS).map(([name, threshold]) => {
      const levels = Object.entries(threshold.levels)
        .map(([severity, value]) => `${severity} ${formatThreshold(value as number, threshold.unit)}`)
        .join(', ');
      return `| \`${name}\` | ${cell(threshold.measures)} | ${levels} |`;
    }),
    '',
  );
  return lines.join('\n');
}

if (require.main === module) {
  writeFileSync(METRICS_DOC_PATH, renderMetricsDoc());
  console.log(`wrote ${METRICS_DOC_PATH}`);
}
