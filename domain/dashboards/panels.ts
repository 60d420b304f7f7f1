/**
 * Panel factories: a panel is a title, a description, a unit, typed PromQL queries and, when an
 * alert watches what it shows, that alert's threshold. Everything else (data source, query mode,
 * legend, colours, size class) is decided here once, so a dashboard reads as a list of panels.
 *
 *   gaugePanel({
 *     title: 'CPU usage',
 *     description: 'Share of CPU time not idle, per host.',
 *     unit: 'ratio',
 *     queries: [query(select(RECORDINGS.cpuUtilisation), ['instance'])],
 *     thresholds: THRESHOLDS.cpuUsage,
 *   })
 */
import * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import * as gauge from '@grafana/grafana-foundation-sdk/gauge';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { Metric } from '../metrics';
import { Expr } from '../metrics/promql';
import { Severity } from '../../core/severity';
import { Threshold, ThresholdUnit } from '../metrics/thresholds';
import { PROMETHEUS_DATASOURCE } from './datasource';

/** The units panels show, by what they measure (values are Grafana unit ids). */
export const PANEL_UNITS = {
  seconds: units.Seconds,
  ratio: units.PercentUnit,
  bytes: units.BytesIEC,
  bytesPerSecond: units.BytesPerSecondIEC,
  operationsPerSecond: units.OpsPerSecond,
  requestsPerSecond: units.RequestsPerSecond,
  count: units.Short,
} as const;
export type PanelUnit = keyof typeof PANEL_UNITS;

/** The unit a threshold's values are read in: a panel coloured by a threshold must show that unit. */
const UNIT_OF_THRESHOLD: Record<ThresholdUnit, PanelUnit> = {
  ratio: 'ratio',
  seconds: 'seconds',
  connections: 'count',
  tasks: 'count',
  operations: 'count',
  restarts: 'count',
  'requests/s': 'requestsPerSecond',
  'tasks/s': 'operationsPerSecond',
};

/** The value of an `up`-style gauge (`up`, `pg_up`, `redis_up`) when the target answers; 0 is down. */
export const UP = 1;

/** A value of THRESHOLDS, whichever severities it has levels for. */
export type AlertThreshold = Omit<Threshold, 'levels'> & { readonly levels: { readonly [S in Severity]?: number } };

/**
 * How a panel's values are coloured: by the alert threshold that judges them (a value of
 * THRESHOLDS), or `'up'`: red below `UP` (nothing up, or not everything), green from it.
 */
export type Colouring = AlertThreshold | 'up';

const SEVERITY_COLOURS: Record<Severity, string> = { info: 'yellow', warning: 'orange', critical: 'red' };
/** Below every alert level. */
const HEALTHY = 'green';
/** A panel no alert watches: its colour says nothing about health. */
const UNJUDGED = 'blue';

function thresholdSteps(colouring: Colouring | undefined): dashboard.Threshold[] {
  if (colouring === undefined) return [{ value: null, color: UNJUDGED }];
  if (colouring === 'up')
    return [
      { value: null, color: SEVERITY_COLOURS.critical },
      { value: UP, color: HEALTHY },
    ];
  const levels = (Object.entries(colouring.levels) as [Severity, number][]).sort(([, a], [, b]) => a - b);
  return [
    { value: null, color: HEALTHY },
    ...levels.map(([severity, value]) => ({ value, color: SEVERITY_COLOURS[severity] })),
  ];
}

const UP_DOWN_MAPPINGS: dashboard.ValueMapping[] = [
  {
    type: dashboard.MappingType.ValueToText,
    options: {
      '0': { text: 'Down', color: SEVERITY_COLOURS.critical, index: 0 },
      [String(UP)]: { text: 'Up', color: HEALTHY, index: 1 },
    },
  },
];

/** One PromQL target: a typed expression and how its series are named in the legend. */
export interface Query {
  readonly expr: Expr<string, string>;
  /** Grafana legend format: `{{label}}` placeholders, or a fixed name. */
  readonly legend: string;
}

