/**
 * The building block every component container is made of: a pinned image, a restart policy, an
 * HTTP healthcheck a deploy waits for, a stop grace, a memory limit, rotated logs, the application's
 * network with ports published on 127.0.0.1 unless told otherwise (or the host's network and PID
 * namespaces, for node-exporter), configuration files uploaded into the container, and protected
 * named volumes for data.
 *
 * A change of uploaded configuration replaces the container (the docker provider treats uploads,
 * command and env as force-new); the `config-sha256` label makes that visible in `docker inspect`
 * and in the plan. Data lives in named volumes that survive the replacement, and the volumes carry
 * `prevent_destroy`, so no configuration change can delete them.
 */
import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { ITerraformDependable, Lazy, Precondition } from 'cdktf';
import { Container, ContainerHost, ContainerMounts } from '@cdktf/provider-docker/lib/container';
import { Image } from '@cdktf/provider-docker/lib/image';
import { Volume } from '@cdktf/provider-docker/lib/volume';
import { Duration } from '../../core/duration';
import { RenderedFile } from '../../core/rendered-file';

export const LABEL_PREFIX = 'stock-tracker.monitoring';

/**
 * The HTTP client a healthcheck runs inside the container: the busybox `wget` of the Prometheus
 * images, or the interpreter of a Python image that has neither wget nor curl (celery-exporter).
 */
export type HealthcheckClient = 'wget' | 'python';

export interface HealthcheckProps {
  /** HTTP path probed on the container's own port. */
  readonly path: string;
  /**
   * What probes it.
   * @default `wget`
   */
  readonly client?: HealthcheckClient;
  /**
   * @default 15 s
   */
  readonly interval?: Duration;
  /**
   * @default 5 s
   */
  readonly timeout?: Duration;
  /**
   * Failed probes before the container is unhealthy.
   * @default 5
   */
  readonly retries?: number;
  /**
   * Grace period after start in which failures do not count.
   * @default 30 s
   */
  readonly startPeriod?: Duration;
}

export interface HostMount {
  hostPath: string;
  containerPath: string;
  /** Default true: components only read the host. */
  readOnly?: boolean;
  /** Mount propagation, e.g. `rslave` for the host's root file system. */
  propagation?: 'rslave' | 'rprivate';
}

export interface DataVolume {
  /** Path inside the container. */
  containerPath: string;
}

