/**
 * A dashboard as a list of sections of panels, and the grid layout computed from it: each section
 * is a row header followed by its panels, left to right in balanced lines; every line is stretched
 * to the full width and to the height of its tallest panel. Panel ids are
 * assigned in reading order, so they are stable while the list is.
 */
import * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import { Duration } from '../../core/duration';
import { Panel, PanelSize } from './panels';
import { LabelVariable } from './variables';

/** Grafana's grid width. */
export const GRID_COLUMNS = 24;
const ROW_HEIGHT = 1;

/** Natural size of each size class: four single values or three charts to a line. */
const SIZES: Record<PanelSize, { width: number; height: number }> = {
  compact: { width: 6, height: 5 },
  chart: { width: 8, height: 8 },
};

export interface Section {
  readonly title: string;
  readonly panels: readonly Panel[];
}

/** A titled row of panels. */
export function section(title: string, panels: readonly Panel[]): Section {
  return { title, panels };
}

/** Tag every Stock Tracker dashboard carries; the dashboards link to each other by it. */
export const DASHBOARD_TAG = 'stock-tracker';

/** Where the dashboards link to: the only thing of the configuration they need. */
export interface DashboardUrls {
  /** Alertmanager as people open it (`alerting.externalUrl`). */
  readonly alertmanager: string;
}

export interface DashboardDefinition {
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
  readonly sections: readonly Section[];
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
  let id = 1;
  let y = 0;
  for (const { title, panels } of definition.sections) {
    builder.withRow(new dashboard.RowBuilder(title).id(id++).gridPos({ x: 0, y, w: GRID_COLUMNS, h: ROW_HEIGHT }));
    y += ROW_HEIGHT;
    for (const line of lines(panels)) {
      const h = Math.max(...line.map((panel) => SIZES[panel.size].height));
      stretched(line).forEach(({ x, w }, i) => builder.withPanel(line[i].place(id++, { x, y, w, h })));
      y += h;
    }
  }
  return builder.build();
}