/**
 * A query whose series are named by labels the expression keeps (`['status']` -> `{{status}}`,
 * checked by the compiler), or by a fixed name (`'p95'`, `'{{datname}} committed'`).
 */
export function query<L extends string, P extends string>(
  expr: Expr<L, P>,
  legend: readonly NoInfer<L>[] | string,
): Query {
  return { expr, legend: typeof legend === 'string' ? legend : legend.map((label) => `{{${label}}}`).join(' ') };
}

/** What every panel states: the tests require each of these. `T` is the title, kept literal so alerts can name the panel. */
export interface PanelSpec<T extends string = string> {
  title: T;
  /** What the panel shows and what to do when it looks wrong (Grafana shows it on the (i) icon). */
  description: string;
  unit: PanelUnit;
  queries: readonly Query[];
  thresholds?: Colouring;
}

/** Grid size class: single values are small, charts wider and taller (layout.ts places them). */
export type PanelSize = 'compact' | 'chart';

/** The SDK builders of the visualisations the dashboards use. */
export type VisualisationBuilder =
  timeseries.PanelBuilder | gauge.PanelBuilder | stat.PanelBuilder | bargauge.PanelBuilder;

/**
 * A panel as the dashboards declare it: typed queries plus the SDK builder that renders it. `T`
 * is its title as a literal type, which an alert names it by (`PanelRef` in index.ts).
 */
export class Panel<
  B extends VisualisationBuilder = VisualisationBuilder,
  T extends string = string,
> implements cog.Builder<dashboard.Panel> {
  constructor(
    readonly title: T,
    readonly queries: readonly Query[],
    readonly size: PanelSize,
    protected readonly visualisation: B,
  ) {}

  /** Options of this visualisation beyond the common ones, set with the SDK's own builder. */
  with(configure: (visualisation: B) => unknown): this {
    configure(this.visualisation);
    return this;
  }

  /** Catalog metrics and recordings the panel reads. */
  get metrics(): readonly Metric[] {
    return this.queries.flatMap((target) => target.expr.metrics);
  }

  /** Gives the panel its id and grid position (the layout decides both). */
  place(id: number, gridPos: dashboard.GridPos): this {
    this.visualisation.id(id).gridPos(gridPos);
    return this;
  }

  build(): dashboard.Panel {
    return this.visualisation.build();
  }
}

/** A time series panel, with the two variations the dashboards use. */
export class TimeSeriesPanel<T extends string = string> extends Panel<timeseries.PanelBuilder, T> {
  /** Series stacked on each other (parts of a whole, e.g. requests by status). */
  stacked(): this {
    return this.with((v) =>
      v.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal)).fillOpacity(35),
    );
  }

  /** Bars instead of lines (counts of discrete events, e.g. errors). */
  bars(): this {
    return this.with((v) => v.drawStyle(common.GraphDrawStyle.Bars).fillOpacity(80));
  }
}

function checked<T extends string>(spec: PanelSpec<T>): PanelSpec<T> {
  const problems: string[] = [];
  if (spec.title.trim() === '') problems.push('title is empty');
  if (spec.description.trim() === '') problems.push('description is empty');
  if (spec.queries.length === 0) problems.push('queries is empty: a panel must show something');
  const colouring = spec.thresholds;
  if (colouring !== undefined && colouring !== 'up' && UNIT_OF_THRESHOLD[colouring.unit] !== spec.unit) {
    problems.push(
      `unit "${spec.unit}" does not match its threshold, measured in ${colouring.unit} (unit "${UNIT_OF_THRESHOLD[colouring.unit]}")`,
    );
  }
  if (problems.length > 0) throw new Error(`panel "${spec.title}": ${problems.join('; ')}`);
  return spec;
}

/** Single-value panels show the latest value (an instant query); charts query the range. */
function target(source: Query, index: number, instant: boolean): prometheus.DataqueryBuilder {
  const builder = new prometheus.DataqueryBuilder()
    .refId(String.fromCharCode('A'.charCodeAt(0) + index))
    .datasource(PROMETHEUS_DATASOURCE)
    .editorMode(prometheus.QueryEditorMode.Code)
    .expr(source.expr.text)
    .legendFormat(source.legend);
  return instant ? builder.instant() : builder.range();
}

