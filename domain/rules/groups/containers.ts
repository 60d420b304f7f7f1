/** The containers' rules, through cAdvisor: a container restarting over and over. */
import { Duration } from '../../../core/duration';
import { containerRestarts } from '../../metrics/restarts';
import { THRESHOLDS, windowOf } from '../../metrics/thresholds';
import { gt } from '../../metrics/promql';
import { level } from '../conditions';
import { $label, $value, alert, ruleGroup, t } from '../model';

const ContainerRestarting = alert({
  name: 'ContainerRestarting',
  // Not changes(container_start_time_seconds): up to cAdvisor 0.56 that is the creation time, the same
  // across restarts. Each restart begins new series with Docker's restart count (metrics/restarts.ts).
  expr: gt(
    containerRestarts(windowOf(THRESHOLDS.containerRestarts), ['job', 'instance', 'id', 'name', 'image']),
    level(THRESHOLDS.containerRestarts, 'warning'),
  ),
  for: Duration.seconds(0),
  severity: 'warning',
  panel: { dashboard: 'infrastructure', title: 'Container restarts' },
  summary: t`Container ${$label('name')} restarted ${$value('number')} times in 15 minutes`,
  description: t`Container ${$label('name')} (image ${$label('image')}) restarted more than ${String(level(THRESHOLDS.containerRestarts, 'warning'))} times in 15 minutes: it is crash-looping.`,
});

export const CONTAINERS = ruleGroup('containers', [], { ContainerRestarting });
