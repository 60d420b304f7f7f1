/**
 * The configuration through the commands users run: the real `npx cdktf synth` and `cdktf diff`
 * (which stop before any provider is needed when the configuration is bad). Each problem and
 * warning is printed once, the exit code is 1, no stack of the configuration is written, a secret
 * given through any input (environment, TF_VAR_*, MONITORING_CONFIG, the cdktf.json context) appears
 * neither in the output nor in cdktf.out/, and `.env.example` sourced as the README says synthesizes.
 * config-inputs.test.ts covers the same validators fast, case by case.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
/** A CLI run synthesizes through ts-node: seconds each, more on a busy machine. */
const CLI_TIMEOUT_MS = 180_000;

interface CliRun {
  status: number | null;
  /** stdout and stderr, without colours and the progress spinner. */
  output: string;
}

/** The environment without anything this project or Terraform would read, so each run states its inputs. */
function cleanEnv(): NodeJS.ProcessEnv {
  const own =
    /^(MONITORING_|PROMETHEUS_|GRAFANA_|TELEGRAM_|CELERY_|STATE_|K8S_|REMOTE_WRITE_|RUNBOOK_|SLO_|API_|POSTGRES_|REDIS_|DOCKER_|ALERTMANAGER_|TF_VAR_|CDKTF_)/;
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !own.test(name)));
}

/** `cdktf <args>` (this project's CLI) in `cwd` with `env` on top of a clean environment. */
function cdktf(args: string[], env: NodeJS.ProcessEnv, cwd = ROOT): CliRun {
  // The project's own CLI, wherever `cwd` is (npx would fetch one for a directory without node_modules).
  const result = spawnSync(join(ROOT, 'node_modules', '.bin', 'cdktf'), args, {
    cwd,
    env: { ...cleanEnv(), CHECKPOINT_DISABLE: '1', FORCE_COLOR: '0', ...env },
    encoding: 'utf8',
    timeout: CLI_TIMEOUT_MS,
  });
  const output = `${result.stdout}${result.stderr}`
    // eslint-disable-next-line no-control-regex
    .replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')
    .split('\n')
    .filter((line) => !/^[⠀-⣿] /.test(line.trim()))
    .join('\n');
  return { status: result.status, output };
}

