/**
 * A Redis that asks for a password: the environment the stack gives the redis-exporter container
 * (REDIS_PASSWORD from the `redis_password` variable) is what the real redis_exporter reads. Without
 * it the exporter reports redis_up 0, and RedisDown would fire on a healthy Redis.
 */
import { containerName, parseMonitoringConfig } from '../config/monitoring-config';
import { REDIS_PASSWORD_SECRET } from '../config/secrets';
import { redisAddress } from '../domain/prometheus';
import { ProcessGroup, describeWithBinaries, freePort, waitFor, waitForHttpOk } from '../testing/processes';
import { SAMPLE_RULE_GROUPS, containerNamed, onAppNetwork, synthStack } from '../testing/synth';

const PASSWORD = 'loopback-redis-password';

/** The redis-exporter container's environment as synthesized, as `NAME=value` pairs. */
function synthesizedExporterEnv(): Record<string, string> {
  const config = onAppNetwork(parseMonitoringConfig({ targets: { redisRequiresPassword: true } }));
  const { json } = synthStack(config, { ruleGroups: SAMPLE_RULE_GROUPS, dashboards: [] });
  const env: string[] = containerNamed(json, containerName(config, 'redisExporter')).env;
  return Object.fromEntries(env.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}

describeWithBinaries(
  'redis-exporter against a Redis with requirepass',
  ['redis-server', 'prometheus-redis-exporter'],
  () => {
    const processes = new ProcessGroup();
    let redis: string;

    beforeAll(async () => {
      const port = await freePort();
      redis = `127.0.0.1:${port}`;
      processes.start('redis', 'redis-server', [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--save',
        '',
        '--requirepass',
        PASSWORD,
      ]);
    });
    afterAll(() => processes.stopAll());

    /** `redis_up` as an exporter started with `env` reports it. */
    async function redisUp(env: Record<string, string>): Promise<string> {
      const port = await freePort();
      const exporter = processes.start(
        `redis-exporter-${port}`,
        'prometheus-redis-exporter',
        [`-web.listen-address=127.0.0.1:${port}`],
        { env },
      );
      try {
        await waitForHttpOk(`http://127.0.0.1:${port}/health`);
        return await waitFor(
          'redis_up in the exposition',
          async () => /^redis_up (\d)$/m.exec(await (await fetch(`http://127.0.0.1:${port}/metrics`)).text())?.[1],
        );
      } finally {
        exporter.kill();
      }
    }

    test('with the synthesized environment, the variable filled in as Terraform would, the exporter logs in: redis_up 1', async () => {
      const variable = `\${var.${REDIS_PASSWORD_SECRET.variable}}`;
      const synthesized = synthesizedExporterEnv();
      expect(Object.values(synthesized)).toContain(variable);
      const env = Object.fromEntries(
        Object.entries(synthesized).map(([name, value]) => [
          name,
          value === variable ? PASSWORD : name === 'REDIS_ADDR' ? redisAddress(redis) : value,
        ]),
      );
      expect(await redisUp(env)).toBe('1');
    });

    test('without a password the exporter cannot: redis_up 0', async () => {
      expect(await redisUp({ REDIS_ADDR: redisAddress(redis) })).toBe('0');
    });
  },
);
