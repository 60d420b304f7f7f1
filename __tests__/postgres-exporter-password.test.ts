/**
 * Any PostgreSQL password reaches PostgreSQL as it is: the stack gives the postgres-exporter
 * `DATA_SOURCE_URI` and `DATA_SOURCE_USER`, and the secret as it is in `PGPASSWORD` (read by its
 * driver, lib/pq), never URL-encoded into a `DATA_SOURCE_NAME` nor put into the connection string
 * the exporter builds (domain/prometheus/exporters.ts says why not `DATA_SOURCE_PASS`). Proved with
 * the real programs: a loopback PostgreSQL that checks passwords (scram-sha-256 over TCP), the role
 * given each password, and the Debian postgres-exporter run with the environment the synthesized
 * stack holds, the variable replaced by the value: `pg_up 1`. A wrong password gives `pg_up 0`, so
 * the check is not vacuous.
 */
import { containerName, parseMonitoringConfig } from '../config/monitoring-config';
import { SECRETS } from '../config/secrets';
import { envEntries } from '../domain/prometheus';
import { LoopbackStack, loopbackBinaries } from '../testing/loopback-stack';
import { ProcessGroup, describeWithBinaries, freePort, httpGet, waitFor } from '../testing/processes';
import { COMPONENT_DESCRIPTORS } from '../core/components';
import { containerNamed, onAppNetwork, synthStack } from '../testing/synth';

/** What the synthesized env holds where the secret goes. */
const VARIABLE = `\${var.${SECRETS.postgresPassword.variable}}`;

/** Each character that has to be encoded in a URL's userinfo, or means something in a DSN, a shell or SQL. */
const CHARACTERS = [' ', '+', '@', '%', '/', ':', '#', '?', '&', "'", '"', '\\', ',', ';', '=', '$'];
const PASSWORDS: [string, string][] = [
  ...CHARACTERS.map((c): [string, string] => [`with ${JSON.stringify(c)}`, `pw${c}pw${c}`]),
  // Decoded once too often, it would be "A".
  ['with an escape sequence, "%41"', 'pw%41'],
  ['with spaces before and after', '  pw  '],
  ['with all of them', `a ${CHARACTERS.join('')}%41 z`],
];

describeWithBinaries(
  'the postgres-exporter logs in to a real PostgreSQL with the environment the stack renders',
  loopbackBinaries(['postgres', 'postgresExporter']),
  () => {
    let stack: LoopbackStack;
    /** The postgres-exporter container's env of a stack synthesized for this loopback PostgreSQL. */
    let synthesized: string[];

    beforeAll(async () => {
      stack = await LoopbackStack.start({
        components: ['postgres', 'postgresExporter'],
        postgresPassword: 'initial-password',
      });
      const [host, port] = stack.address('postgres').split(':');
      const config = onAppNetwork(parseMonitoringConfig({ targets: { postgres: { host, port: Number(port) } } }));
      synthesized = containerNamed(synthStack(config).json, containerName(config, 'postgresExporter')).env;
    }, 120_000);

    afterAll(async () => {
      await stack?.stop();
    });

    async function pgUp(url = stack.url('postgresExporter')): Promise<number | undefined> {
      const answer = await httpGet(`${url}/metrics`, 10_000);
      const line = /^pg_up (\S+)$/m.exec((await answer?.text()) ?? '');
      return line ? Number(line[1]) : undefined;
    }

    test('the synthesized env holds the variable, never a value, and no DATA_SOURCE_NAME', () => {
      expect(synthesized).toEqual([
        `DATA_SOURCE_URI=${stack.address('postgres')}/stock_tracker?sslmode=disable`,
        'DATA_SOURCE_USER=stock_tracker',
        `PGPASSWORD=${VARIABLE}`,
      ]);
    });

    test.each(PASSWORDS)('a password %s: pg_up 1', async (_name, password) => {
      await stack.setPostgresPassword(password);
      // What Terraform does at deploy: the variable's value in place of the expression, nothing else.
      const deployed = synthesized.map((entry) => entry.split(VARIABLE).join(password));
      expect(envEntries(stack.exporterEnv('postgresExporter'))).toEqual(deployed);
      expect(await pgUp()).toBe(1);
    });

    // Why not DATA_SOURCE_PASS: the exporter puts it into the connection string it builds, then splits
    // that string at spaces (parseFingerprint, upstream issue #393): v0.11 exits with "malformed dsn",
    // v0.17 and v0.19 (tried by hand) report pg_up 0. Should this start passing, the exporter was fixed.
    test('the same password with a space in DATA_SOURCE_PASS instead: the exporter cannot log in', async () => {
      const password = 'pw pw';
      await stack.setPostgresPassword(password);
      const { PGPASSWORD: _unused, ...withoutPgPassword } = stack.exporterEnv('postgresExporter');
      const port = await freePort();
      const group = new ProcessGroup();
      try {
        const exporter = group.start(
          'postgres-exporter with DATA_SOURCE_PASS',
          COMPONENT_DESCRIPTORS.postgresExporter.debian!.binary,
          [`${COMPONENT_DESCRIPTORS.postgresExporter.listenFlag}=127.0.0.1:${port}`],
          {
            env: {
              DATA_SOURCE_NAME: undefined,
              PGPASSWORD: undefined,
              ...withoutPgPassword,
              DATA_SOURCE_PASS: password,
            },
          },
        );
        const outcome = await waitFor(
          'the exporter to exit or answer',
          async () => (exporter.running ? pgUp(`http://127.0.0.1:${port}`) : 'exited'),
          15_000,
          200,
        );
        if (outcome === 'exited') expect(exporter.log).toContain('malformed dsn');
        else expect(outcome).toBe(0);
      } finally {
        await group.stopAll();
      }
    });

    test('a wrong password: pg_up 0, and the exporter says why', async () => {
      await stack.setPostgresPassword('the role password', 'not the role password');
      expect(await pgUp()).toBe(0);
      expect(stack.log('postgresExporter')).toContain('password authentication failed');
    });
  },
);
