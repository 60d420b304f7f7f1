/**
 * The Docker harness's translation of cdk.tf.json into Engine API calls (testing/docker/translator.ts)
 * on the stack as it synthesizes, with Terraform evaluating the expressions: what each container
 * becomes, and that anything it does not know (an attribute, a block key, a reference) fails.
 */
import { DEFAULT_CONFIG } from '../config/monitoring-config';
import { TerraformJson, onAppNetwork, synthStack } from '../testing/synth';
import { describeWithBinaries } from '../testing/processes';
import { ContainerPlan, goDurationNanos, planContainer, planStack, replacementOf } from '../testing/docker/translator';
import { rewriteReferences } from '../testing/docker/terraform-evaluation';
import { filesOf, tarOf } from '../testing/docker/tar';
import { IMAGE_RECORDS, ImageLayout, imageConfigDifferences, importChanges } from '../testing/docker/images';
import { ImageInspect, NetworkInspect } from '../testing/docker/engine-api';
import { TEST_VARIABLES } from '../e2e/docker/deployment';

/** The images the harness builds: every pinned one but Grafana's and cAdvisor's. */
const LOCAL_IMAGES = new Set(Object.values(IMAGE_RECORDS).map((record) => record!.reference));

const NETWORK: NetworkInspect = {
  Id: 'network-id',
  Name: 'stock-tracker_stock-tracker-network',
  Scope: 'local',
  Driver: 'bridge',
  Internal: false,
  Options: {},
  IPAM: { Config: [{ Subnet: '172.30.0.0/16', Gateway: '172.30.0.1' }] },
} as unknown as NetworkInspect;

/** An engine that has the network and the harness's images. */
const FAKE_ENGINE = {
  host: DEFAULT_CONFIG.dockerHost,
  inspectNetwork: async (name: string) => (name === NETWORK.Name ? NETWORK : undefined),
  inspectImage: async (reference: string) =>
    LOCAL_IMAGES.has(reference) ? ({ Id: `sha256:${reference}` } as ImageInspect) : undefined,
};

function synthesized(): TerraformJson {
  return synthStack(onAppNetwork(DEFAULT_CONFIG)).json;
}

function named(containers: readonly ContainerPlan[], suffix: string): ContainerPlan {
  const found = containers.find((plan) => plan.name.endsWith(suffix));
  if (!found) throw new Error(`no container ${suffix} in ${containers.map((plan) => plan.name).join(', ')}`);
  return found;
}

