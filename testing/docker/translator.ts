/**
 * The synthesized `cdk.tf.json` applied to a Docker engine as the docker provider would apply it:
 * the same `docker_volume`, `docker_image` and `docker_container` resources, created through the
 * Engine API, attribute by attribute as the provider's code does, because neither Terraform's
 * providers nor a registry can be reached here. Expressions are evaluated by Terraform itself
 * (./terraform-evaluation.ts).
 *
 * Followed: kreuzwerker/terraform-provider-docker v3.6.2 (the version the stack pins), files
 * internal/provider/resource_docker_container.go (schema: defaults, ForceNew),
 * resource_docker_container_funcs.go (resourceDockerContainerCreate, ...Read, ...Delete),
 * resource_docker_container_structures.go, resource_docker_volume.go, resource_docker_image_funcs.go
 * and data_source_docker_network.go. Each attribute below names the code it follows ("funcs.go
 * l. 74-76" is resource_docker_container_funcs.go at v3.6.2).
 *
 * An attribute, block key, meta-argument or resource type the translator does not know fails the
 * translation, naming it: nothing the stack declares is silently left out.
 */
import { ContainerCreateBody, DockerApi, HealthConfig, HostConfig, MountSpec, NetworkInspect } from './engine-api';
import { evaluateWithTerraform } from './terraform-evaluation';
import { tarOf } from './tar';
import { TerraformJson } from '../synth';
import { sleep } from '../processes';

type Attributes = Readonly<Record<string, unknown>>;

/** A container as the provider creates it: the create body, then what it does after creating. */
export interface ContainerPlan {
  /** The resource's logical id in cdk.tf.json. */
  id: string;
  name: string;
  /** The `docker_image` it runs, by logical id. */
  image: string;
  body: ContainerCreateBody;
  /** Networks joined after the create, once off the default bridge (`networks_advanced`). */
  networks: { name: string; aliases: string[] }[];
  /** Files written into the container between create and start (`upload`). */
  uploads: { file: string; content: string; mode: number }[];
  /** Seconds to wait for the healthcheck to pass after the start (`wait`), or none. */
  waitSeconds?: number;
  /** What a destroy does: `docker stop -t <grace>`, then a forced remove. */
  destroy: { graceSeconds: number; removeVolumes: boolean };
  /** The evaluated attributes, to tell what a new render changes. */
  attributes: Attributes;
}

function fail(where: string, message: string): never {
  throw new Error(`${where}: ${message}`);
}

function asObject(value: unknown, where: string): Attributes {
  if (!value || typeof value !== 'object' || Array.isArray(value))
    fail(where, `expected a block, got ${JSON.stringify(value)}`);
  return value as Attributes;
}

function asList(value: unknown, where: string): unknown[] {
  // A block with at most one item may be written as an object in Terraform's JSON syntax.
  if (value && typeof value === 'object' && !Array.isArray(value)) return [value];
  if (!Array.isArray(value)) fail(where, `expected a list, got ${JSON.stringify(value)}`);
  return value;
}

function asString(value: unknown, where: string): string {
  if (typeof value !== 'string') fail(where, `expected a string, got ${JSON.stringify(value)}`);
  return value;
}

function asNumber(value: unknown, where: string): number {
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isFinite(number))
    fail(where, `expected a number, got ${JSON.stringify(value)}`);
  return number;
}

function asBoolean(value: unknown, where: string): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  fail(where, `expected a boolean, got ${JSON.stringify(value)}`);
}

/** The keys of a nested block, each one known: a block key the translator does not know fails. */
function knownKeys(block: Attributes, known: readonly string[], where: string): Attributes {
  const unknown = Object.keys(block).filter((key) => !known.includes(key));
  if (unknown.length > 0)
    fail(where, `${unknown.map((key) => `"${key}"`).join(', ')} not translated (known: ${known.join(', ')})`);
  return block;
}

const DURATION_UNITS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };

/** Go's time.ParseDuration, in nanoseconds (`1m30s`, `500ms`); the provider parses healthcheck durations with it. */
export function goDurationNanos(text: string, where: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (text !== '0' && (parts.length === 0 || parts.map((p) => p[0]).join('') !== text))
    fail(where, `"${text}" is not a Go duration`);
  return Math.round(parts.reduce((sum, [, amount, unit]) => sum + Number(amount) * DURATION_UNITS[unit], 0));
}