export interface MonitoredContainerProps {
  /** Container name; also its DNS name on the network. */
  readonly name: string;
  /** Pinned image reference. */
  readonly image: string;
  /** Port the process listens on inside the container, published on the same host port. */
  readonly port: number;
  /**
   * Host address the port is published on.
   * @default `127.0.0.1` (most components have no auth)
   */
  readonly bindAddress?: string;
  /** Name of the Docker network to join (the application's network); unused with `hostNamespaces`. */
  readonly network: string;
  /**
   * Run in the host's network and PID namespaces (`network_mode` and `pid_mode` `host`) instead of
   * on `network`: the process sees the host's interfaces and processes and listens on the host's
   * addresses itself, so nothing is published (`ports` do not apply to the host network) and
   * `bindAddress` is not used.
   * @default false
   */
  readonly hostNamespaces?: boolean;
  /**
   * The address the healthcheck asks, inside the container: where the process listens.
   * @default `127.0.0.1`
   */
  readonly healthcheckHost?: string;
  /**
   * Names added to the container's /etc/hosts (the provider's `host` blocks); `ip` may be a
   * Terraform expression.
   * @default none
   */
  readonly hosts?: ContainerHost[];
  /**
   * Conditions the plan checks before the container, each failing with its message.
   * @default none
   */
  readonly preconditions?: Precondition[];
  /** Hard memory limit, MiB. */
  readonly memoryLimitMb: number;
  /** The container's own HTTP healthcheck (the component's descriptor gives path and client). */
  readonly healthcheck: HealthcheckProps;
  /**
   * Arguments of the image's entrypoint.
   * @default the image's own command
   */
  readonly command?: string[];
  /**
   * `NAME=value` entries; values may be Terraform expressions (secrets stay `${var...}`).
   * @default none
   */
  readonly env?: string[];
  /**
   * Files uploaded into `configDir` before the container starts.
   * @default none
   */
  readonly files?: RenderedFile[];
  /**
   * Directory `files` paths are relative to.
   * @default none; required when `files` is not empty
   */
  readonly configDir?: string;
  /**
   * A protected named volume `<name>-data` mounted at this path.
   * @default none
   */
  readonly dataVolume?: DataVolume;
  /**
   * Host paths bound into the container (read-only unless said otherwise).
   * @default none
   */
  readonly hostMounts?: HostMount[];
  /**
   * Extra groups of the container's user (numeric ids), e.g. the Docker socket's group.
   * @default none
   */
  readonly groupAdd?: string[];
  /**
   * Full access to the host's devices (cAdvisor's documented requirement).
   * @default false
   */
  readonly privileged?: boolean;
  /**
   * Host devices passed in, read-only, e.g. `/dev/kmsg` for cAdvisor.
   * @default none
   */
  readonly devices?: string[];
  /**
   * @default `unless-stopped`: back after a crash or a reboot, unless an operator stopped it
   */
  readonly restart?: 'no' | 'on-failure' | 'always' | 'unless-stopped';
  /**
   * Size at which the json-file log rotates, in Docker's notation.
   * @default '10m'
   */
  readonly logMaxSize?: string;
  /**
   * Rotated log files kept.
   * @default 3
   */
  readonly logMaxFiles?: number;
  /**
   * Seconds `terraform apply` waits for the new container to be healthy (the provider's `wait`,
   * always on: a container that crash-loops on a bad configuration, or never answers, fails the
   * deploy instead of leaving it green). Docker runs the first probe one `interval` after the start,
   * so no container is healthy in under 15 s.
   * @default `DEFAULT_WAIT_TIMEOUT_SECONDS`
   */
  readonly waitTimeoutSeconds?: number;
  /**
   * Seconds a replacement or destroy waits after SIGTERM before SIGKILL: the provider's
   * `destroy_grace_seconds` (without it the provider stops with a timeout of 0, SIGKILL right after
   * SIGTERM). `docker stop`, `docker restart` and the daemon's shutdown at a reboot use Docker's own
   * 10 s (`stop_timeout`, left alone: it is force-new, and setting it would replace every container
   * once, stopped by the old state's grace of 0).
   * @default `STATELESS_STOP_GRACE_SECONDS`
   */
  readonly stopGraceSeconds?: number;
  /**
   * Extra container labels.
   * @default none
   */
  readonly labels?: Record<string, string>;
  /**
   * What the container is planned and created after (`depends_on` of the container only).
   * @default none
   */
  readonly dependsOn?: ITerraformDependable[];
}

/** The healthcheck command: exits 0 when `url` answers 2xx within the timeout. */
function healthcheckTest(client: HealthcheckClient, url: string, timeout: Duration): string[] {
  if (client === 'wget') return ['CMD', 'wget', '-q', '--spider', url];
  const seconds = Math.max(1, Math.floor(timeout.millis / 1000) - 1);
  return [
    'CMD',
    'python',
    '-c',
    `import urllib.request; urllib.request.urlopen(${JSON.stringify(url)}, timeout=${seconds})`,
  ];
}

/**
 * The replacement's grace for a container without state (the exporters, cAdvisor): nothing to save,
 * so only a clean exit is at stake. The Go exporters exit at SIGTERM at once, and the stop returns
 * as soon as the process has exited; the celery-exporter runs Python as PID 1, which ignores a
 * SIGTERM it has no handler for, so it is killed after this grace whatever it is. Short, then.
 */
export const STATELESS_STOP_GRACE_SECONDS = 5;

/**
 * The stop grace of Prometheus, Alertmanager and Grafana, whose data is on a volume: time to close
 * it cleanly (they take seconds; a SIGKILL costs a WAL replay, lost silences, or a torn write).
 */
export const STATEFUL_STOP_GRACE_SECONDS = 30;

/**
 * How long a deploy waits for a container that starts in seconds (Alertmanager, the exporters,
 * cAdvisor): healthy at the first probe, 15 s after the start, on a loaded host at one of the next;
 * 120 s is eight probes.
 */
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 120;

const HEALTHCHECK_DEFAULTS = {
  interval: Duration.seconds(15),
  timeout: Duration.seconds(5),
  retries: 5,
  startPeriod: Duration.seconds(30),
};

/** The protected named volume of a container's data (`dataVolume`): `<container>-data`. */
export function dataVolumeName(container: string): string {
  return `${container}-data`;
}

