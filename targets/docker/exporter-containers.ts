/** The exporters: stateless, configured by flags and environment, no files of their own. */
import { Construct } from 'constructs';
import { COMPONENT_DESCRIPTORS, ComponentName } from '../../core/components';
import { Precondition } from 'cdktf';
import { hostReaching, isWildcardAddress, listenAddress } from '../../config/monitoring-config';
import { ComponentContainerProps, componentBase, listenArgument, listenFlag } from './component';
import { MonitoredContainer } from './monitored-container';
import { envEntries } from '../../domain/prometheus';

export interface PostgresExporterContainerProps extends ComponentContainerProps {
  /**
   * Its environment (`postgresExporterEnv`: `DATA_SOURCE_URI`, `DATA_SOURCE_USER`, `PGPASSWORD`);
   * the password is a Terraform expression, never a literal.
   */
  readonly env: Readonly<Record<string, string>>;
}

export class PostgresExporterContainer extends MonitoredContainer {
  constructor(scope: Construct, id: string, props: PostgresExporterContainerProps) {
    const base = componentBase('postgresExporter', props);
    super(scope, id, {
      ...base,
      command: [listenArgument('postgresExporter', base.port)],
      env: envEntries(props.env),
    });
  }
}

export interface RedisExporterContainerProps extends ComponentContainerProps {
  /** `REDIS_ADDR`, e.g. `redis://redis:6379`. */
  readonly redisAddress: string;
  /**
   * `REDIS_PASSWORD`, a Terraform expression, never a literal.
   * @default none: Redis without a password
   */
  readonly redisPassword?: string;
}

export class RedisExporterContainer extends MonitoredContainer {
  constructor(scope: Construct, id: string, props: RedisExporterContainerProps) {
    const base = componentBase('redisExporter', props);
    super(scope, id, {
      ...base,
      command: [listenArgument('redisExporter', base.port)],
      env: [
        `REDIS_ADDR=${props.redisAddress}`,
        ...(props.redisPassword === undefined ? [] : [`REDIS_PASSWORD=${props.redisPassword}`]),
      ],
    });
  }
}

export interface CeleryExporterContainerProps extends ComponentContainerProps {
  /** `CE_BROKER_URL`, e.g. `redis://redis:6379/0`; a password in it is a Terraform expression, never a literal. */
  readonly brokerUrl: string;
  /** Queues reported from the first scrape, whether or not a worker consumes them (`--queues`). */
  readonly queues: readonly string[];
  /** Upper bounds of `celery_task_runtime`, seconds (`--buckets`): the catalog's. */
  readonly runtimeBuckets: readonly number[];
}

/**
 * danihodovic/celery-exporter: Celery's queues and workers from the broker and Celery's remote
 * control, and (when the workers send task events) every task's outcome and run time. Its image
 * is Python without wget or curl, so the healthcheck asks `/health` with Python. `/health` answers
 * while the process serves, even with the broker gone (measured): a lost broker shows as failed
 * scrapes (`/metrics` answers 500), which CeleryWorkerDown reads.
 */
export class CeleryExporterContainer extends MonitoredContainer {
  constructor(scope: Construct, id: string, props: CeleryExporterContainerProps) {
    const base = componentBase('celeryExporter', props);
    super(scope, id, {
      ...base,
      command: [
        `--port=${base.port}`,
        `--queues=${props.queues.join(',')}`,
        `--buckets=${props.runtimeBuckets.join(',')}`,
        // Without it a lost broker connection ends the process, and the restarts look like a crash loop.
        '--retry-interval=5',
      ],
      // The exporter reads every flag from CE_<FLAG> too (click's auto_envvar_prefix): the URL may hold a secret.
      env: [`CE_BROKER_URL=${props.brokerUrl}`],
    });
  }
}

export interface NodeExporterContainerProps extends ComponentContainerProps {
  /**
   * The IPv4 gateway of the application's network, the host's own address on that network's bridge
   * (a Terraform expression: Docker chose it). node-exporter listens there for Prometheus, which
   * reaches it as `DOCKER_HOST_ALIAS`.
   */
  readonly gateway: string;
  /** Plan-time checks of `gateway` (that the network has one). @default none */
  readonly preconditions?: Precondition[];
}

