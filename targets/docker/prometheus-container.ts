import { Construct } from 'constructs';
import { Duration } from '../../core/duration';
import { RenderedFile } from '../../core/rendered-file';
import { DOCKER_SOCKET_IN_CONTAINER, PROMETHEUS_CONFIG_FILE } from '../../domain/prometheus';
import { ComponentContainerProps, componentBase, listenArgument } from './component';
import { MonitoredContainer, STATEFUL_STOP_GRACE_SECONDS } from './monitored-container';

export const PROMETHEUS_CONFIG_DIR = '/etc/prometheus';

export interface PrometheusContainerProps extends ComponentContainerProps {
  /** `prometheus.yml` and the rule files, paths relative to `/etc/prometheus`. */
  readonly files: RenderedFile[];
  /** How long samples are kept (`prometheus.retention`). */
  readonly retention: Duration;
  /**
   * The host's Docker socket, mounted read-only for `docker_sd_configs`, and the group that may
   * read it.
   * @default none (no discovery)
   */
  readonly dockerSocket?: { hostPath: string; groupId: number };
}

/** Prometheus with its TSDB on a protected volume. */
export class PrometheusContainer extends MonitoredContainer {
  constructor(scope: Construct, id: string, props: PrometheusContainerProps) {
    const base = componentBase('prometheus', props);
    if (!props.files.some((file) => file.path === PROMETHEUS_CONFIG_FILE)) {
      throw new Error(`PrometheusContainer: files must include ${PROMETHEUS_CONFIG_FILE}`);
    }
    const socket = props.dockerSocket;
    super(scope, id, {
      ...base,
      command: [
        `--config.file=${PROMETHEUS_CONFIG_DIR}/${PROMETHEUS_CONFIG_FILE}`,
        '--storage.tsdb.path=/prometheus',
        `--storage.tsdb.retention.time=${props.retention}`,
        listenArgument('prometheus', base.port),
      ],
      files: props.files,
      configDir: PROMETHEUS_CONFIG_DIR,
      dataVolume: { containerPath: '/prometheus' },
      hostMounts: socket ? [{ hostPath: socket.hostPath, containerPath: DOCKER_SOCKET_IN_CONTAINER }] : undefined,
      groupAdd: socket ? [String(socket.groupId)] : undefined,
      // On SIGTERM it stops scraping and evaluating and closes the TSDB; killed, it leaves a torn WAL segment to repair at the next start.
      stopGraceSeconds: STATEFUL_STOP_GRACE_SECONDS,
    });
  }
}
