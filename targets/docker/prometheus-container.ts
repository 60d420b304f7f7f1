import { Construct } from 'constructs';
import { Duration } from '../../core/duration';
import { DEFAULT_CONFIG } from '../../config/monitoring-config';
import { RenderedFile } from '../../core/rendered-file';
import { DOCKER_SOCKET_IN_CONTAINER, PROMETHEUS_CONFIG_FILE } from '../../domain/prometheus';
import { ComponentContainerProps, componentBase } from './component';
import { MonitoredContainer } from './monitored-container';

export const PROMETHEUS_CONFIG_DIR = '/etc/prometheus';

export interface PrometheusContainerProps extends ComponentContainerProps {
  /** `prometheus.yml` and the rule files, paths relative to `/etc/prometheus`. */
  files: RenderedFile[];
  /** How long samples are kept. Default 30 d (`DEFAULT_CONFIG.prometheus.retention`). */
  retention?: Duration;
  /**
   * The host's Docker socket, mounted read-only for `docker_sd_configs`, and the group that may
   * read it. Default none (no discovery).
   */
  dockerSocket?: { hostPath: string; groupId: number };
}

/** Prometheus with its TSDB on a protected volume. */
export class PrometheusContainer extends MonitoredContainer {
  constructor(scope: Construct, id: string, props: PrometheusContainerProps) {
    const base = componentBase('prometheus', props);
    if (!props.files.some((file) => file.path === PROMETHEUS_CONFIG_FILE)) {
      throw new Error(`PrometheusContainer: files must include ${PROMETHEUS_CONFIG_FILE}`);
    }
    const retention = props.retention ?? DEFAULT_CONFIG.prometheus.retention;
    const socket = props.dockerSocket;
    super(scope, id, {
      ...base,
      command: [
        `--config.file=${PROMETHEUS_CONFIG_DIR}/${PROMETHEUS_CONFIG_FILE}`,
        '--storage.tsdb.path=/prometheus',
        `--storage.tsdb.retention.time=${retention}`,
        `--web.listen-address=:${base.port}`,
      ],
      files: props.files,
      configDir: PROMETHEUS_CONFIG_DIR,
      dataVolume: { containerPath: '/prometheus' },
      healthcheck: { path: '/-/healthy' },
      hostMounts: socket ? [{ hostPath: socket.hostPath, containerPath: DOCKER_SOCKET_IN_CONTAINER }] : undefined,
      groupAdd: socket ? [String(socket.groupId)] : undefined,
    });
  }
}
