/**
 * `npm run silence` and `npm run maintenance`, with `npm run check`'s conventions (--help,
 * --json, exit codes 0/1/2, a time limit on each request, the configuration read as the stack
 * reads it): usage errors before any request, and every command against the real Alertmanager
 * (Debian's 0.25) on a free loopback port.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, Server, Socket } from 'node:net';
import { join } from 'node:path';
import { WATCHDOG } from '../domain/alerting';
import { main as silence } from '../tools/silence/main';
import { labelMatchers } from '../tools/silence/silences';
import { main as maintenance } from '../tools/silence/maintenance';
import { ProcessGroup, describeWithBinaries, freePort, waitForHttpOk } from '../testing/processes';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: {
      stdout: { write: (text: string) => out.push(text) },
      stderr: { write: (text: string) => err.push(text) },
      color: false,
    },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  };
}

/** The configuration pointing the tools at an Alertmanager published on `port` of 127.0.0.1. */
const envFor = (port: number): NodeJS.ProcessEnv => ({
  MONITORING_CONFIG: JSON.stringify({ components: { alertmanager: { port } } }),
});

async function run(
  tool: typeof silence,
  argv: string[],
  env: NodeJS.ProcessEnv = envFor(1),
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { io, stdout, stderr } = capture();
  const code = await tool(argv, env, io, undefined);
  return { code, stdout: stdout(), stderr: stderr() };
}

