/**
 * The rendered dashboards: what the issue asks of each (titles, refresh, visualisations), the
 * structure Grafana needs (unique ids, a grid without overlaps, a query, unit, title and
 * description on every panel, every variable used), thresholds that are the alert thresholds,
 * PromQL that reads only catalog metrics, recordings and their labels, and the query list the
 * e2e harness runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMPONENT_DESCRIPTORS } from '../core/components';
import { compareReleases, parseRelease, releaseOfImage } from '../core/release';
import { DEFAULT_CONFIG } from '../config/monitoring-config';
import {
  ALL_VALUES,
  DASHBOARD_UIDS,
  PROMETHEUS_DATASOURCE_UID,
  panelQueries,
  renderDashboards,
} from '../domain/dashboards';
import { PANEL_UNITS, UP, gaugePanel, query } from '../domain/dashboards/panels';
import { allMetrics, seriesNames } from '../domain/metrics';
import { select } from '../domain/metrics/promql';
import { RECORDINGS, allRecordings } from '../domain/metrics/recordings';
import { THRESHOLDS } from '../domain/metrics/thresholds';
import { labelValuesQuery, legendLabels, promqlIdentifiers } from './dashboards-promql-identifiers';

interface Target {
  refId: string;
  expr: string;
  legendFormat?: string;
  datasource?: { uid?: string };
}
interface GridPos {
  x: number;
  y: number;
  w: number;
  h: number;
}
interface ModelPanel {
  id: number;
  type: string;
  title: string;
  description?: string;
  gridPos: GridPos;
  datasource?: { uid?: string };
  targets?: Target[];
  fieldConfig?: {
    defaults: {
      unit?: string;
      min?: number;
      max?: number;
      thresholds?: { steps: { value: number | null; color: string }[] };
    };
  };
  options?: Record<string, unknown>;
  collapsed?: boolean;
  panels?: unknown[];
}
interface Model {
  uid: string;
  title: string;
  refresh: string;
  panels: ModelPanel[];
  templating: { list?: { name: string; query: string; allValue?: string; datasource?: { uid?: string } }[] };
}

const rendered = renderDashboards({ alertmanager: DEFAULT_CONFIG.alerting.externalUrl });
const models: Model[] = rendered.map((dashboard) => JSON.parse(dashboard.json));
const UIDS = models.map((model) => model.uid);
const modelOf = (uid: string) => models.find((model) => model.uid === uid)!;
const contentPanels = (model: Model) => model.panels.filter((panel) => panel.type !== 'row');
const panelTitled = (uid: string, title: string) => {
  const panel = contentPanels(modelOf(uid)).find((candidate) => candidate.title === title);
  if (!panel) throw new Error(`${uid} has no panel "${title}"`);
  return panel;
};
const allTargets = models.flatMap((model) =>
  contentPanels(model).flatMap((panel) => (panel.targets ?? []).map((target) => ({ model, panel, target }))),
);
const variableNames = (model: Model) => (model.templating.list ?? []).map((variable) => variable.name);

describe('the three dashboards', () => {
  test('are those of the issue, with stable unique uids, their titles and refresh', () => {
    expect(models.map((model) => [model.uid, model.title, model.refresh])).toEqual([
      ['stock-tracker-overview', 'Stock Tracker - Overview', '10s'],
      ['stock-tracker-business', 'Stock Tracker - Business Metrics', '30s'],
      ['stock-tracker-infrastructure', 'Stock Tracker - Infrastructure', '30s'],
    ]);
    expect(UIDS).toEqual(Object.values(DASHBOARD_UIDS));
    expect(new Set(UIDS).size).toBe(UIDS.length);
    for (const uid of UIDS) expect(uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(rendered.map((dashboard) => [dashboard.uid, dashboard.title])).toEqual(
      models.map((model) => [model.uid, model.title]),
    );
  });

  test('render the same JSON every time (ids and layout do not drift)', () => {
    expect(renderDashboards({ alertmanager: DEFAULT_CONFIG.alerting.externalUrl })).toEqual(rendered);
  });

  test.each(UIDS)('%s matches its snapshot', (uid) => {
    expect(modelOf(uid)).toMatchSnapshot();
  });
});

describe.each(UIDS)('%s: structure', (uid) => {
  const model = modelOf(uid);

  test('panel ids (rows included) are unique', () => {
    const ids = model.panels.map((panel) => panel.id);
    expect(ids.every((id) => Number.isInteger(id) && id > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  test('no two panels overlap; each lies within the 24-column grid and every line is filled', () => {
    const overlaps: string[] = [];
    model.panels.forEach((a, i) =>
      model.panels.slice(i + 1).forEach((b) => {
        const apart =
          a.gridPos.x + a.gridPos.w <= b.gridPos.x ||
          b.gridPos.x + b.gridPos.w <= a.gridPos.x ||
          a.gridPos.y + a.gridPos.h <= b.gridPos.y ||
          b.gridPos.y + b.gridPos.h <= a.gridPos.y;
        if (!apart) overlaps.push(`${a.title} / ${b.title}`);
      }),
    );
    expect(overlaps).toEqual([]);
    for (const { gridPos } of model.panels) {
      expect(gridPos.x).toBeGreaterThanOrEqual(0);
      expect(gridPos.w).toBeGreaterThan(0);
      expect(gridPos.x + gridPos.w).toBeLessThanOrEqual(24);
    }
    const widthByLine = new Map<number, number>();
    for (const { gridPos } of model.panels) widthByLine.set(gridPos.y, (widthByLine.get(gridPos.y) ?? 0) + gridPos.w);
    expect([...new Set(widthByLine.values())]).toEqual([24]);
  });

  test('rows are expanded, hold no panels and are followed by theirs (what Grafana shows for an open row)', () => {
    const rows = model.panels.filter((panel) => panel.type === 'row');
    expect(rows.length).toBeGreaterThan(0);
    expect(model.panels[0].type).toBe('row');
    for (const row of rows) expect(row).toMatchObject({ collapsed: false, panels: [], gridPos: { x: 0, w: 24, h: 1 } });
    const ys = model.panels.map((panel) => panel.gridPos.y);
    expect(ys).toEqual([...ys].sort((a, b) => a - b));
  });

  test('every panel has a title, a description, a unit, a query and the Prometheus data source by its uid', () => {
    const units = new Set<string>(Object.values(PANEL_UNITS));
    for (const panel of contentPanels(model)) {
      const where = `${uid} / ${panel.title}`;
      expect([where, panel.title.trim().length > 0, (panel.description ?? '').trim().length > 20]).toEqual([
        where,
        true,
        true,
      ]);
      expect([where, units.has(panel.fieldConfig?.defaults.unit ?? '')]).toEqual([where, true]);
      expect([where, panel.datasource]).toEqual([where, { type: 'prometheus', uid: PROMETHEUS_DATASOURCE_UID }]);
      expect(panel.targets?.length).toBeGreaterThan(0);
      const refIds = panel.targets!.map((target) => target.refId);
      expect(new Set(refIds).size).toBe(refIds.length);
      for (const target of panel.targets!) {
        expect([where, target.expr.trim().length > 0, target.datasource?.uid]).toEqual([
          where,
          true,
          PROMETHEUS_DATASOURCE_UID,
        ]);
      }
    }
  });

  test('titles are unique within the dashboard', () => {
    const titles = model.panels.map((panel) => panel.title);
    expect(titles.filter((title, i) => titles.indexOf(title) !== i)).toEqual([]);
  });

  test('every variable is used by a panel query', () => {
    const exprs = contentPanels(model).flatMap((panel) => panel.targets!.map((target) => target.expr));
    const unused = variableNames(model).filter((name) => !exprs.some((expr) => expr.includes(`$${name}`)));
    expect(unused).toEqual([]);
  });

  test('ratios are shown as percentages on a 0-100 % scale', () => {
    for (const panel of contentPanels(model).filter(
      (candidate) => candidate.fieldConfig?.defaults.unit === 'percentunit',
    )) {
      expect([panel.title, panel.fieldConfig!.defaults.min, panel.fieldConfig!.defaults.max]).toEqual([
        panel.title,
        0,
        1,
      ]);
    }
  });
});

describe('what the issue asks of each dashboard', () => {
  const { overview, business, infrastructure } = DASHBOARD_UIDS;
  const kindAndUnit = (uid: string, title: string) => {
    const panel = panelTitled(uid, title);
    return [panel.type, panel.fieldConfig?.defaults.unit];
  };

  test('Overview: status, traffic, latency (three lines), errors, in-flight, host, Celery', () => {
    expect(kindAndUnit(overview, 'API status')).toEqual(['gauge', 'percentunit']);
    expect(kindAndUnit(overview, 'Request rate by status')).toEqual(['timeseries', 'reqps']);
    expect(kindAndUnit(overview, 'API latency p50 / p95 / p99')).toEqual(['timeseries', 's']);
    expect(panelTitled(overview, 'API latency p50 / p95 / p99').targets!.map((target) => target.legendFormat)).toEqual([
      'p50',
      'p95',
      'p99',
    ]);
    expect(kindAndUnit(overview, 'API error rate')).toEqual(['stat', 'percentunit']);
    expect(kindAndUnit(overview, 'In-flight requests')).toEqual(['timeseries', 'short']);
    expect(kindAndUnit(overview, 'CPU usage')).toEqual(['gauge', 'percentunit']);
    expect(kindAndUnit(overview, 'Memory usage')).toEqual(['gauge', 'percentunit']);
    expect(kindAndUnit(overview, 'Celery task rate')).toEqual(['timeseries', 'ops']);
    expect(kindAndUnit(overview, 'Celery queue length')).toEqual(['bargauge', 'short']);
  });

  test('Business Metrics: products, syncs, duration, external API errors as bars, failure gauge, Sheets', () => {
    expect(kindAndUnit(business, 'Products tracked')).toEqual(['stat', 'short']);
    expect(kindAndUnit(business, 'Sync operations rate')).toEqual(['timeseries', 'ops']);
    expect(kindAndUnit(business, 'Sync duration p95')).toEqual(['timeseries', 's']);
    expect(kindAndUnit(business, 'External API errors')).toEqual(['timeseries', 'ops']);
    expect(panelTitled(business, 'External API errors').fieldConfig?.defaults).toMatchObject({
      custom: { drawStyle: 'bars' },
    });
    expect(kindAndUnit(business, 'Sync failure rate')).toEqual(['gauge', 'percentunit']);
    expect(kindAndUnit(business, 'Google Sheets operations')).toEqual(['timeseries', 'ops']);
  });

  test('Business Metrics: tenant_id and platform are "All"-able label_values variables, filtering every series that carries them', () => {
    const model = modelOf(business);
    expect(variableNames(model)).toEqual(['tenant_id', 'platform']);
    for (const variable of model.templating.list!) {
      expect(variable).toMatchObject({
        type: 'query',
        multi: true,
        includeAll: true,
        allValue: ALL_VALUES,
        datasource: { uid: PROMETHEUS_DATASOURCE_UID },
      });
    }
    const carried = new Map(
      allMetrics().flatMap((metric) =>
        seriesNames(metric).map((name): [string, string[]] => [name, Object.keys(metric.labels)]),
      ),
    );
    const unfiltered = contentPanels(model).flatMap((panel) =>
      panel.targets!.flatMap((target) =>
        promqlIdentifiers(target.expr).selectors.flatMap((selector) =>
          ['tenant_id', 'platform']
            .filter((label) => carried.get(selector.metric!)?.includes(label) && !selector.labels.includes(label))
            .map((label) => `${panel.title}: ${selector.metric} not filtered by ${label}`),
        ),
      ),
    );
    expect(unfiltered).toEqual([]);
    // The sync task's series cover every tenant and marketplace: shown beside the application's, unfiltered.
    expect(
      panelTitled(business, 'Sync operations rate')
        .targets!.map((target) => target.expr)
        .join(' '),
    ).toContain('celery_task_succeeded_total{name="stock_tracker.workers.tasks.sync_tenant_products"}');
  });

  test('Infrastructure: PostgreSQL, Redis, containers and host rows with the panels the requirements measure, and the monitoring itself', () => {
    const rows = modelOf(infrastructure)
      .panels.filter((panel) => panel.type === 'row')
      .map((row) => row.title);
    expect(rows).toEqual(['PostgreSQL', 'Redis', 'Containers', 'Host', 'Monitoring']);
    const metricsRead = (title: string) =>
      panelTitled(infrastructure, title).targets!.flatMap((target) =>
        promqlIdentifiers(target.expr).selectors.map((s) => s.metric),
      );
    expect(metricsRead('PostgreSQL locks and deadlocks')).toEqual(['pg_locks_count', 'pg_stat_database_deadlocks']);
    expect(metricsRead('Redis hit ratio')).toEqual([
      'redis_keyspace_hits_total',
      'redis_keyspace_hits_total',
      'redis_keyspace_misses_total',
    ]);
    // The restart-count series present now, unless they were already 15 minutes ago.
    expect(metricsRead('Container restarts')).toEqual(['container_start_time_seconds', 'container_start_time_seconds']);
    expect(metricsRead('Host load average')).toEqual(['node_load1', 'node_load5', 'node_load15']);
    // A panel for each alert of the monitoring group to link to.
    expect(metricsRead('Configuration loaded')).toEqual([
      'prometheus_config_last_reload_successful',
      'alertmanager_config_last_reload_successful',
    ]);
    expect(metricsRead('Alertmanager notification failures')).toEqual([
      'alertmanager_notifications_failed_total',
      'alertmanager_notifications_total',
    ]);
    expect(kindAndUnit(infrastructure, 'PostgreSQL database size')).toEqual(['timeseries', 'bytes']);
    expect(kindAndUnit(infrastructure, 'Container network')).toEqual(['timeseries', 'binBps']);
  });
});

describe('thresholds are the alert thresholds', () => {
  const levelSets = Object.values(THRESHOLDS).map((threshold) =>
    JSON.stringify(Object.values(threshold.levels as Record<string, number>).sort((a, b) => a - b)),
  );

  test('every coloured panel steps at the levels of one THRESHOLDS entry, or at UP for a status', () => {
    const stray = models.flatMap((model) =>
      contentPanels(model).flatMap((panel) => {
        const values = panel.fieldConfig!.defaults.thresholds!.steps.slice(1).map((step) => step.value);
        const known =
          values.length === 0 ||
          levelSets.includes(JSON.stringify(values)) ||
          JSON.stringify(values) === JSON.stringify([UP]);
        return known ? [] : [`${model.uid} / ${panel.title}: ${JSON.stringify(values)}`];
      }),
    );
    expect(stray).toEqual([]);
  });

  test.each([
    ['stock-tracker-overview', 'CPU usage', THRESHOLDS.cpuUsage.levels, ['orange', 'red']],
    ['stock-tracker-overview', 'API error rate', THRESHOLDS.httpErrorRatio.levels, ['red']],
    ['stock-tracker-overview', 'API latency p50 / p95 / p99', THRESHOLDS.httpLatencyP95.levels, ['orange']],
    ['stock-tracker-overview', 'Celery queue length', THRESHOLDS.celeryQueueLength.levels, ['orange']],
    ['stock-tracker-business', 'Sync failure rate', THRESHOLDS.syncFailureRatio.levels, ['yellow']],
    [
      'stock-tracker-infrastructure',
      'PostgreSQL connections',
      THRESHOLDS.postgresConnections.levels,
      ['orange', 'red'],
    ],
    ['stock-tracker-infrastructure', 'Container restarts', THRESHOLDS.containerRestarts.levels, ['orange']],
  ])('%s / %s: green, then a step at each alert level in its severity colour', (uid, title, levels, colours) => {
    const steps = panelTitled(uid, title).fieldConfig!.defaults.thresholds!.steps;
    expect(steps).toEqual([
      { value: null, color: 'green' },
      ...Object.values(levels as Record<string, number>)
        .sort((a, b) => a - b)
        .map((value, i) => ({ value, color: colours[i] })),
    ]);
  });

  test('time series draw their alert threshold as a dashed line, others do not', () => {
    const latency = panelTitled(DASHBOARD_UIDS.overview, 'API latency p50 / p95 / p99');
    const inFlight = panelTitled(DASHBOARD_UIDS.overview, 'In-flight requests');
    expect(latency.fieldConfig!.defaults).toMatchObject({ custom: { thresholdsStyle: { mode: 'dashed' } } });
    expect(inFlight.fieldConfig!.defaults).toMatchObject({ custom: { thresholdsStyle: { mode: 'off' } } });
  });

  test("a panel whose unit is not its threshold's is refused, naming both", () => {
    expect(() =>
      gaugePanel({
        title: 'Latency',
        description: 'p95 latency of the API',
        unit: 'ratio',
        queries: [query(select(RECORDINGS.httpLatencyP95), ['job'])],
        thresholds: THRESHOLDS.httpLatencyP95,
      }),
    ).toThrow('panel "Latency": unit "ratio" does not match its threshold, measured in seconds (unit "seconds")');
  });

  test('a panel without a description or a query is refused', () => {
    expect(() => gaugePanel({ title: 'CPU', description: ' ', unit: 'ratio', queries: [] })).toThrow(
      'panel "CPU": description is empty; queries is empty: a panel must show something',
    );
  });
});

describe('PromQL identifiers', () => {
  test('the extractor finds selectors with their matcher labels, grouping labels and functions', () => {
    expect(
      promqlIdentifiers(
        'histogram_quantile(0.95, sum by (job, le) (rate(x_bucket{le!="+Inf", a=~"b|{c}"}[5m] offset 1h30m))) > 2 and on (job) y:z:ratio or absent(up{job=\'api\'}) / ignoring(mode) {__name__="w", v="1"}',
      ),
    ).toEqual({
      selectors: [
        { metric: 'x_bucket', labels: ['le', 'a'] },
        { metric: 'y:z:ratio', labels: [] },
        { metric: 'up', labels: ['job'] },
        { metric: 'w', labels: ['v'] },
      ],
      groupingLabels: ['job', 'le', 'job', 'mode'],
      functions: ['histogram_quantile', 'sum', 'rate', 'absent'],
    });
  });

  test('the extractor refuses what it cannot read instead of guessing', () => {
    expect(() => promqlIdentifiers('up{job}')).toThrow('malformed matcher');
    expect(() => promqlIdentifiers('up # comment')).toThrow('cannot tokenize');
  });
});

describe('every dashboard query reads only catalog metrics, recordings and their labels', () => {
  const labelsOf = new Map<string, Set<string>>([
    ...allMetrics().flatMap((metric) =>
      seriesNames(metric).map((name): [string, Set<string>] => [
        name,
        new Set([...Object.keys(metric.labels), ...(name.endsWith('_bucket') ? ['le'] : [])]),
      ]),
    ),
    ...allRecordings().map((recording): [string, Set<string>] => [
      recording.name,
      new Set(Object.keys(recording.labels)),
    ]),
  ]);
  const PROMQL_FUNCTIONS = new Set([
    ...[
      'sum',
      'min',
      'max',
      'avg',
      'count',
      'group',
      'topk',
      'bottomk',
      'quantile',
      'stddev',
      'stdvar',
      'count_values',
    ],
    ...[
      'rate',
      'irate',
      'increase',
      'delta',
      'idelta',
      'deriv',
      'changes',
      'resets',
      'histogram_quantile',
      'absent',
      'absent_over_time',
    ],
    ...[
      'avg_over_time',
      'min_over_time',
      'max_over_time',
      'sum_over_time',
      'count_over_time',
      'last_over_time',
      'present_over_time',
      'predict_linear',
    ],
    ...[
      'vector',
      'scalar',
      'time',
      'timestamp',
      'clamp',
      'clamp_min',
      'clamp_max',
      'abs',
      'round',
      'label_replace',
      'label_join',
    ],
  ]);

  /** Problems with one expression (and its legend), given the catalog. */
  function problems(expr: string, legendFormat = ''): string[] {
    const { selectors, groupingLabels, functions } = promqlIdentifiers(expr);
    const found: string[] = [];
    const readLabels = new Set<string>();
    for (const { metric, labels } of selectors) {
      const known = metric === undefined ? undefined : labelsOf.get(metric);
      if (!known) {
        found.push(`unknown metric ${metric}`);
        continue;
      }
      known.forEach((label) => readLabels.add(label));
      found.push(...labels.filter((label) => !known.has(label)).map((label) => `${metric} has no label ${label}`));
    }
    found.push(
      ...groupingLabels
        .filter((label) => !readLabels.has(label))
        .map((label) => `groups by ${label}, which no metric read has`),
    );
    found.push(
      ...legendLabels(legendFormat)
        .filter((label) => !readLabels.has(label))
        .map((label) => `legend prints ${label}, which no metric read has`),
    );
    found.push(...functions.filter((name) => !PROMQL_FUNCTIONS.has(name)).map((name) => `unknown function ${name}`));
    return found;
  }

  test('the check catches a misspelt metric, a foreign label, a bad grouping and a bad legend', () => {
    expect(problems('rate(http_requests_totl[5m])')).toEqual(['unknown metric http_requests_totl']);
    expect(problems('sum by (queue) (celery_queue_length{tenant="a"})', '{{queue_name}} {{task}}')).toEqual([
      'celery_queue_length has no label tenant',
      'groups by queue, which no metric read has',
      'legend prints task, which no metric read has',
    ]);
    expect(
      problems('histogram_quantile(0.9, sum by (le) (rate(sync_duration_seconds_bucket{platform="ozon"}[5m])))'),
    ).toEqual([]);
  });

  test('every panel query passes', () => {
    const found = allTargets.flatMap(({ model, panel, target }) =>
      problems(target.expr, target.legendFormat).map(
        (problem) => `${model.uid} / ${panel.title} / ${target.refId}: ${problem}`,
      ),
    );
    expect(found).toEqual([]);
    expect(allTargets.length).toBeGreaterThan(40);
  });

  test('every variable lists the values of a catalog label', () => {
    for (const model of models) {
      for (const variable of model.templating.list ?? []) {
        const { selector, label } = labelValuesQuery(variable.query);
        expect(problems(selector)).toEqual([]);
        const [{ metric }] = promqlIdentifiers(selector).selectors;
        expect([variable.name, labelsOf.get(metric!)?.has(label)]).toEqual([variable.name, true]);
      }
    }
  });

  test('panels read recordings instead of computing a recorded expression again', () => {
    const recomputed = allTargets.flatMap(({ panel, target }) =>
      allRecordings()
        .filter((recording) => target.expr.includes(recording.expr.text))
        .map((recording) => `${panel.title}: computes ${recording.name}`),
    );
    expect(recomputed).toEqual([]);
    const recorded = new Set(allRecordings().map((recording) => recording.name));
    const readingRecordings = allTargets.filter(({ target }) =>
      promqlIdentifiers(target.expr).selectors.some((selector) => recorded.has(selector.metric!)),
    );
    expect(readingRecordings.length).toBeGreaterThanOrEqual(12);
  });
});