/** The translation so far: the create body, the after-create steps, and the lifecycle. */
interface Draft {
  body: ContainerCreateBody;
  host: HostConfig;
  plan: Omit<ContainerPlan, 'id' | 'body' | 'attributes' | 'waitSeconds'>;
  wait: boolean;
  waitTimeoutSeconds: number;
}

/**
 * How each `docker_container` attribute the stack uses becomes part of the Engine API calls, as
 * resourceDockerContainerCreate and resourceDockerContainerDelete do it, and whether a change
 * replaces the container (ForceNew in resource_docker_container.go). Not here: everything else.
 */
const CONTAINER_ATTRIBUTES: Record<
  string,
  { forceNew: boolean; apply: (value: unknown, draft: Draft, where: string) => void }
> = {
  // The container's name, the ContainerCreate name parameter (funcs.go l. 420; schema l. 38-43, ForceNew).
  name: { forceNew: true, apply: (value, draft, where) => (draft.plan.name = asString(value, where)) },
  // An image id (`docker_image.x.image_id`), config.Image (funcs.go l. 53-57, 64; schema l. 129-134).
  image: { forceNew: true, apply: (value, draft, where) => (draft.body.Image = asString(value, where)) },
  // config.Cmd; an empty element is refused (funcs.go l. 78-85).
  command: {
    forceNew: true,
    apply: (value, draft, where) => {
      const command = asList(value, where).map((item) => asString(item, where));
      if (command.includes('')) fail(where, 'values for command may not be empty');
      draft.body.Cmd = command;
    },
  },
  // config.Env, a set of `NAME=value` (funcs.go l. 74-76; schema l. 564-572, ForceNew).
  env: {
    forceNew: true,
    apply: (value, draft, where) => (draft.body.Env = asList(value, where).map((item) => asString(item, where))),
  },
  // config.Labels from `{label, value}` blocks (funcs.go l. 130-132, helpers.go labelSetToMap).
  labels: {
    forceNew: true,
    apply: (value, draft, where) => {
      draft.body.Labels = Object.fromEntries(
        asList(value, where).map((item) => {
          const label = knownKeys(asObject(item, where), ['label', 'value'], where);
          return [asString(label.label, where), asString(label.value, where)];
        }),
      );
    },
  },
  // config.Healthcheck: test, and durations through time.ParseDuration, retries (funcs.go l. 134-160);
  // not ForceNew and not updated in place (resourceDockerContainerUpdate, l. 881-927): a change is state only.
  healthcheck: {
    forceNew: false,
    apply: (value, draft, where) => {
      const [raw] = asList(value, where);
      const check = knownKeys(asObject(raw, where), ['test', 'interval', 'timeout', 'start_period', 'retries'], where);
      const duration = (key: string) =>
        goDurationNanos(asString(check[key] ?? '0s', `${where}.${key}`), `${where}.${key}`);
      const health: HealthConfig = {
        Test: asList(check.test, where).map((item) => asString(item, where)),
        Interval: duration('interval'),
        Timeout: duration('timeout'),
        StartPeriod: duration('start_period'),
        Retries: asNumber(check.retries ?? 0, where),
      };
      draft.body.Healthcheck = health;
    },
  },
  // portSetToDockerPorts: `<internal>/<protocol>` exposed and bound to ip:external; protocol tcp and ip
  // 0.0.0.0 by default (funcs.go l. 98-104, 262-264; structures.go l. 138-168; schema l. 461-509).
  ports: {
    forceNew: true,
    apply: (value, draft, where) => {
      for (const item of asList(value, where)) {
        const port = knownKeys(asObject(item, where), ['internal', 'external', 'ip', 'protocol'], where);
        const key = `${asNumber(port.internal, where)}/${port.protocol === undefined ? 'tcp' : asString(port.protocol, where)}`;
        draft.body.ExposedPorts = { ...draft.body.ExposedPorts, [key]: {} };
        const binding = {
          HostIp: port.ip === undefined ? '0.0.0.0' : asString(port.ip, where),
          HostPort: port.external === undefined ? '' : String(asNumber(port.external, where)),
        };
        draft.host.PortBindings = {
          ...draft.host.PortBindings,
          [key]: [...(draft.host.PortBindings?.[key] ?? []), binding],
        };
      }
    },
  },
  // extraHostsSetToContainerExtraHosts: `host:ip` lines of /etc/hosts (funcs.go l. 107-110; structures.go l. 186-197).
  host: {
    forceNew: true,
    apply: (value, draft, where) => {
      draft.host.ExtraHosts = asList(value, where).map((item) => {
        const entry = knownKeys(asObject(item, where), ['host', 'ip'], where);
        return `${asString(entry.host, where)}:${asString(entry.ip, where)}`;
      });
    },
  },
  // volumeSetToDockerVolumes: a named volume as the bind `name:path:rw` (`ro` when read_only), the
  // path in config.Volumes (funcs.go l. 116-128, 265-267; structures.go l. 199-234).
  volumes: {
    forceNew: true,
    apply: (value, draft, where) => {
      for (const item of asList(value, where)) {
        const volume = knownKeys(asObject(item, where), ['volume_name', 'container_path', 'read_only'], where);
        const path = asString(volume.container_path, where);
        const mode = volume.read_only !== undefined && asBoolean(volume.read_only, where) ? 'ro' : 'rw';
        draft.body.Volumes = { ...draft.body.Volumes, [path]: {} };
        draft.host.Binds = [...(draft.host.Binds ?? []), `${asString(volume.volume_name, where)}:${path}:${mode}`];
      }
    },
  },
  // HostConfig.Mounts: type, target, source, read_only, and bind_options.propagation for a bind (funcs.go l. 163-243).
  mounts: {
    forceNew: true,
    apply: (value, draft, where) => {
      draft.host.Mounts = asList(value, where).map((item): MountSpec => {
        const mount = knownKeys(
          asObject(item, where),
          ['type', 'source', 'target', 'read_only', 'bind_options'],
          where,
        );
        const type = asString(mount.type, where);
        if (type !== 'bind') fail(where, `mount type "${type}" not translated (the stack binds host paths only)`);
        const [options] = mount.bind_options === undefined ? [] : asList(mount.bind_options, where);
        const propagation = options && knownKeys(asObject(options, where), ['propagation'], where).propagation;
        return {
          Type: 'bind',
          Source: asString(mount.source, where),
          Target: asString(mount.target, where),
          ReadOnly: mount.read_only !== undefined && asBoolean(mount.read_only, where),
          ...(propagation ? { BindOptions: { Propagation: asString(propagation, where) } } : {}),
        };
      });
    },
  },
  // HostConfig.Privileged (funcs.go l. 246; schema l. 630-635, ForceNew).
  privileged: { forceNew: true, apply: (value, draft, where) => (draft.host.Privileged = asBoolean(value, where)) },
  // deviceSetToDockerDevices: container path defaults to the host's, permissions to rwm (funcs.go l. 290-292; structures.go l. 236-260).
  devices: {
    forceNew: true,
    apply: (value, draft, where) => {
      draft.host.Devices = asList(value, where).map((item) => {
        const device = knownKeys(asObject(item, where), ['host_path', 'container_path', 'permissions'], where);
        const hostPath = asString(device.host_path, where);
        return {
          PathOnHost: hostPath,
          PathInContainer: device.container_path === undefined ? hostPath : asString(device.container_path, where),
          CgroupPermissions: device.permissions === undefined ? 'rwm' : asString(device.permissions, where),
        };
      });
    },
  },
  // RestartPolicy{Name: restart, MaximumRetryCount: max_retry_count (0)} (funcs.go l. 248-251); updated in place
  // by resourceDockerContainerUpdate (l. 881-927), which the harness does not do: a change fails.
  restart: {
    forceNew: false,
    apply: (value, draft, where) => (draft.host.RestartPolicy = { Name: asString(value, where), MaximumRetryCount: 0 }),
  },
  // LogConfig.Type (funcs.go l. 256-258; schema l. 718-724, ForceNew).
  log_driver: {
    forceNew: true,
    apply: (value, draft, where) => (draft.host.LogConfig = { ...draft.host.LogConfig, Type: asString(value, where) }),
  },
  // LogConfig.Config, every value a string (funcs.go l. 355-357, mapTypeMapValsToString).
  log_opts: {
    forceNew: true,
    apply: (value, draft, where) => {
      const options = Object.fromEntries(
        Object.entries(asObject(value, where)).map(([key, item]) => [key, asString(item, where)]),
      );
      draft.host.LogConfig = { Type: draft.host.LogConfig?.Type ?? '', Config: options };
    },
  },
  // HostConfig.Memory in MiB (funcs.go l. 310-312); updated in place (l. 881-927): a change fails here.
  memory: {
    forceNew: false,
    apply: (value, draft, where) => (draft.host.Memory = asNumber(value, where) * 1024 * 1024),
  },
  // HostConfig.MemorySwap in MiB when positive, -1 as is (funcs.go l. 314-320); updated in place: a change fails here.
  memory_swap: {
    forceNew: false,
    apply: (value, draft, where) => {
      const swap = asNumber(value, where);
      draft.host.MemorySwap = swap > 0 ? swap * 1024 * 1024 : swap;
    },
  },
  // HostConfig.NetworkMode (funcs.go l. 360-362); `bridge` when unset (schema l. 733-739).
  network_mode: { forceNew: true, apply: (value, draft, where) => (draft.host.NetworkMode = asString(value, where)) },
  // Created on the default bridge, then disconnected from it (an error "is not connected" ignored) and
  // connected to each network with its aliases (funcs.go l. 427-454; schema l. 741-776).
  networks_advanced: {
    forceNew: true,
    apply: (value, draft, where) => {
      draft.plan.networks = asList(value, where).map((item) => {
        const network = knownKeys(asObject(item, where), ['name', 'aliases'], where);
        const aliases =
          network.aliases === undefined ? [] : asList(network.aliases, where).map((a) => asString(a, where));
        return { name: asString(network.name, where), aliases };
      });
    },
  },
  // HostConfig.PidMode (funcs.go l. 367-369; schema l. 778-783, ForceNew).
  pid_mode: { forceNew: true, apply: (value, draft, where) => (draft.host.PidMode = asString(value, where)) },
  // HostConfig.GroupAdd (funcs.go l. 377-379; schema l. 922-929, ForceNew).
  group_add: {
    forceNew: true,
    apply: (value, draft, where) => (draft.host.GroupAdd = asList(value, where).map((item) => asString(item, where))),
  },
  // Each file a tar entry {Name: file, Mode: 0644 (0744 executable, or permissions), Size, ModTime} copied to
  // "/" after the create and before the start (funcs.go l. 456-533; schema l. 791-847, ForceNew).
  upload: {
    forceNew: true,
    apply: (value, draft, where) => {
      draft.plan.uploads = asList(value, where).map((item) => {
        const upload = knownKeys(asObject(item, where), ['file', 'content', 'executable', 'permissions'], where);
        const executable = upload.executable !== undefined && asBoolean(upload.executable, where);
        const mode =
          upload.permissions !== undefined
            ? parseInt(asString(upload.permissions, where), 8)
            : executable
              ? 0o744
              : 0o644;
        return { file: asString(upload.file, where), content: asString(upload.content, where), mode };
      });
    },
  },
  // After the start, inspect every second until Health.Status is healthy; no healthcheck, or no healthy
  // state within wait_timeout (60 s by default), fails "container failed to be in healthy state" (funcs.go
  // l. 542-575; schema l. 67-79). Not ForceNew.
  wait: { forceNew: false, apply: (value, draft, where) => (draft.wait = asBoolean(value, where)) },
  wait_timeout: {
    forceNew: false,
    apply: (value, draft, where) => (draft.waitTimeoutSeconds = asNumber(value, where)),
  },
  // Delete: ContainerStop with this timeout (0 when unset: SIGKILL right after SIGTERM), then ContainerRemove
  // with Force and RemoveVolumes (remove_volumes, true by default) (funcs.go l. 929-956). Not ForceNew.
  destroy_grace_seconds: {
    forceNew: false,
    apply: (value, draft, where) => (draft.plan.destroy.graceSeconds = Math.max(0, asNumber(value, where))),
  },
};