/** Digest of the uploaded files, so a changed file shows as a changed label in the plan. */
export function configDigest(files: RenderedFile[]): string {
  const hash = createHash('sha256');
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    hash.update(file.path).update('\0').update(file.content).update('\0');
  }
  return hash.digest('hex');
}

export class MonitoredContainer extends Construct {
  readonly container: Container;
  readonly image: Image;
  readonly dataVolume?: Volume;
  /** `name:port` on the application's network (meaningless with `hostNamespaces`). */
  readonly address: string;

  constructor(scope: Construct, id: string, props: MonitoredContainerProps) {
    super(scope, id);
    const files = props.files ?? [];
    if (files.length > 0 && !props.configDir) throw new Error(`${props.name}: files given without configDir`);
    this.address = `${props.name}:${props.port}`;

    // keep_locally: destroying the stack must not delete images other containers may use.
    this.image = new Image(this, 'image', { name: props.image, keepLocally: true });

    if (props.dataVolume) {
      this.dataVolume = new Volume(this, 'data', {
        name: dataVolumeName(props.name),
        labels: [{ label: `${LABEL_PREFIX}.component`, value: props.name }],
        lifecycle: { preventDestroy: true },
      });
    }

    const health = { ...HEALTHCHECK_DEFAULTS, ...props.healthcheck };
    const bindMounts: ContainerMounts[] = (props.hostMounts ?? []).map((mount) => ({
      type: 'bind',
      source: mount.hostPath,
      target: mount.containerPath,
      readOnly: mount.readOnly ?? true,
      bindOptions: mount.propagation ? { propagation: mount.propagation } : undefined,
    }));
    const labels = {
      [`${LABEL_PREFIX}.component`]: props.name,
      ...(files.length > 0 ? { [`${LABEL_PREFIX}.config-sha256`]: this.resolvedDigest(files) } : {}),
      ...props.labels,
    };

    this.container = new Container(this, 'container', {
      name: props.name,
      image: this.image.imageId,
      restart: props.restart ?? 'unless-stopped',
      command: props.command,
      env: props.env,
      memory: props.memoryLimitMb,
      // Equal to memory: no swap on top of the limit, so a leak ends in an OOM restart, not a slow host.
      memorySwap: props.memoryLimitMb,
      logDriver: 'json-file',
      logOpts: { 'max-size': props.logMaxSize ?? '10m', 'max-file': String(props.logMaxFiles ?? 3) },
      ...(props.hostNamespaces
        ? { networkMode: 'host', pidMode: 'host' }
        : {
            networksAdvanced: [{ name: props.network }],
            ports: [{ internal: props.port, external: props.port, ip: props.bindAddress ?? '127.0.0.1' }],
          }),
      host: props.hosts,
      healthcheck: {
        test: healthcheckTest(
          health.client ?? 'wget',
          `http://${props.healthcheckHost ?? '127.0.0.1'}:${props.port}${health.path}`,
          health.timeout,
        ),
        interval: health.interval.toString(),
        timeout: health.timeout.toString(),
        retries: health.retries,
        startPeriod: health.startPeriod.toString(),
      },
      upload:
        files.length > 0
          ? files.map((file) => ({ file: `${props.configDir}/${file.path}`, content: file.content }))
          : undefined,
      volumes: this.dataVolume
        ? [{ volumeName: this.dataVolume.name, containerPath: props.dataVolume!.containerPath }]
        : undefined,
      mounts: bindMounts.length > 0 ? bindMounts : undefined,
      groupAdd: props.groupAdd,
      privileged: props.privileged,
      devices: props.devices?.map((path) => ({ hostPath: path, containerPath: path, permissions: 'r' })),
      labels: Object.entries(labels).map(([label, value]) => ({ label, value })),
      destroyGraceSeconds: props.stopGraceSeconds ?? STATELESS_STOP_GRACE_SECONDS,
      wait: true,
      waitTimeout: props.waitTimeoutSeconds ?? DEFAULT_WAIT_TIMEOUT_SECONDS,
      dependsOn: props.dependsOn,
      lifecycle: props.preconditions ? { precondition: props.preconditions } : undefined,
    });
  }

  /**
   * The digest of the files as Terraform will see them: secrets and references are tokens until
   * synthesis, and a token's placeholder text is not stable, so hash only once they are resolved.
   */
  private resolvedDigest(files: RenderedFile[]): string {
    return Lazy.stringValue({
      produce: (context) =>
        configDigest(files.map((file) => ({ path: file.path, content: String(context.resolve(file.content)) }))),
    });
  }
}