describe('usage: answered before any request, exit 2 with the reason and the usage', () => {
  test('--help answers with every command, exit 0', async () => {
    const help = await run(silence, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run silence -- <command> \[options\]/);
    for (const command of ['create', 'list', 'expire <id>...', '--json', '--timeout <ms>'])
      expect(help.stdout).toContain(command);
    expect(help.stdout).not.toMatch(new RegExp(`\\b${WATCHDOG},`));
    const maintenanceHelp = await run(maintenance, ['start', '--help']);
    expect(maintenanceHelp.code).toBe(0);
    expect(maintenanceHelp.stdout).toMatch(/^Usage: npm run maintenance -- start\|stop/);
    expect(maintenanceHelp.stdout).toContain('postgresql');
  });

  test('as npm runs them: npm run silence -- --help, npm run maintenance -- --help', () => {
    for (const script of ['silence', 'maintenance']) {
      const result = spawnSync('npm', ['run', '--silent', script, '--', '--help'], {
        cwd: join(__dirname, '..'),
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect({ script, status: result.status, stderr: result.stderr }).toEqual({ script, status: 0, stderr: '' });
      expect(result.stdout).toMatch(new RegExp(`^Usage: npm run ${script} -- `));
    }
  });

  test('a quoted value, as silence list and amtool print matchers, is what the quotes hold', () => {
    expect(labelMatchers(['instance="api:8000"', 'job!~"api|celery"', 'path="a\\"b"', 'note=x"y"'])).toEqual([
      { name: 'instance', value: 'api:8000', isRegex: false, isEqual: true },
      { name: 'job', value: 'api|celery', isRegex: true, isEqual: false },
      { name: 'path', value: 'a"b', isRegex: false, isEqual: true },
      { name: 'note', value: 'x"y"', isRegex: false, isEqual: true },
    ]);
    expect(() => labelMatchers(['instance="a"b"'])).toThrow('the quoted value "a"b" is not a valid quoted string');
  });

  test.each([
    ['silence', [], 'which command? create, list, expire'],
    ['silence', ['mute'], '"mute" is not a command: create, list, expire'],
    ['silence', ['list', '--alert', 'APIDown'], '--alert is not an option of list'],
    ['silence', ['list', 'extra'], 'list takes no arguments, got extra'],
    ['silence', ['list', '--timeout', '5s'], '--timeout "5s" is not a whole number of milliseconds'],
    ['silence', ['create', '--alert', 'APIDwn', '--duration', '1h', '--comment', 'x'], 'did you mean APIDown?'],
    [
      'silence',
      ['create', '--label', 'in-stance=a', '--duration', '1h', '--comment', 'x'],
      '--label "in-stance=a" is not a matcher',
    ],
    [
      'silence',
      ['create', '--label', 'job=~(', '--duration', '1h', '--comment', 'x'],
      '"(" is not a regular expression',
    ],
    ['silence', ['create', '--alert', 'APIDown', '--comment', 'x'], '--duration is needed'],
    [
      'silence',
      ['create', '--alert', 'APIDown', '--duration', '2 hours', '--comment', 'x'],
      '--duration "2 hours" is not a duration',
    ],
    [
      'silence',
      ['create', '--alert', 'APIDown', '--duration', '0s', '--comment', 'x'],
      '--duration "0s" is no time at all',
    ],
    ['silence', ['create', '--alert', 'APIDown', '--duration', '1h', '--comment', ' '], '--comment is needed'],
    ['silence', ['create', '--duration', '1h', '--comment', 'x'], 'say what to silence'],
    [
      'silence',
      ['create', '--label', 'instance!=a', '--duration', '1h', '--comment', 'x'],
      'would silence every alert without those labels',
    ],
    ['silence', ['create', '--alert', WATCHDOG, '--duration', '1h', '--comment', 'x'], `would silence the ${WATCHDOG}`],
    [
      'silence',
      ['create', '--label', 'alertname=~Watch.*', '--duration', '1h', '--comment', 'x'],
      `would silence the ${WATCHDOG}`,
    ],
    ['silence', ['expire'], 'expire which silence?'],
    [
      'maintenance',
      ['start', '--group', 'postgres', '--duration', '1h', '--comment', 'x'],
      '--group "postgres" is not a rule group',
    ],
    ['maintenance', ['start', '--group', 'redis', '--comment', 'x'], '--duration is needed'],
    ['maintenance', ['stop', '--duration', '1h'], '--duration is not an option of stop'],
  ])('%s %j', async (tool, argv, reason) => {
    const result = await run(tool === 'silence' ? silence : maintenance, argv as string[]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(reason);
    expect(result.stderr).toContain('Usage: npm run');
    expect(result.stdout).toBe('');
  });

  test('a bad configuration: exit 2 naming the field, as the stack would', async () => {
    const result = await run(silence, ['list'], { MONITORING_CONFIG: '{"components":{"alertmanager":{"port":0}}}' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('components.alertmanager.port in MONITORING_CONFIG: 0 is not valid');
  });
});

describe('Alertmanager not answering: exit 1, within the time limit', () => {
  let silent: Server;
  const sockets: Socket[] = [];
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    // Accepts connections and never answers.
    silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  test('no answer: the request is cut at --timeout', async () => {
    const started = Date.now();
    const result = await run(silence, ['list', '--timeout', '300'], envFor(port));
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr).toContain(`✘ GET http://127.0.0.1:${port}/api/v2/silences: no answer within 300 ms`);
  });

  test('nothing listening: connection refused; --json says so on stdout', async () => {
    const closed = await freePort();
    const result = await run(maintenance, ['stop', '--json'], envFor(closed));
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      ok: false,
      error: expect.stringContaining('connection refused'),
    });
  });
});

interface AlertState {
  labels: Record<string, string>;
  status: { state: string; silencedBy: string[] };
}

describeWithBinaries('silence and maintenance on the real Alertmanager', ['prometheus-alertmanager'], () => {
  const processes = new ProcessGroup();
  let port: number;
  let url: string;
  const FIRING = [
    { alertname: 'APIDown', severity: 'critical', instance: 'api:8000' },
    { alertname: 'APIDown', severity: 'critical', instance: 'api-2:8000' },
    { alertname: 'PostgreSQLDown', severity: 'critical', instance: 'postgres-exporter:9187' },
    { alertname: WATCHDOG, severity: 'none' },
  ];

  beforeAll(async () => {
    const dir = processes.tempDir('stm-silence-');
    const config = `${dir}/alertmanager.yml`;
    writeFileSync(config, 'route:\n  receiver: none\nreceivers:\n  - name: none\n');
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
    processes.start('alertmanager', 'prometheus-alertmanager', [
      `--config.file=${config}`,
      `--storage.path=${dir}/data`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ]);
    await waitForHttpOk(`${url}/-/ready`);
    const posted = await fetch(`${url}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(FIRING.map((labels) => ({ labels }))),
    });
    expect(posted.status).toBe(200);
  });
  afterAll(() => processes.stopAll());

  const states = async () => (await (await fetch(`${url}/api/v2/alerts`)).json()) as AlertState[];
  const stateOf = async (alertname: string, instance?: string) =>
    (await states()).find((a) => a.labels.alertname === alertname && a.labels.instance === instance)?.status;
  const silenceById = async (id: string) =>
    (await (await fetch(`${url}/api/v2/silence/${id}`)).json()) as {
      matchers: unknown[];
      createdBy: string;
      comment: string;
      startsAt: string;
      endsAt: string;
      status: { state: string };
    };

  test('create by alert name and label, for a duration, with comment and author: only that alert is muted', async () => {
    const before = Date.now();
    const result = await run(
      silence,
      [
        'create',
        '--alert',
        'APIDown',
        '--label',
        'instance=api:8000',
        '--duration',
        '2h',
        '--comment',
        'deploying',
        '--author',
        'alice',
        '--json',
      ],
      envFor(port),
    );
    expect(result.code).toBe(0);
    const { ok, silence: created } = JSON.parse(result.stdout);
    expect(ok).toBe(true);
    expect(created.mutesNow).toEqual(['APIDown api:8000']);
    const stored = await silenceById(created.id);
    expect(stored).toMatchObject({
      matchers: [
        { name: 'alertname', value: 'APIDown', isRegex: false, isEqual: true },
        { name: 'instance', value: 'api:8000', isRegex: false, isEqual: true },
      ],
      createdBy: 'alice',
      comment: 'deploying',
      status: { state: 'active' },
    });
    // From when it was asked for, for 2 hours (Alertmanager moves a start already past to its own now).
    expect(Date.parse(created.endsAt) - Date.parse(created.startsAt)).toBe(2 * 3_600_000);
    expect(Date.parse(created.startsAt)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(stored.endsAt)).toBe(Date.parse(created.endsAt));
    expect(await stateOf('APIDown', 'api:8000')).toEqual({
      state: 'suppressed',
      silencedBy: [created.id],
      inhibitedBy: [],
    });
    expect((await stateOf('APIDown', 'api-2:8000'))?.state).toBe('active');

    const listed = await run(silence, ['list'], envFor(port));
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(`${created.id} active {alertname="APIDown", instance="api:8000"}`);
    expect(listed.stdout).toContain('by alice: deploying');

    const expired = await run(silence, ['expire', created.id], envFor(port));
    expect(expired).toMatchObject({ code: 0, stdout: `✔ silence ${created.id} expired\n` });
    expect((await silenceById(created.id)).status.state).toBe('expired');
    expect((await stateOf('APIDown', 'api:8000'))?.state).toBe('active');
    expect((await run(silence, ['list'], envFor(port))).stdout).not.toContain(created.id);
    const all = JSON.parse((await run(silence, ['list', '--all', '--json'], envFor(port))).stdout);
    expect(all.silences.map((s: { id: string; status: { state: string } }) => [s.id, s.status.state])).toContainEqual([
      created.id,
      'expired',
    ]);
  });

  test('expire: an unknown id fails (exit 1, named) while the others are expired', async () => {
    const created = JSON.parse(
      (
        await run(
          silence,
          ['create', '--alert', 'PostgreSQLDown', '--duration', '10m', '--comment', 'x', '--json'],
          envFor(port),
        )
      ).stdout,
    ).silence;
    const unknown = '00000000-0000-0000-0000-000000000000';
    const result = await run(silence, ['expire', unknown, created.id], envFor(port));
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(
      `✘ silence ${unknown} not expired: DELETE ${url}/api/v2/silence/${unknown} answered 500`,
    );
    expect(result.stdout).toContain(`✔ silence ${created.id} expired`);
  });

  test('what Alertmanager refuses (a regex RE2 has no lookahead for) is exit 1 with its reason', async () => {
    const result = await run(
      silence,
      ['create', '--label', 'instance=~(?=api).*', '--duration', '10m', '--comment', 'x'],
      envFor(port),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^✘ POST .*\/api\/v2\/silences answered 400: .*invalid/);
  });

  test('maintenance start mutes every alert but the Watchdog; stop ends it; stop again has nothing to stop', async () => {
    const started = await run(
      maintenance,
      ['start', '--duration', '1h', '--comment', 'host reboot', '--json'],
      envFor(port),
    );
    expect(started.code).toBe(0);
    const { silence: created } = JSON.parse(started.stdout);
    expect(created.comment).toBe('maintenance: host reboot');
    expect([...created.mutesNow].sort()).toEqual([
      'APIDown api-2:8000',
      'APIDown api:8000',
      'PostgreSQLDown postgres-exporter:9187',
    ]);
    expect((await stateOf(WATCHDOG))?.state).toBe('active');

    const stopped = await run(maintenance, ['stop'], envFor(port));
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain(`✔ ended ${created.id}`);
    expect((await silenceById(created.id)).status.state).toBe('expired');
    expect((await states()).filter((alert) => alert.status.state === 'suppressed')).toEqual([]);
    expect(await run(maintenance, ['stop'], envFor(port))).toMatchObject({
      code: 0,
      stdout: 'no maintenance in force or pending: nothing to stop\n',
    });
  });

  test('maintenance of a rule group, narrowed by a label; stop --id of another silence fails', async () => {
    const started = await run(
      maintenance,
      [
        'start',
        '--group',
        'postgresql',
        '--label',
        'instance=~postgres.*',
        '--duration',
        '30m',
        '--comment',
        'upgrade',
      ],
      envFor(port),
    );
    expect(started.code).toBe(0);
    expect(started.stdout).toContain(
      '{alertname=~"DatabaseConnectionPoolExhausted|PostgreSQLDown|HighDatabaseConnections", instance=~"postgres.*"}',
    );
    expect(started.stdout).toContain('mutes 1 firing now: PostgreSQLDown postgres-exporter:9187');
    expect((await stateOf('APIDown', 'api:8000'))?.state).toBe('active');

    const plain = JSON.parse(
      (
        await run(
          silence,
          ['create', '--alert', 'APIDown', '--duration', '10m', '--comment', 'x', '--json'],
          envFor(port),
        )
      ).stdout,
    ).silence;
    const wrong = await run(maintenance, ['stop', '--id', plain.id], envFor(port));
    expect(wrong.code).toBe(1);
    expect(wrong.stdout).toContain(`✘ ${plain.id} is no maintenance silence in force or pending`);
    expect((await silenceById(plain.id)).status.state).toBe('active');
    expect((await run(maintenance, ['stop'], envFor(port))).code).toBe(0);
    expect((await stateOf('PostgreSQLDown', 'postgres-exporter:9187'))?.state).toBe('active');
  });
});