/** Meta-arguments Terraform handles itself; `lifecycle` preconditions run in the evaluation. */
const META_ARGUMENTS = ['//', 'depends_on', 'lifecycle'];

/**
 * The provider's create of one `docker_container` from its evaluated attributes: the Engine API
 * body and the steps around it. Throws naming the first attribute or block key it does not know.
 */
export function planContainer(id: string, attributes: Attributes, imageOf: (imageId: string) => string): ContainerPlan {
  const where = `docker_container.${id}`;
  const host: HostConfig = {
    // network_mode's schema default (l. 733-739), and init unset: false (funcs.go l. 410-411).
    NetworkMode: 'bridge',
    Init: false,
  };
  const draft: Draft = {
    body: { Image: '', HostConfig: host },
    host,
    plan: { name: '', image: '', networks: [], uploads: [], destroy: { graceSeconds: 0, removeVolumes: true } },
    // wait false and wait_timeout 60 by default (schema l. 67-79).
    wait: false,
    waitTimeoutSeconds: 60,
  };
  const names = Object.keys(attributes).filter((key) => !META_ARGUMENTS.includes(key));
  const unknown = names.filter((name) => !(name in CONTAINER_ATTRIBUTES));
  if (unknown.length > 0)
    fail(
      where,
      `attribute ${unknown.map((name) => `"${name}"`).join(', ')} not translated: the harness would ignore it, so it refuses`,
    );
  for (const name of names) CONTAINER_ATTRIBUTES[name].apply(attributes[name], draft, `${where}.${name}`);
  if (!draft.plan.name) fail(where, 'no name');
  draft.plan.image = imageOf(draft.body.Image);
  const lifecycle = attributes.lifecycle === undefined ? {} : asObject(attributes.lifecycle, `${where}.lifecycle`);
  knownKeys(lifecycle, ['precondition'], `${where}.lifecycle`);
  return {
    ...draft.plan,
    id,
    body: draft.body,
    waitSeconds: draft.wait ? draft.waitTimeoutSeconds : undefined,
    attributes,
  };
}

