/**
 * A dashboard as a list of sections of panels, and the grid layout computed from it: each section
 * is a row header followed by its panels, left to right in balanced lines; every line is stretched
 * to the full width and to the height of its tallest panel. Panel ids are
 * assigned in reading order, so they are stable while the list is.
 */
import * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { Duration } from '../../core/duration';
import { Panel, PanelSize, VisualisationBuilder } from './panels';
import { LabelVariable } from './variables';

/** Grafana's grid width. */
export const GRID_COLUMNS = 24;
const ROW_HEIGHT = 1;

/** Natural size of each size class: four single values or three charts to a line. */
const SIZES: Record<PanelSize, { width: number; height: number }> = {
  compact: { width: 6, height: 5 },
  chart: { width: 8, height: 8 },
};

/** A titled row of panels; `T` are their titles as literal types. */
export interface Section<T extends string = string> {
  readonly title: string;
  readonly panels: readonly Panel<VisualisationBuilder, T>[];
}

/** A titled row of panels. */
export function section<P extends Panel<VisualisationBuilder, string>>(
  title: string,
  panels: readonly P[],
): Section<P['title']> {
  return { title, panels };
}

/** Tag every Stock Tracker dashboard carries; the dashboards link to each other by it. */
export const DASHBOARD_TAG = 'stock-tracker';

/** Where the dashboards link to: the only thing of the configuration they need. */
export interface DashboardUrls {
  /** Alertmanager as people open it (`alerting.externalUrl`). */
  readonly alertmanager: string;
}

/** A dashboard as the domain declares it; `T` are its panels' titles as literal types. */
export interface DashboardDefinition<T extends string = string> {
  /** Stable: bookmarks, links and the Terraform resource depend on it. */
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly refresh: Duration;
  /** How far back the dashboard looks when opened. */
  readonly timeRange: Duration;
  readonly variables: readonly LabelVariable[];
  /** Links beyond the ones to the other Stock Tracker dashboards, to the places `urls` names. */
  readonly links: (urls: DashboardUrls) => readonly cog.Builder<dashboard.DashboardLink>[];
  readonly sections: readonly Section<T>[];
}

/** Declares a dashboard, keeping its panels' titles as literal types (alerts name their panel by them). */
export function defineDashboard<T extends string>(definition: DashboardDefinition<T>): DashboardDefinition<T> {
  return definition;
}

/** How many lines the panels need, filled left to right. */
function lineCount(widths: readonly number[]): number {
  let count = 0;
  let used = GRID_COLUMNS;
  for (const width of widths) {
    if (used + width > GRID_COLUMNS) {
      count += 1;
      used = 0;
    }
    used += width;
  }
  return count;
}

/**
 * Panels in as few lines as fit the grid, in order, balanced: a line breaks before the panel whose
 * middle would pass the average line width, so five charts make lines of 3 and 2, not 4 and 1.
 */
function lines(panels: readonly Panel[]): Panel[][] {
  const widths = panels.map((panel) => SIZES[panel.size].width);
  const target = widths.reduce((a, b) => a + b, 0) / lineCount(widths);
  const result: Panel[][] = [];
  let used = GRID_COLUMNS;
  panels.forEach((panel, i) => {
    const width = widths[i];
    if (used + width > GRID_COLUMNS || (used > 0 && used + width / 2 > target)) {
      result.push([]);
      used = 0;
    }
    result[result.length - 1].push(panel);
    used += width;
  });
  return result;
}

/** Left edges and widths of a line's panels, each widened in proportion so the line fills the grid. */
function stretched(line: readonly Panel[]): { x: number; w: number }[] {
  const natural = line.map((panel) => SIZES[panel.size].width);
  const total = natural.reduce((a, b) => a + b, 0);
  let covered = 0;
  return natural.map((width) => {
    const x = Math.round((covered * GRID_COLUMNS) / total);
    covered += width;
    return { x, w: Math.round((covered * GRID_COLUMNS) / total) - x };
  });
}

/** Grafana's own annotations (alert state changes, notes), which Grafana adds to every dashboard it saves. */
function alertAnnotations(): dashboard.AnnotationQueryBuilder {
  return new dashboard.AnnotationQueryBuilder()
    .name('Annotations & Alerts')
    .datasource({ type: 'grafana', uid: '-- Grafana --' })
    .type('dashboard')
    .builtIn(1)
    .enable(true)
    .hide(true)
    .iconColor('rgba(0, 211, 255, 1)');
}

/** The dashboard model Grafana stores, built with the SDK's builders. */
export function buildDashboard(definition: DashboardDefinition, urls: DashboardUrls): dashboard.Dashboard {
  const builder = new dashboard.DashboardBuilder(definition.title)
    .uid(definition.uid)
    .description(definition.description)
    .tags([DASHBOARD_TAG])
    .readonly()
    .timezone('browser')
    .tooltip(dashboard.DashboardCursorSync.Crosshair)
    .refresh(definition.refresh.toString())
    .time({ from: `now-${definition.timeRange}`, to: 'now' })
    .annotation(alertAnnotations())
    .variables(definition.variables.map((variable) => variable.builder))
    .links([
      new dashboard.DashboardLinkBuilder('Stock Tracker')
        .type(dashboard.DashboardLinkType.Dashboards)
        .tags([DASHBOARD_TAG])
        .asDropdown(true)
        .keepTime(true)
        .includeVars(true),
      ...definition.links(urls),
    ]);
  for (const placed of layout(definition)) {
    if ('row' in placed) builder.withRow(new dashboard.RowBuilder(placed.row).id(placed.id).gridPos(placed.gridPos));
    else builder.withPanel(placed.panel.place(placed.id, placed.gridPos));
  }
  return builder.build();
}

/** A row header or a panel with its id and grid position. */
type Placed = { id: number; gridPos: dashboard.GridPos } & ({ row: string } | { panel: Panel });

/**
 * Every row and panel of the dashboard in reading order, with its id (1, 2, ... in that order:
 * stable while the list is) and its grid position.
 */
function layout(definition: DashboardDefinition): Placed[] {
  const placed: Placed[] = [];
  let y = 0;
  for (const { title, panels } of definition.sections) {
    placed.push({ row: title, id: placed.length + 1, gridPos: { x: 0, y, w: GRID_COLUMNS, h: ROW_HEIGHT } });
    y += ROW_HEIGHT;
    for (const line of lines(panels)) {
      const h = Math.max(...line.map((panel) => SIZES[panel.size].height));
      stretched(line).forEach(({ x, w }, i) =>
        placed.push({ panel: line[i], id: placed.length + 1, gridPos: { x, y, w, h } }),
      );
      y += h;
    }
  }
  return placed;
}

/** The id Grafana gives the panel titled `title` on this dashboard (what `viewPanel=` takes); undefined when none is. */
export function panelId(definition: DashboardDefinition, title: string): number | undefined {
  const found = layout(definition).filter((placed) => 'panel' in placed && placed.panel.title === title);
  if (found.length > 1) throw new Error(`dashboard "${definition.title}" has ${found.length} panels titled "${title}"`);
  return found[0]?.id;
}
