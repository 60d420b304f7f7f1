/**
 * The node-exporter command the stack synthesizes runs on the real program: both listen addresses
 * answer (loopback for the host's own checks, the application network's gateway for Prometheus),
 * the healthcheck's URL answers, and the filesystem exclusion is a regex it accepts. On this
 * machine 127.0.0.2, another of the host's own addresses, stands in for the gateway, and `/` for
 * the host's root that the container sees at `/host`. Docker itself (host namespaces, the rslave
 * mount, Prometheus reaching the gateway) is not run here.
 */
import { containerName, parseMonitoringConfig } from '../config/monitoring-config';
import { COMPONENT_DESCRIPTORS } from '../core/components';
import { ProcessGroup, describeWithBinaries, freePort, httpGet, waitFor } from '../testing/processes';
import { containerNamed, onAppNetwork, synthStack } from '../testing/synth';

const GATEWAY = '${try(local.app_network_gateways[0], "")}';
const STAND_IN_GATEWAY = '127.0.0.2';
const { binary } = COMPONENT_DESCRIPTORS.nodeExporter.debian!;

describeWithBinaries('the synthesized node-exporter command on the real node-exporter', [binary], () => {
  const processes = new ProcessGroup();
  afterAll(() => processes.stopAll());

  test('answers on loopback and on the gateway, with the host metrics the rules read; the healthcheck URL answers', async () => {
    const port = await freePort();
    const config = onAppNetwork(parseMonitoringConfig({ components: { nodeExporter: { port } } }));
    const container = containerNamed(synthStack(config).json, containerName(config, 'nodeExporter'));
    const args = (container.command as string[]).map((arg) =>
      arg
        .split(GATEWAY)
        .join(STAND_IN_GATEWAY)
        .replace(/^--path\.rootfs=\/host$/, '--path.rootfs=/'),
    );
    expect(args.filter((arg) => arg.startsWith('--web.listen-address='))).toEqual([
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.listen-address=${STAND_IN_GATEWAY}:${port}`,
    ]);
    const exporter = processes.start('node-exporter', binary, args);
    const healthcheckUrl = (container.healthcheck.test as string[]).at(-1)!;
    expect(healthcheckUrl).toBe(`http://127.0.0.1:${port}/`);
    await waitFor(
      'node-exporter to answer its healthcheck',
      async () => {
        if (!exporter.running) throw new Error(`node-exporter exited:\n${exporter.log}`);
        return (await httpGet(healthcheckUrl))?.ok;
      },
      15_000,
    );
    for (const host of ['127.0.0.1', STAND_IN_GATEWAY]) {
      const body = await (await httpGet(`http://${host}:${port}/metrics`, 10_000))?.text();
      expect(body).toMatch(/^node_load1 /m);
      expect(body).toMatch(/^node_network_receive_bytes_total\{device="[^"]+"\} /m);
      expect(body).toMatch(/^node_filesystem_avail_bytes\{[^}]*mountpoint="\/"/m);
    }
    for (const address of [`127.0.0.1:${port}`, `${STAND_IN_GATEWAY}:${port}`])
      expect(exporter.log).toContain(`msg="Listening on" address=${address}`);
  });
});