/** Attributes whose change between two plans replaces the container (ForceNew); the others it refuses to update. */
export function replacementOf(before: ContainerPlan, after: ContainerPlan): { replace: string[]; inPlace: string[] } {
  const names = [...new Set([...Object.keys(before.attributes), ...Object.keys(after.attributes)])].filter(
    (name) => !META_ARGUMENTS.includes(name),
  );
  const changed = names.filter(
    (name) => JSON.stringify(before.attributes[name]) !== JSON.stringify(after.attributes[name]),
  );
  return {
    replace: changed.filter((name) => CONTAINER_ATTRIBUTES[name]?.forceNew),
    inPlace: changed.filter((name) => !CONTAINER_ATTRIBUTES[name]?.forceNew),
  };
}

/** The lines of a container's log a failure's message shows (the provider shows none; the harness's reader needs them). */
const LOG_LINES = 20;

/** resourceDockerContainerCreate's steps for a plan; resolves to the container id once it is running (and healthy, with `wait`). */
export async function createContainer(api: DockerApi, plan: ContainerPlan): Promise<string> {
  const id = await api.createContainer(plan.name, plan.body);
  if (plan.networks.length > 0) {
    await api.disconnectNetwork('bridge', id);
    for (const network of plan.networks) await api.connectNetwork(network.name, id, network.aliases);
  }
  for (const upload of plan.uploads)
    await api.putArchive(
      id,
      '/',
      tarOf([{ name: upload.file, content: Buffer.from(upload.content, 'utf8'), mode: upload.mode }]),
    );
  const createdAt = Date.now();
  await api.startContainer(id);
  if (plan.waitSeconds !== undefined) {
    const deadline = createdAt + plan.waitSeconds * 1000;
    for (;;) {
      const state = (await api.inspectContainer(id))?.State;
      if (!state?.Health)
        fail(plan.name, "you have supplied a 'wait' argument, but the container does not have a healthcheck defined");
      if (state.Health.Status === 'healthy') break;
      if (Date.now() > deadline) {
        const last = state.Health.Log.at(-1);
        fail(
          plan.name,
          `container failed to be in healthy state (${state.Health.Status}; last probe: ${last ? `exit ${last.ExitCode} ${last.Output.trim()}` : 'none'}; running: ${state.Running}, exit code ${state.ExitCode})\n${await api.logs(id, LOG_LINES)}`,
        );
      }
      await sleep(1_000);
    }
  }
  // resourceDockerContainerRead: must_run (true by default) wants it running (funcs.go l. 676-683).
  const state = (await api.inspectContainer(id))?.State;
  if (!state?.Running)
    fail(
      plan.name,
      `container failed to be in running state (exit code ${state?.ExitCode})\n${await api.logs(id, LOG_LINES)}`,
    );
  return id;
}