/**
 * Host metrics, as node_exporter's README runs it in Docker: in the host's network and PID
 * namespaces (in a network namespace of its own it would report its own interface, not the host's),
 * the host's root bound read-only at `/host` with `rslave` propagation (mounts made later on the host
 * show up too) and `--path.rootfs=/host`.
 *
 * It listens on two of the host's addresses, neither of them public: `bindAddress` (loopback by
 * default), where the host reaches it as it reaches the other components' published ports (the
 * healthcheck, `npm run check`, an SSH tunnel), and the gateway of the application's network, where
 * Prometheus, on that network, reaches it. Not `0.0.0.0` (unless `bindAddress` says so): with the
 * host's network that would be every address of the host, its public one included. A bridge's
 * gateway is the host's own address on an interface only that network's containers sit on, in a
 * private subnet nothing outside routes to the host; only a machine on the host's own LAN segment
 * that adds such a route could reach it (Linux answers for any of its addresses on any interface).
 * A host firewall that filters INPUT must let the network's subnet reach the port.
 */
export class NodeExporterContainer extends MonitoredContainer {
  constructor(scope: Construct, id: string, props: NodeExporterContainerProps) {
    const base = componentBase('nodeExporter', props);
    const bindAddress = base.bindAddress ?? '127.0.0.1';
    const flag = listenFlag('nodeExporter');
    const listenAt = isWildcardAddress(bindAddress) ? [bindAddress] : [bindAddress, props.gateway];
    super(scope, id, {
      ...base,
      hostNamespaces: true,
      healthcheckHost: hostReaching(bindAddress),
      command: [
        `--path.rootfs=${HOST_ROOT}`,
        ...listenAt.map((address) => `${flag}=${listenAddress(address, base.port)}`),
        '--collector.filesystem.mount-points-exclude=^/(dev|proc|sys|run|var/lib/docker/.+)($|/)',
      ],
      hostMounts: [{ hostPath: '/', containerPath: HOST_ROOT, propagation: 'rslave' }],
      preconditions: props.preconditions,
    });
  }
}

/** Where node-exporter sees the host's root file system (`--path.rootfs`). */
export const HOST_ROOT = '/host';

/** Nothing beyond the common props: cAdvisor reads the host and Docker. */
export type CadvisorContainerProps = ComponentContainerProps;

/**
 * Per-container metrics. cAdvisor needs the host's cgroups, Docker's state and /dev/kmsg (OOM
 * events) and runs privileged, as its documentation requires; every host path is read-only. With
 * Docker's containerd image store (the default of a fresh Docker 29) it asks containerd for each
 * container's root file system, at `/run/containerd/containerd.sock` (its `-containerd` flag), which
 * the `/var/run` mount holds (cAdvisor 0.54+, container/docker/handler.go v0.60.5 l. 165-177).
 */
export class CadvisorContainer extends MonitoredContainer {
  constructor(scope: Construct, id: string, props: CadvisorContainerProps) {
    const base = componentBase('cadvisor', props);
    super(scope, id, {
      ...base,
      command: [
        `-port=${base.port}`,
        '-docker_only=true',
        '-housekeeping_interval=15s',
        // Container labels as metric labels would multiply series for nothing.
        '-store_container_labels=false',
        // Except Docker's RestartCount, which the docker handler adds as the label `restartcount`
        // (container/docker/handler.go, v0.47.2 l. 221-224, v0.60.5 l. 260-262): with the flag above
        // only listed labels become `container_label_<name>` (BaseContainerLabels, v0.47.2
        // metrics/prometheus.go l. 1788-1809, v0.60.5 lib/metrics/prometheus.go l. 2234-2258).
        // ContainerRestarting counts its series (domain/metrics/restarts.ts): the start time does not
        // count restarts on any release.
        '-whitelisted_container_labels=restartcount',
      ],
      hostMounts: [
        { hostPath: '/', containerPath: '/rootfs' },
        { hostPath: '/var/run', containerPath: '/var/run' },
        { hostPath: '/sys', containerPath: '/sys' },
        { hostPath: '/var/lib/docker', containerPath: '/var/lib/docker' },
        { hostPath: '/dev/disk', containerPath: '/dev/disk' },
      ],
      privileged: true,
      devices: ['/dev/kmsg'],
    });
  }
}

export interface ExporterContainerProps extends ComponentContainerProps {
  /** The component whose descriptor (core/components.ts) gives the listen flag and arguments. */
  readonly component: ComponentName;
}

/**
 * An exporter with no construct of its own: its descriptor's image, listen flag and `args`, and
 * its healthcheck. What a component added by its descriptor alone runs as (README "Adding an
 * exporter").
 */
export class ExporterContainer extends MonitoredContainer {
  constructor(scope: Construct, id: string, props: ExporterContainerProps) {
    const base = componentBase(props.component, props);
    super(scope, id, {
      ...base,
      command: [listenArgument(props.component, base.port), ...(COMPONENT_DESCRIPTORS[props.component].args ?? [])],
    });
  }
}
