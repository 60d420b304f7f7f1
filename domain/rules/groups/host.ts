/** The host's rules, through node-exporter: CPU, memory and disk at their warning and critical levels. */
import { Duration } from '../../../core/duration';
import { RECORDINGS } from '../../metrics/recordings';
import { THRESHOLDS, Threshold, formatLevel } from '../../metrics/thresholds';
import { Expr, gt, select } from '../../metrics/promql';
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
  },
);