/** resourceDockerContainerDelete: stop with the destroy grace, then a forced remove. */
export async function deleteContainer(api: DockerApi, plan: ContainerPlan): Promise<void> {
  await api.stopContainer(plan.name, plan.destroy.graceSeconds);
  await api.removeContainer(plan.name, { force: true, volumes: plan.destroy.removeVolumes });
}

/** The Terraform-known attributes of the docker_network data source (data_source_docker_network.go, dataSourceDockerNetworkRead). */
export function networkDataSource(network: NetworkInspect): Record<string, unknown> {
  return {
    id: network.Id,
    name: network.Name,
    scope: network.Scope,
    driver: network.Driver,
    options: network.Options,
    internal: network.Internal,
    // flattenIpamConfig: subnet, gateway, aux_address, ip_range of each IPAM config.
    ipam_config: network.IPAM.Config.map((config) => ({
      subnet: config.Subnet ?? '',
      gateway: config.Gateway ?? '',
      aux_address: config.AuxiliaryAddresses ?? {},
      ip_range: config.IPRange ?? '',
    })),
  };
}

/** Resource types of other providers the harness cannot apply (no Grafana server): listed, never run. */
const NOT_APPLIED_PREFIX = 'grafana_';

/** What the stack is made of, read from cdk.tf.json: evaluated and planned, ready to create. */
export interface StackPlan {
  /** Volumes by logical id: name and labels. */
  volumes: Record<string, { name: string; labels: Record<string, string> }>;
  /** Images by logical id: the pinned name, the local image id (undefined when it would have to be pulled). */
  images: Record<string, { name: string; imageId?: string }>;
  /** Containers whose image is here, in creation order. */
  containers: ContainerPlan[];
  /** Containers translated and validated but not run, with why. */
  notRun: { id: string; name: string; why: string }[];
  /** Resources of other providers, by address, never applied. */
  otherProviders: string[];
  /** The outputs, evaluated. */
  outputs: Record<string, unknown>;
}