function withCommonOptions<B extends VisualisationBuilder>(builder: B, spec: PanelSpec, instant: boolean): B {
  const { title, description, unit, queries, thresholds } = checked(spec);
  builder
    .title(title)
    .description(description)
    .datasource(PROMETHEUS_DATASOURCE)
    .unit(PANEL_UNITS[unit])
    .thresholds(
      new dashboard.ThresholdsConfigBuilder().mode(dashboard.ThresholdsMode.Absolute).steps(thresholdSteps(thresholds)),
    )
    .targets(queries.map((source, index) => target(source, index, instant)));
  // A ratio is a share of a whole: its scale is 0-100 %, whatever the current values.
  if (unit === 'ratio') builder.min(0).max(1);
  return builder;
}

function lastValue(): common.ReduceDataOptionsBuilder {
  return new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false);
}

/** A chart over time; an alert threshold is drawn as a dashed line. */
export function timeSeriesPanel<const T extends string>(spec: PanelSpec<T>): TimeSeriesPanel<T> {
  const visualisation = withCommonOptions(new timeseries.PanelBuilder(), spec, false)
    .lineWidth(1)
    .fillOpacity(10)
    .showPoints(common.VisibilityMode.Never)
    .legend(
      new common.VizLegendOptionsBuilder()
        .displayMode(common.LegendDisplayMode.List)
        .placement(common.LegendPlacement.Bottom)
        .showLegend(true),
    )
    .tooltip(
      new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending),
    )
    .thresholdsStyle(
      new common.GraphThresholdsStyleConfigBuilder().mode(
        spec.thresholds === undefined || spec.thresholds === 'up'
          ? common.GraphThresholdsStyleMode.Off
          : common.GraphThresholdsStyleMode.Dashed,
      ),
    );
  return new TimeSeriesPanel(spec.title, spec.queries, 'chart', visualisation);
}

/** A dial of the latest value of each series, coloured by the threshold. */
export function gaugePanel<const T extends string>(spec: PanelSpec<T>): Panel<gauge.PanelBuilder, T> {
  const visualisation = withCommonOptions(new gauge.PanelBuilder(), spec, true)
    .reduceOptions(lastValue())
    .showThresholdMarkers(true);
  return new Panel(spec.title, spec.queries, 'compact', visualisation);
}

/** A big number (the latest value) with a sparkline of the range, coloured by the threshold. */
export function statPanel<const T extends string>(spec: PanelSpec<T>): Panel<stat.PanelBuilder, T> {
  const visualisation = withCommonOptions(new stat.PanelBuilder(), spec, false)
    .reduceOptions(lastValue())
    .graphMode(common.BigValueGraphMode.Area)
    .colorMode(common.BigValueColorMode.Value);
  return new Panel(spec.title, spec.queries, 'compact', visualisation);
}

/** Up or Down, on a red or green background: for an `up`-style gauge (1 up, 0 down) reduced to one series. */
export function statusPanel<const T extends string>(
  spec: Omit<PanelSpec<T>, 'unit' | 'thresholds'>,
): Panel<stat.PanelBuilder, T> {
  return statPanel({ ...spec, unit: 'count', thresholds: 'up' }).with((v) =>
    // No series at all means the exporter itself is not scraped: nobody knows, which is not "Up".
    v.mappings(UP_DOWN_MAPPINGS).noValue('Unknown').colorMode(common.BigValueColorMode.Background),
  );
}

/** Horizontal bars of the latest value per series (e.g. one per queue), coloured by the threshold. */
export function barGaugePanel<const T extends string>(spec: PanelSpec<T>): Panel<bargauge.PanelBuilder, T> {
  const visualisation = withCommonOptions(new bargauge.PanelBuilder(), spec, true)
    .reduceOptions(lastValue())
    .orientation(common.VizOrientation.Horizontal)
    .displayMode(common.BarGaugeDisplayMode.Gradient)
    .min(0);
  return new Panel(spec.title, spec.queries, 'chart', visualisation);
}