/** Every file below `dir`, as text. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [readFileSync(path, 'utf8')];
  });
}

function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'stm-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a bad configuration through the real cdktf CLI', () => {
  test('synth: each problem and warning printed once, exit 1, no stack of the configuration written', () => {
    const out = join(dir, 'synth-bad');
    const run = cdktf(['synth', '--output', out], {
      PROMETHEUS_SCRAPE_INTERVAL: '3m',
      PROMETHEUS_RETENSION: '15d',
      MONITORING_DOCKER_NETWORK: 'app_net',
    });
    expect(run.status).toBe(1);
    const problem = 'PROMETHEUS_SCRAPE_INTERVAL (setting prometheus.scrapeInterval): "3m" is too long for the rules';
    expect(count(run.output, problem)).toBe(1);
    expect(
      count(
        run.output,
        'PROMETHEUS_RETENSION is not a setting of this project and is ignored: did you mean PROMETHEUS_RETENTION?',
      ),
    ).toBe(1);
    expect(readdirSync(join(out, 'stacks'))).toEqual(['invalid-configuration']);
    expect(filesUnder(join(out, 'stacks', 'invalid-configuration')).join('')).not.toContain('docker_container');
  });

  test('diff stops at the same point, before any provider is needed', () => {
    const run = cdktf(['diff', '--output', join(dir, 'diff-bad')], {
      MONITORING_STACK_NAME: 's'.repeat(300),
      MONITORING_DOCKER_NETWORK: 'app_net',
    });
    expect(run.status).toBe(1);
    expect(count(run.output, 'MONITORING_STACK_NAME (setting stackName): "ssss')).toBe(1);
    expect(run.output).not.toMatch(/ENAMETOOLONG|at .*\.js:\d+/);
  });
});

describe('secrets through every input, never in the output or cdktf.out/', () => {
  const SENTINEL = 'S3ntinelCliValue42';
  const BAD_TOKEN = `bot123456789:${SENTINEL}`;

  test('environment, TF_VAR_*, MONITORING_CONFIG and the cdktf.json context', () => {
    // A project directory whose cdktf.json context carries a secret under a key that is no setting.
    const project = mkdtempSync(join(dir, 'project-'));
    const app = `node -r ${require.resolve('ts-node/register/transpile-only')} ${join(ROOT, 'main.ts')}`;
    writeFileSync(
      join(project, 'cdktf.json'),
      JSON.stringify({ language: 'typescript', app, context: { monitoring: { telegram: { botToken: SENTINEL } } } }),
    );
    const out = join(project, 'cdktf.out');
    const run = cdktf(
      ['synth', '--output', out],
      {
        TS_NODE_PROJECT: join(ROOT, 'tsconfig.json'),
        MONITORING_DOCKER_NETWORK: 'app_net',
        TELEGRAM_BOT_TOKEN: BAD_TOKEN,
        TF_VAR_grafana_password: SENTINEL,
        GRAFANA_PASSWORD: SENTINEL,
        MONITORING_CONFIG: JSON.stringify({
          grafana: { password: SENTINEL },
          alerting: { externalUrl: `https://u:${SENTINEL}@am` },
        }),
        GRAFANA_ADMIN_USER: SENTINEL,
      },
      project,
    );
    expect(run.status).toBe(1);
    expect(run.output).toContain('TELEGRAM_BOT_TOKEN: "<secret of');
    expect(run.output).toContain('telegram in the cdktf context "monitoring": is not a setting');
    expect(run.output).toContain('grafana.password in MONITORING_CONFIG: is not a setting');
    expect(run.output).toContain('GRAFANA_ADMIN_USER (setting grafana.adminUser): holds the value of GRAFANA_PASSWORD');
    expect(run.output).toContain('carries credentials');
    expect(run.output).not.toContain(SENTINEL);
    expect(filesUnder(out).join('\n')).not.toContain(SENTINEL);
  });
});

describe('.env.example, uncommented as shipped and sourced as the README says', () => {
  test('synthesizes, with quoted values kept whole', () => {
    const env = join(dir, 'example.env');
    const uncommented = readFileSync(join(ROOT, '.env.example'), 'utf8')
      .split('\n')
      .map((line) => (/^# [A-Z][A-Z0-9_]*=/.test(line) ? line.slice(2) : line))
      .join('\n');
    // The secrets, quoted as the README says: single quotes keep $ and spaces.
    const secrets = [
      "TF_VAR_telegram_bot_token='123456:abc-DEF_ghi'",
      "TF_VAR_telegram_alert_chat_id='-1001234567890'",
      "GRAFANA_PASSWORD='Pa$sw0rd secure'",
      "MONITORING_DOCKER_NETWORK='app_net'",
    ];
    writeFileSync(env, `${uncommented}\n${secrets.join('\n')}\n`);
    const out = join(dir, 'dotenv-out');
    const result = spawnSync(
      'bash',
      [
        '-c',
        `set -a; . "${env}"; set +a; node -e 'process.stdout.write(process.env.GRAFANA_PASSWORD + "\\n")' && npx cdktf synth --output "${out}"`,
      ],
      {
        cwd: ROOT,
        env: { ...cleanEnv(), CHECKPOINT_DISABLE: '1', FORCE_COLOR: '0' },
        encoding: 'utf8',
        timeout: CLI_TIMEOUT_MS,
      },
    );
    expect(result.stdout.split('\n')[0]).toBe('Pa$sw0rd secure');
    expect({ status: result.status, stderr: result.stderr.slice(-2_000) }).toMatchObject({ status: 0 });
    expect(readdirSync(join(out, 'stacks'))).toEqual(['stock-tracker-monitoring']);
  });
});