describeWithBinaries('the stack planned for a Docker engine', ['terraform'], () => {
  let json: TerraformJson;
  beforeAll(() => {
    json = synthesized();
  });

  test('every container with a local image is planned; those without (Grafana, cAdvisor, celery-exporter) and the grafana_* resources are listed, not run', async () => {
    const plan = await planStack(FAKE_ENGINE, json, TEST_VARIABLES);
    expect(plan.containers.map((container) => container.name).sort()).toEqual(
      [
        'stock-tracker-alertmanager',
        'stock-tracker-node-exporter',
        'stock-tracker-postgres-exporter',
        'stock-tracker-prometheus',
        'stock-tracker-redis-exporter',
      ].sort(),
    );
    expect(plan.notRun.map((container) => container.name).sort()).toEqual([
      'stock-tracker-cadvisor',
      'stock-tracker-celery-exporter',
      'stock-tracker-grafana',
    ]);
    expect(plan.otherProviders.every((address) => address.startsWith('grafana_'))).toBe(true);
    expect(plan.otherProviders.length).toBeGreaterThan(0);
  }, 120_000);

  test('attributes become the Engine API body: ports with host IP, volumes, uploads, host namespaces, secrets substituted', async () => {
    const { containers } = await planStack(FAKE_ENGINE, json, TEST_VARIABLES);
    const prometheus = named(containers, 'prometheus');
    expect(prometheus.body.HostConfig.PortBindings?.['9090/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: '9090' }]);
    expect(prometheus.body.HostConfig.Binds?.some((bind) => bind.endsWith(':/prometheus:rw'))).toBe(true);
    expect(prometheus.uploads.map((upload) => upload.file)).toContain('/etc/prometheus/prometheus.yml');
    expect(prometheus.waitSeconds).toBeGreaterThan(0);
    expect(prometheus.networks.map((network) => network.name)).toEqual([NETWORK.Name]);
    const nodeExporter = named(containers, 'node-exporter');
    expect(nodeExporter.body.HostConfig).toMatchObject({ NetworkMode: 'host', PidMode: 'host' });
    expect(nodeExporter.body.HostConfig.Mounts).toContainEqual(
      expect.objectContaining({ Source: '/', Target: '/host', ReadOnly: true, BindOptions: { Propagation: 'rslave' } }),
    );
    // The gateway of the network, from the data source, is where it also listens.
    expect(JSON.stringify(nodeExporter.body.Cmd)).toContain('172.30.0.1');
    const alertmanager = named(containers, 'alertmanager');
    const config = alertmanager.uploads.find((upload) => upload.file.endsWith('alertmanager.yml'))!.content;
    expect(config).toContain(TEST_VARIABLES.telegram_bot_token);
    expect(config).not.toContain('${var.');
  }, 120_000);

  test('an attribute the translator does not know fails, naming it', async () => {
    const changed = structuredClone(json);
    const [id] = Object.keys(changed.resource.docker_container);
    changed.resource.docker_container[id].shm_size = 64;
    await expect(planStack(FAKE_ENGINE, changed, TEST_VARIABLES)).rejects.toThrow(
      `docker_container.${id}: attribute "shm_size" not translated`,
    );
  }, 120_000);

  test("a reference nobody can give a value fails with Terraform's message", async () => {
    const changed = structuredClone(json);
    const [id] = Object.keys(changed.resource.docker_container);
    changed.resource.docker_container[id].env = ['X=${docker_network.elsewhere.id}'];
    await expect(planStack(FAKE_ENGINE, changed, TEST_VARIABLES)).rejects.toThrow(/Reference to undeclared resource/);
  }, 120_000);

  test('a failed precondition fails with its own message, never the value', async () => {
    const secret = 'not-a-chat-id';
    const failure = planStack(FAKE_ENGINE, json, { ...TEST_VARIABLES, telegram_alert_chat_id: secret });
    await expect(failure).rejects.toThrow(
      /telegram_alert_chat_id \(TF_VAR_telegram_alert_chat_id\) must be a\s+chat id/,
    );
    await expect(failure).rejects.not.toThrow(secret);
  }, 120_000);
});

describe('one container planned', () => {
  const image = (id: string) => (id === 'sha256:x' ? 'x' : 'unknown');
  const base = { name: 'c', image: 'sha256:x' };

  test('defaults as the provider has them: tcp, 0.0.0.0, upload 0644, bridge, remove volumes', () => {
    const plan = planContainer(
      'c',
      { ...base, ports: [{ internal: 80 }], upload: [{ file: '/a', content: 'x' }] },
      image,
    );
    expect(plan.body.HostConfig.PortBindings).toEqual({ '80/tcp': [{ HostIp: '0.0.0.0', HostPort: '' }] });
    expect(plan.uploads).toEqual([{ file: '/a', content: 'x', mode: 0o644 }]);
    expect(plan.body.HostConfig.NetworkMode).toBe('bridge');
    expect(plan.destroy).toEqual({ graceSeconds: 0, removeVolumes: true });
  });

  test('a block key it does not know fails, naming it', () => {
    expect(() => planContainer('c', { ...base, ports: [{ internal: 80, ipv6: true }] }, image)).toThrow(
      /docker_container\.c\.ports: "ipv6" not translated/,
    );
  });

  test('a changed upload replaces the container; a changed restart policy would be an in-place update', () => {
    const before = planContainer('c', { ...base, restart: 'always', upload: [{ file: '/a', content: 'x' }] }, image);
    const uploadChanged = planContainer(
      'c',
      { ...base, restart: 'always', upload: [{ file: '/a', content: 'y' }] },
      image,
    );
    const restartChanged = planContainer(
      'c',
      { ...base, restart: 'no', upload: [{ file: '/a', content: 'x' }] },
      image,
    );
    expect(replacementOf(before, uploadChanged)).toEqual({ replace: ['upload'], inPlace: [] });
    expect(replacementOf(before, restartChanged)).toEqual({ replace: [], inPlace: ['restart'] });
  });
});

describe('the images, as their records say', () => {
  const prometheus = IMAGE_RECORDS.prometheus!;

  /** What the engine reports for an image imported with the record's changes. */
  function inspected(layout: ImageLayout): ImageInspect {
    return {
      Id: 'sha256:x',
      Config: {
        Entrypoint: layout.entrypoint ? [...layout.entrypoint] : null,
        Cmd: layout.cmd ? [...layout.cmd] : null,
        User: layout.user,
        WorkingDir: layout.workdir ?? '',
        ExposedPorts: { [`${layout.exposedPort}/tcp`]: {} },
        Volumes: Object.fromEntries((layout.volumes ?? []).map((volume) => [volume, {}])),
        Env: [...(layout.env ?? [])],
      },
    } as unknown as ImageInspect;
  }

  test("Prometheus' record copies its official Dockerfile: /bin/prometheus as nobody, data in /prometheus", () => {
    expect(prometheus).toMatchObject({
      entrypoint: ['/bin/prometheus'],
      user: 'nobody',
      workdir: '/prometheus',
      volumes: ['/prometheus'],
      exposedPort: 9090,
    });
    expect(importChanges(prometheus)).toContain('USER nobody');
  });

  test('an image laid out as recorded has no differences; another user is one', () => {
    expect(imageConfigDifferences(inspected(prometheus), prometheus)).toEqual([]);
    expect(
      imageConfigDifferences(
        { ...inspected(prometheus), Config: { ...inspected(prometheus).Config, User: 'root' } },
        prometheus,
      ),
    ).toEqual(['user: "root", recorded "nobody"']);
  });
});

describe('what the translation is built on', () => {
  test("Go durations as the provider's time.ParseDuration reads them; anything else fails naming the field", () => {
    expect(goDurationNanos('1m30s', 'x')).toBe(90e9);
    expect(goDurationNanos('500ms', 'x')).toBe(5e8);
    expect(() => goDurationNanos('30', 'docker_container.c.healthcheck.interval')).toThrow(
      'docker_container.c.healthcheck.interval: "30" is not a Go duration',
    );
  });

  test('references inside ${...} become locals; an escaped $${...} and text outside stay as they are', () => {
    const given = ['data.docker_network.app'];
    expect(rewriteReferences('${data.docker_network.app.id} $${data.docker_network.app.id}', given)).toBe(
      '${local.given__data__docker_network__app.id} $${data.docker_network.app.id}',
    );
    expect(rewriteReferences('${data.docker_network.app-other.id}', given)).toBe('${data.docker_network.app-other.id}');
  });

  test('an uploaded file survives the tar round trip with its mode', () => {
    const archive = tarOf([
      { name: '/etc/prometheus/prometheus.yml', content: Buffer.from('global: {}\n'), mode: 0o644 },
    ]);
    expect(archive.length % 512).toBe(0);
    expect(filesOf(archive).get('/etc/prometheus/prometheus.yml')?.toString()).toBe('global: {}\n');
    expect(archive.subarray(100, 107).toString()).toBe('0000644');
  });
});
