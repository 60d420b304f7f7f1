import { Construct } from 'constructs';
import { Precondition } from 'cdktf';
import { ContainerHost } from '@cdktf/provider-docker/lib/container';
import { ByteSize } from '../../core/byte-size';
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
  /** How large the TSDB may grow before its oldest blocks go (`prometheus.retentionSize`). */
  readonly retentionSize: ByteSize;
  /**
   * Serve the admin API (`prometheus.adminApi`): snapshots for `npm run backup`, and series deletion.
   * @default false
   */
  readonly adminApi?: boolean;
  /**
   * The host's Docker socket, mounted read-only for `docker_sd_configs`, and the group that may
   * read it.
   * @default none (no discovery)
   */
  readonly dockerSocket?: { hostPath: string; groupId: number };
  /**
   * Names added to its /etc/hosts, e.g. the Docker host for node-exporter.
   * @default none
   */
  readonly hosts?: ContainerHost[];
  /** Plan-time checks of what `hosts` reads. @default none */
  readonly preconditions?: Precondition[];
  /**
   * Seconds a deploy waits for Prometheus to be ready: its TSDB open (the WAL replayed) and its
   * configuration and rules loaded (the healthcheck asks /-/ready).
   * @default `PROMETHEUS_WAIT_TIMEOUT_SECONDS`
   */
  readonly waitTimeoutSeconds?: number;
}

/**
 * A new Prometheus is ready once its TSDB is open, which on a replacement means replaying the WAL
 * of the head block (up to about three hours of samples): seconds on a fresh volume, minutes for a
 * head of hundreds of thousands of series, which is as much as the 2 GiB memory limit holds. Too
 * short a wait fails a deploy whose Prometheus is fine, taints it, and the next deploy replaces it
 * and replays again; too long only delays the failure of a broken one. 10 minutes.
 */
export const PROMETHEUS_WAIT_TIMEOUT_SECONDS = 600;

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
        `--storage.tsdb.retention.size=${props.retentionSize}`,
        listenArgument('prometheus', base.port),
        ...(props.adminApi ? ['--web.enable-admin-api'] : []),
      ],
      files: props.files,
      configDir: PROMETHEUS_CONFIG_DIR,
      dataVolume: { containerPath: '/prometheus' },
      hostMounts: socket ? [{ hostPath: socket.hostPath, containerPath: DOCKER_SOCKET_IN_CONTAINER }] : undefined,
      groupAdd: socket ? [String(socket.groupId)] : undefined,
      // On SIGTERM it stops scraping and evaluating and closes the TSDB; killed, it leaves a torn WAL segment to repair at the next start.
      stopGraceSeconds: STATEFUL_STOP_GRACE_SECONDS,
      waitTimeoutSeconds: props.waitTimeoutSeconds ?? PROMETHEUS_WAIT_TIMEOUT_SECONDS,
      hosts: props.hosts,
      preconditions: props.preconditions,
    });
  }
}