function labelMap(value: unknown, where: string): Record<string, string> {
  return Object.fromEntries(
    asList(value ?? [], where).map((item) => {
      const label = knownKeys(asObject(item, where), ['label', 'value'], where);
      return [asString(label.label, where), asString(label.value, where)];
    }),
  );
}

/**
 * Plans the whole configuration for `api`'s engine: checks the provider's host is that engine,
 * evaluates volumes and images, finds each image locally (resource_docker_image_funcs.go findImage:
 * a local image of that name is used as it is), then evaluates every container with those values
 * (Terraform runs the preconditions), and translates it. Throws on anything it does not know.
 */
export async function planStack(
  api: Pick<DockerApi, 'host' | 'inspectNetwork' | 'inspectImage'>,
  json: TerraformJson,
  variables: Readonly<Record<string, string>>,
): Promise<StackPlan> {
  const provider = json.provider.docker?.[0] ?? fail('provider.docker', 'missing');
  knownKeys(provider, ['host'], 'provider.docker');
  if (provider.host !== api.host)
    fail('provider.docker.host', `${provider.host} is not the harness's engine ${api.host}`);
  const known: Record<string, Record<string, unknown>> = {};
  for (const [type, sources] of Object.entries(json.data ?? {})) {
    if (type !== 'docker_network') fail(`data.${type}`, 'data source not translated');
    for (const [id, source] of Object.entries(sources)) {
      const name = asString(knownKeys(source, ['//', 'name'], `data.${type}.${id}`).name, `data.${type}.${id}.name`);
      const network =
        (await api.inspectNetwork(name)) ?? fail(`data.${type}.${id}`, `Could not find docker network: ${name}`);
      known[`data.${type}.${id}`] = networkDataSource(network);
    }
  }
  const resources = json.resource;
  const types = Object.keys(resources);
  const unknownTypes = types.filter(
    (type) =>
      !['docker_volume', 'docker_image', 'docker_container', 'terraform_data'].includes(type) &&
      !type.startsWith(NOT_APPLIED_PREFIX),
  );
  if (unknownTypes.length > 0) fail('resource', `types not translated: ${unknownTypes.join(', ')}`);

  const volumesAndImages = evaluateWithTerraform({
    json,
    variables,
    known,
    blocks: { volumes: resources.docker_volume ?? {}, images: resources.docker_image ?? {} },
  }) as { volumes: Record<string, Attributes>; images: Record<string, Attributes> };

  const volumes: StackPlan['volumes'] = {};
  for (const [id, attributes] of Object.entries(volumesAndImages.volumes)) {
    const where = `docker_volume.${id}`;
    knownKeys(attributes, ['name', 'labels', 'lifecycle'], where);
    // prevent_destroy guards a destroy, which the harness never does: volumes go with its engine.
    knownKeys(asObject(attributes.lifecycle ?? {}, where), ['prevent_destroy'], `${where}.lifecycle`);
    // resourceDockerVolumeCreate: name, labels (resource_docker_volume.go).
    volumes[id] = { name: asString(attributes.name, where), labels: labelMap(attributes.labels, `${where}.labels`) };
    known[where] = { name: volumes[id].name };
  }
  const images: StackPlan['images'] = {};
  for (const [id, attributes] of Object.entries(volumesAndImages.images)) {
    const where = `docker_image.${id}`;
    // keep_locally: a destroy leaves the image (resourceDockerImageDelete); the harness never removes images anyway.
    knownKeys(attributes, ['name', 'keep_locally'], where);
    const name = asString(attributes.name, `${where}.name`);
    const local = await api.inspectImage(name);
    images[id] = { name, imageId: local?.Id };
    // Unknown until pulled: a container of an image that is not here is translated with a stand-in id and not run.
    known[where] = { name, image_id: local?.Id ?? `(${name} would be pulled)` };
  }

  const containers = resources.docker_container ?? {};
  const preconditions = Object.fromEntries(
    Object.entries(containers).flatMap(([id, container]) => {
      const conditions = (container.lifecycle as { precondition?: unknown[] } | undefined)?.precondition;
      return conditions ? [[`docker_container.${id}`, conditions]] : [];
    }),
  );
  const withoutLifecycle = Object.fromEntries(
    Object.entries(containers).map(([id, { lifecycle: _lifecycle, ...attributes }]) => [id, attributes]),
  );
  const evaluated = evaluateWithTerraform({
    json,
    variables,
    known,
    blocks: {
      containers: withoutLifecycle,
      outputs: Object.fromEntries(Object.entries(json.output ?? {}).map(([name, output]) => [name, output.value])),
    },
    preconditions,
  }) as {
    containers: Record<string, Attributes>;
    outputs: Record<string, unknown>;
  };

  const imageIds = new Map(Object.keys(images).map((id) => [known[`docker_image.${id}`].image_id as string, id]));
  const plans = Object.entries(evaluated.containers).map(([id, attributes]) =>
    planContainer(
      id,
      { ...attributes, lifecycle: containers[id].lifecycle },
      (imageId) =>
        imageIds.get(imageId) ?? fail(`docker_container.${id}.image`, `${imageId} is no docker_image of the stack`),
    ),
  );
  for (const plan of plans) {
    for (const dependency of (plan.attributes.depends_on as string[] | undefined) ?? []) {
      // terraform_data ran in the evaluation; a docker resource is created before any container.
      if (!/^(terraform_data|docker_volume|docker_image)\./.test(dependency))
        fail(`docker_container.${plan.id}.depends_on`, `${dependency} not translated`);
    }
  }
  return {
    volumes,
    images,
    containers: plans.filter((plan) => images[plan.image].imageId !== undefined),
    notRun: plans
      .filter((plan) => images[plan.image].imageId === undefined)
      .map((plan) => ({
        id: plan.id,
        name: plan.name,
        why: `no image ${images[plan.image].name} here, and no registry to pull it from`,
      })),
    otherProviders: types
      .filter((type) => type.startsWith(NOT_APPLIED_PREFIX))
      .flatMap((type) => Object.keys(resources[type]).map((id) => `${type}.${id}`)),
    outputs: evaluated.outputs,
  };
}
