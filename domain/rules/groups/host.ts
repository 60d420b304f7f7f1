/**
 * The host's rules, through node-exporter: CPU, memory and disk at their warning and critical
 * levels, and a disk that its recent growth will fill.
 */
import { Duration } from '../../../core/duration';
import { METRICS } from '../../metrics/catalog';
import { RECORDINGS, REAL_FILESYSTEMS } from '../../metrics/recordings';
import { THRESHOLDS, Threshold, formatLevel, windowOf } from '../../metrics/thresholds';
import { Expr, and, eq, gt, lt, predictLinear, select } from '../../metrics/promql';
import { level } from '../conditions';
import { $label, $value, Template, alert, ruleGroup, t } from '../model';
import { PanelRef } from '../../dashboards';

interface UsageAlertSpec<N extends string, L extends string> {
  name: N;
  severity: 'critical' | 'warning';
  usage: Expr<L>;
  threshold: Threshold<'critical' | 'warning'>;
  /** What is used up: `CPU`, `Memory`, `Disk`. */
  what: string;
  where: Template<L, never>;
  for: Duration;
  /** The panel that draws the usage with both levels. */
  panel: PanelRef;
}

/** A host resource above its warning or critical level (the original's CPU, memory and disk pairs). */
function usageAlert<const N extends string, L extends string>(spec: UsageAlertSpec<N, L>) {
  return alert({
    name: spec.name,
    expr: gt(spec.usage, level(spec.threshold, spec.severity)),
    for: spec.for,
    severity: spec.severity,
    panel: spec.panel,
    summary: t`${spec.what} usage on ${spec.where} is ${$value('percent')}`,
    description: t`${spec.what} usage on ${spec.where} has been above ${formatLevel(spec.threshold, spec.severity)} for ${spec.for.toString()}.`,
  });
}

const host = t`${$label('instance')}`;
const filesystem = t`${$label('mountpoint')} (${$label('device')}) of ${$label('instance')}`;

const CriticalCPUUsage = usageAlert({
  name: 'CriticalCPUUsage',
  severity: 'critical',
  panel: { dashboard: 'infrastructure', title: 'Host CPU usage' },
  usage: select(RECORDINGS.cpuUtilisation),
  threshold: THRESHOLDS.cpuUsage,
  what: 'CPU',
  where: host,
  for: Duration.minutes(2),
});

const CriticalMemoryUsage = usageAlert({
  name: 'CriticalMemoryUsage',
  severity: 'critical',
  panel: { dashboard: 'infrastructure', title: 'Host memory usage' },
  usage: select(RECORDINGS.memoryUtilisation),
  threshold: THRESHOLDS.memoryUsage,
  what: 'Memory',
  where: host,
  for: Duration.minutes(2),
});

const CriticalDiskUsage = usageAlert({
  name: 'CriticalDiskUsage',
  severity: 'critical',
  panel: { dashboard: 'infrastructure', title: 'Host disk usage' },
  usage: select(RECORDINGS.filesystemUtilisation),
  threshold: THRESHOLDS.diskUsage,
  what: 'Disk',
  where: filesystem,
  for: Duration.minutes(2),
});

const HighCPUUsage = usageAlert({
  name: 'HighCPUUsage',
  severity: 'warning',
  panel: { dashboard: 'infrastructure', title: 'Host CPU usage' },
  usage: select(RECORDINGS.cpuUtilisation),
  threshold: THRESHOLDS.cpuUsage,
  what: 'CPU',
  where: host,
  for: Duration.minutes(5),
});

const HighMemoryUsage = usageAlert({
  name: 'HighMemoryUsage',
  severity: 'warning',
  panel: { dashboard: 'infrastructure', title: 'Host memory usage' },
  usage: select(RECORDINGS.memoryUtilisation),
  threshold: THRESHOLDS.memoryUsage,
  what: 'Memory',
  where: host,
  for: Duration.minutes(5),
});

const HighDiskUsage = usageAlert({
  name: 'HighDiskUsage',
  severity: 'warning',
  panel: { dashboard: 'infrastructure', title: 'Host disk usage' },
  usage: select(RECORDINGS.filesystemUtilisation),
  threshold: THRESHOLDS.diskUsage,
  what: 'Disk',
  where: filesystem,
  for: Duration.minutes(5),
});

const fillHorizon = Duration.seconds(level(THRESHOLDS.diskFillHorizon, 'warning'));
const fillTrend = windowOf(THRESHOLDS.diskFillHorizon);

/**
 * node-mixin's NodeFilesystemSpaceFillingUp (docs/node-mixin/alerts/alerts.libsonnet, its warning):
 * a writable real filesystem, fuller than the level from which growth matters, whose available
 * space extrapolated along its trend runs out within the horizon. The trend is long (6 h) and the
 * `for` an hour, so a burst (a big download, a backup being written) does not page.
 */
const DiskFillingUp = alert({
  name: 'DiskFillingUp',
  expr: and(
    and(
      gt(select(RECORDINGS.filesystemUtilisation), level(THRESHOLDS.diskFillWatchedFrom, 'warning')),
      lt(predictLinear(select(METRICS.node.filesystemAvailable, REAL_FILESYSTEMS), fillTrend, fillHorizon), 0),
    ),
    eq(select(METRICS.node.filesystemReadonly, REAL_FILESYSTEMS), 0),
  ),
  for: Duration.hours(1),
  severity: 'warning',
  panel: { dashboard: 'infrastructure', title: 'Host disk usage' },
  summary: t`Disk ${filesystem} will be full within ${formatLevel(THRESHOLDS.diskFillHorizon, 'warning')} (${$value('percent')} used)`,
  description: t`At the rate it filled over the last ${fillTrend.toString()}, ${filesystem} will be full within ${formatLevel(THRESHOLDS.diskFillHorizon, 'warning')}; it is ${$value('percent')} used now. Find what writes before it fills.`,
});

export const HOST = ruleGroup(
  'host',
  [RECORDINGS.cpuUtilisation, RECORDINGS.memoryUtilisation, RECORDINGS.filesystemUtilisation],
  {
    CriticalCPUUsage,
    CriticalMemoryUsage,
    CriticalDiskUsage,
    HighCPUUsage,
    HighMemoryUsage,
    HighDiskUsage,
    DiskFillingUp,
  },
);