describe('panel queries for the e2e harness', () => {
  const queries = panelQueries();

  test('list every target of every panel, in order, with the variables on "All"', () => {
    expect(
      queries.map(({ dashboardUid, panelTitle, refId, expr }) => ({ dashboardUid, panelTitle, refId, expr })),
    ).toEqual(
      allTargets.map(({ model, panel, target }) => ({
        dashboardUid: model.uid,
        panelTitle: panel.title,
        refId: target.refId,
        expr: variableNames(model).reduce((text, name) => text.split(`$${name}`).join(ALL_VALUES), target.expr),
      })),
    );
    expect(queries.filter((q) => q.expr.includes('$'))).toEqual([]);
    expect(queries.find((q) => q.panelTitle === 'Products tracked')?.expr).toBe(
      'sum (products_total{tenant_id=~".*"})',
    );
  });

  test('each query carries the catalog metrics its expression reads; those of cAdvisor mark the container panels', () => {
    const catalog = new Set(allMetrics().map((metric) => metric.name));
    for (const q of queries) {
      const named = q.metrics.map((metric) => metric.name);
      const unnamed = promqlIdentifiers(q.expr)
        .selectors.map((selector) => selector.metric!)
        .filter((metric) => catalog.has(metric) && !named.includes(metric));
      expect([q.panelTitle, unnamed]).toEqual([q.panelTitle, []]);
    }
    const readsCadvisor = queries.filter((q) => q.metrics.some((metric) => metric.source === 'cadvisor'));
    expect(new Set(readsCadvisor.map((q) => q.panelTitle))).toEqual(
      new Set(['Container CPU', 'Container memory', 'Container network', 'Container disk I/O', 'Container restarts']),
    );
  });
});

describe("the Grafana the dashboards' JSON model is for", () => {
  /** The foundation SDK publishes a build per Grafana line: `11.6.0-cogv0.0.x.<stamp>` builds Grafana 11.6's model. */
  const sdkVersion = (
    JSON.parse(
      readFileSync(join(__dirname, '..', 'node_modules', '@grafana', 'grafana-foundation-sdk', 'package.json'), 'utf8'),
    ) as { version: string }
  ).version;
  const grafanaLine = /^(\d+\.\d+)\.\d+-cog/.exec(sdkVersion)?.[1];

  test("the SDK build is one of a Grafana release; Grafana's oldest supported release is that line, the pinned image of it or newer", () => {
    expect(grafanaLine).toBeDefined();
    expect(COMPONENT_DESCRIPTORS.grafana.oldestRelease).toBe(`${grafanaLine}.0`);
    const pinned = releaseOfImage(COMPONENT_DESCRIPTORS.grafana.image);
    expect(pinned && compareReleases(pinned, parseRelease(`${grafanaLine}.0`))).toBeGreaterThanOrEqual(0);
  });
});
