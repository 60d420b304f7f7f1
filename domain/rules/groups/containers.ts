/** The containers' rules, through cAdvisor: a container restarting over and over. */
import { Duration } from '../../../core/duration';
import { METRICS } from '../../metrics';
import { THRESHOLDS, windowOf } from '../../metrics/thresholds';
import { gt, not, overTime, select } from '../../metrics/promql';
import { level } from '../conditions';
import { $label, $value, alert, ruleGroup, t } from '../model';

const { cadvisor } = METRICS;

const ContainerRestarting = alert({
  name: 'ContainerRestarting',
  expr: gt(
    overTime('changes', select(cadvisor.startTime, { name: not('') }), windowOf(THRESHOLDS.containerRestarts)),
    level(THRESHOLDS.containerRestarts, 'warning'),
  ),
  for: Duration.seconds(0),
  severity: 'warning',
  summary: t`Container ${$label('name')} restarted ${$value('number')} times in 15 minutes`,
  description: t`Container ${$label('name')} (image ${$label('image')}) restarted more than ${String(level(THRESHOLDS.containerRestarts, 'warning'))} times in 15 minutes: it is crash-looping.`,
});

export const CONTAINERS = ruleGroup('containers', [], { ContainerRestarting });
