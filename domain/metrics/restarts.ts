/**
 * Restarts of Docker containers, as cAdvisor shows them. Its `container_start_time_seconds` is the
 * container's creation time up to 0.56 (metrics/prometheus.go, v0.47.2 l. 1848-1849: `Spec.CreationTime`,
 * which the docker handler parses from Docker's `Created`, container/docker/handler.go l. 205), the
 * same across restarts by the restart policy. From 0.57 it is the start of the current run
 * (lib/metrics/prometheus.go, v0.60.5 l. 2294-2301: `Spec.StartTime`, Docker's `State.StartedAt`,
 * handler.go l. 253-258; the creation time moved to `container_creation_time_seconds`). Neither
 * counts restarts: what does is Docker's `RestartCount`. The docker handler reads it when cAdvisor
 * creates the container's handler anew, on the cgroup the restart made (manager/manager.go, v0.47.2
 * l. 1150-1156, lib/manager/manager.go, v0.60.5 l. 1070-1076: a deleted cgroup destroys the container,
 * a new one creates it), and sets the label `restartcount` when above 0 (handler.go l. 221-224 in
 * v0.47.2, l. 260-262 in v0.60.5, whose integration test TestDockerContainerRestartCount checks it
 * after a restart). Whitelisted, every series of the container carries it as
 * `container_label_restartcount`: each restart ends the container's series and begins new ones with
 * the next count, whichever start time they hold. Restarts within a window are the restart-count
 * series that began in it, the same count on every cAdvisor from 0.47 to 0.60
 * (__tests__/rules-alert-cases.ts, ContainerRestarting, both shapes).
 */
import { Duration } from '../../core/duration';
import { LabelName, METRICS } from './catalog';
import { Expr, not, select, seriesBegunWithin } from './promql';

const { startTime } = METRICS.cadvisor;

/**
 * The series of containers the restart policy has restarted. `container_start_time_seconds` because
 * cAdvisor writes it for every container, before any statistics (prometheus.go l. 1847-1849).
 */
export const RESTARTED_CONTAINER_SERIES = select(startTime, { name: not(''), container_label_restartcount: not('') });

/**
 * Restarts of each container (per group of `by`) within the last `window`: how many restart counts
 * began in it. A container that was not restarted has no series here; one re-created by a deploy
 * (a new `id`) starts again from no restart count.
 */
export function containerRestarts<K extends Exclude<LabelName<typeof startTime>, 'container_label_restartcount'>>(
  window: Duration,
  by: readonly K[],
): Expr<K> {
  return seriesBegunWithin(RESTARTED_CONTAINER_SERIES, window, by);
}
