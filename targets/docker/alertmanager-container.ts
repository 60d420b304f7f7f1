import { Construct } from 'constructs';
import { Duration } from '../../core/duration';
import { RenderedFile } from '../../core/rendered-file';
import { ComponentContainerProps, componentBase, listenArgument } from './component';
import { MonitoredContainer, STATEFUL_STOP_GRACE_SECONDS } from './monitored-container';

export const ALERTMANAGER_CONFIG_DIR = '/etc/alertmanager';
export const ALERTMANAGER_CONFIG_FILE = 'alertmanager.yml';

/**
 * How often Alertmanager rewrites its `silences` and `nflog` files (`--data.maintenance-interval`;
 * its default is 15m). A minute: a kill loses at most a minute of silences, and `npm run backup`,
 * which copies the files once rewritten after it began, waits at most that long. The files are a
 * few kB; writing them every minute costs nothing.
 */
export const ALERTMANAGER_SNAPSHOT_INTERVAL = Duration.minutes(1);

export interface AlertmanagerContainerProps extends ComponentContainerProps {
  /** `alertmanager.yml` and templates, paths relative to `/etc/alertmanager`. */
  readonly files: RenderedFile[];
  /**
   * URL people reach Alertmanager at, used in links of notifications.
   * @default Alertmanager's own guess
   */
  readonly externalUrl?: string;
}

/** Alertmanager, a single instance (clustering off), with silences and notification log on a protected volume. */
export class AlertmanagerContainer extends MonitoredContainer {
  constructor(scope: Construct, id: string, props: AlertmanagerContainerProps) {
    const base = componentBase('alertmanager', props);
    if (!props.files.some((file) => file.path === ALERTMANAGER_CONFIG_FILE)) {
      throw new Error(`AlertmanagerContainer: files must include ${ALERTMANAGER_CONFIG_FILE}`);
    }
    super(scope, id, {
      ...base,
      command: [
        `--config.file=${ALERTMANAGER_CONFIG_DIR}/${ALERTMANAGER_CONFIG_FILE}`,
        '--storage.path=/alertmanager',
        `--data.maintenance-interval=${ALERTMANAGER_SNAPSHOT_INTERVAL}`,
        listenArgument('alertmanager', base.port),
        // One instance: no gossip port, no peers to wait for before sending.
        '--cluster.listen-address=',
        ...(props.externalUrl ? [`--web.external-url=${props.externalUrl}`] : []),
        // Routes stay at / whatever path the external URL has: the healthcheck and Prometheus rely on it.
        '--web.route-prefix=/',
      ],
      files: props.files,
      configDir: ALERTMANAGER_CONFIG_DIR,
      dataVolume: { containerPath: '/alertmanager' },
      // On SIGTERM it writes its silences and notification log to the volume: killed, it loses the changes since the last snapshot (a minute at most).
      stopGraceSeconds: STATEFUL_STOP_GRACE_SECONDS,
    });
  }
}
