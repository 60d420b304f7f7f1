/**
 * CI for users of the stack: the Terraform backend chosen in MonitoringConfig reaches the
 * synthesized JSON (locations only, never a credential), and the example workflow parses and
 * runs only what exists.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ConfigError } from '../config/errors';
import { ALL_SECRETS, SECRETS, terraformEnvName } from '../config/secrets';
import { loadMonitoringConfig } from '../config/load';
import { APP_NETWORK_ENV, synthFromEnvironment } from '../testing/synth';
import { BINARY_PACKAGES } from '../testing/processes';

interface WorkflowStep {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: { pull_request?: unknown; push?: { branches?: string[] } };
  jobs: Record<string, { if?: string; needs?: string; env?: Record<string, string>; steps: WorkflowStep[] }>;
}

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadMonitoringConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.field}: ${p.reason}`);
    throw error;
  }
  return [];
}

describe('state backend', () => {
  test('local by default: cdktf keeps terraform.<stack>.tfstate in the project directory', async () => {
    expect(loadMonitoringConfig({}).backend).toEqual({ type: 'local' });
    const { json } = await synthFromEnvironment({ ...APP_NETWORK_ENV });
    expect(json.terraform.backend).toEqual({
      local: { path: expect.stringMatching(/\/terraform\.stock-tracker-monitoring\.tfstate$/) },
    });
  });

  test('a local path of its own', async () => {
    const { json } = await synthFromEnvironment({
      ...APP_NETWORK_ENV,
      STATE_LOCAL_PATH: '/srv/state/monitoring.tfstate',
    });
    expect(json.terraform.backend).toEqual({ local: { path: '/srv/state/monitoring.tfstate' } });
  });

  test('S3 from the environment: bucket, key, region, lock table, always encrypted, no credentials', async () => {
    const secretKey = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const { json, allOutput } = await synthFromEnvironment({
      ...APP_NETWORK_ENV,
      STATE_BACKEND: 's3',
      STATE_S3_BUCKET: 'acme-terraform-state',
      STATE_S3_REGION: 'eu-central-1',
      STATE_S3_DYNAMODB_TABLE: 'terraform-locks',
      AWS_SECRET_ACCESS_KEY: secretKey,
    });
    expect(json.terraform.backend).toEqual({
      s3: {
        bucket: 'acme-terraform-state',
        key: 'stock-tracker-monitoring/terraform.tfstate',
        region: 'eu-central-1',
        dynamodb_table: 'terraform-locks',
        encrypt: true,
      },
    });
    expect(allOutput).not.toContain(secretKey);
  });

  test('S3 from MONITORING_CONFIG with a key of its own', () => {
    const config = loadMonitoringConfig({
      MONITORING_CONFIG: JSON.stringify({ backend: { type: 's3', bucket: 'state', key: 'prod/monitoring.tfstate' } }),
    });
    expect(config.backend).toEqual({ type: 's3', bucket: 'state', key: 'prod/monitoring.tfstate' });
  });

  test('PostgreSQL: the schema is written, the connection string is left to PG_CONN_STR', async () => {
    const connection = 'postgres://terraform:s3cr3t-pg-pass@db.internal/terraform_state';
    const { json, allOutput } = await synthFromEnvironment({
      ...APP_NETWORK_ENV,
      STATE_BACKEND: 'pg',
      STATE_PG_SCHEMA: 'monitoring_state',
      PG_CONN_STR: connection,
    });
    expect(json.terraform.backend).toEqual({ pg: { schema_name: 'monitoring_state' } });
    expect(allOutput).not.toContain('s3cr3t-pg-pass');
  });

  test('bad settings name the field and the value', () => {
    expect(problemsOf({ STATE_BACKEND: 'gcs' })).toEqual(['backend.type: is not one of local, s3, pg']);
    expect(problemsOf({ STATE_BACKEND: 's3' })).toEqual(['backend.bucket: is required when backend.type is s3']);
    expect(problemsOf({ STATE_S3_BUCKET: 'state' })).toEqual([
      'backend.bucket: applies only when backend.type is s3 (it is local)',
    ]);
    expect(problemsOf({ STATE_BACKEND: 's3', STATE_S3_BUCKET: 'Bad_Bucket', STATE_S3_REGION: 'Frankfurt' })).toEqual([
      'backend.bucket: is not valid: expected an S3 bucket name (lower-case letters, digits, . and -)',
      'backend.region: is not valid: expected an AWS region such as eu-central-1',
    ]);
    expect(problemsOf({ MONITORING_CONFIG: JSON.stringify({ backend: { type: 'pg', conStr: 'x' } }) })).toEqual([
      'backend.conStr: is not a setting (expected one of type, path, bucket, key, region, dynamodbTable, schemaName)',
    ]);
  });
});

describe('.github/workflows/monitoring.yml', () => {
  const ROOT = join(__dirname, '..');
  const workflow = parse(readFileSync(join(ROOT, '.github', 'workflows', 'monitoring.yml'), 'utf8')) as Workflow;
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> })
    .scripts;
  const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);
  const runs = steps.flatMap((step) => (step.run ? step.run.split('\n') : []));
  const stepRunning = (command: string) => {
    const step = steps.find((candidate) => candidate.run?.includes(command));
    if (!step) throw new Error(`no step runs ${command}`);
    return step;
  };

  test('runs on pull requests and on pushes to main', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    expect(workflow.on.push?.branches).toEqual(['main']);
  });

  test('a pull request gets npm ci, npm test and cdktf diff; only main deploys, without a prompt', () => {
    for (const command of ['npm ci', 'npm test', 'npx cdktf diff'])
      expect(stepRunning(command).if ?? 'always').not.toMatch(/push/);
    expect(stepRunning('npx cdktf diff').if).toBe("github.event_name == 'pull_request'");
    expect(stepRunning('npx cdktf deploy --auto-approve').if).toBe(
      "github.event_name == 'push' && github.ref == 'refs/heads/main'",
    );
    expect(workflow.jobs.terraform.needs).toBe('test');
  });

  test('a pull request replays the rules against the base branch only when REPLAY_PROMETHEUS_URL is set', () => {
    const replay = workflow.jobs['alert-replay'];
    expect(replay.if).toBe("github.event_name == 'pull_request' && vars.REPLAY_PROMETHEUS_URL != ''");
    expect(stepRunning('alerts:replay').run).toMatch(
      /--prometheus "\$REPLAY_PROMETHEUS_URL" .*--base "origin\/\$GITHUB_BASE_REF"/s,
    );
    expect(replay.steps.find((step) => step.uses?.startsWith('actions/checkout@'))?.with).toEqual({ 'fetch-depth': 0 });
  });

  test('Terraform is set up without the wrapper cdktf cannot read, in one version, also for the tests', () => {
    const setups = steps.filter((step) => step.uses?.startsWith('hashicorp/setup-terraform@'));
    for (const setup of setups) expect(setup.with).toMatchObject({ terraform_wrapper: false });
    expect(new Set(setups.map((setup) => setup.with?.terraform_version)).size).toBe(1);
    // __tests__/secrets-terraform.test.ts runs terraform plan; with CI set a missing terraform fails the suite.
    expect(workflow.jobs.test.steps.some((step) => step.uses?.startsWith('hashicorp/setup-terraform@'))).toBe(true);
  });

  test('every npm script it runs exists', () => {
    const used = runs.flatMap((line) =>
      [...line.matchAll(/npm (?:run(?:-script)? )?([a-z][\w:-]*)/g)].map((m) => m[1]),
    );
    expect(used.length).toBeGreaterThan(0);
    const builtIn = ['ci', 'install'];
    expect(used.filter((name) => !builtIn.includes(name) && !(name in scripts))).toEqual([]);
  });

  test('every npx command is a binary the lockfile installs', () => {
    const binaries = runs.flatMap((line) => [...line.matchAll(/npx ([a-z][\w-]*)/g)].map((m) => m[1]));
    expect(binaries).toContain('cdktf');
    expect(binaries.filter((name) => !existsSync(join(ROOT, 'node_modules', '.bin', name)))).toEqual([]);
  });

  test('it installs the Debian packages .ci/run installs', () => {
    const packages = (script: string) => {
      const install =
        script
          .replace(/\\\n/g, ' ')
          .split('\n')
          .find((line) => line.includes('apt-get install')) ?? '';
      return new Set(install.split('--no-install-recommends')[1]?.trim().split(/\s+/));
    };
    const ci = packages(readFileSync(join(ROOT, '.ci', 'run'), 'utf8'));
    expect(ci.size).toBeGreaterThan(0);
    expect(packages(runs.join('\n'))).toEqual(ci);
    // Every program the tests run (each component's Debian program, the tools beside them) is installed.
    expect([...new Set(Object.values(BINARY_PACKAGES))].filter((pkg) => !ci.has(pkg))).toEqual([]);
  });

  test('.ci/run parses as bash, and every file of this repository it runs exists (a merge once left a removed one)', () => {
    const script = join(ROOT, '.ci', 'run');
    expect(spawnSync('bash', ['-n', script]).status).toBe(0);
    const commands = readFileSync(script, 'utf8')
      .split('\n')
      .filter((line) => !line.trim().startsWith('#'));
    const files = commands.flatMap((line) => [
      ...line.matchAll(/(?:^|[\s=$(])\.?\/?((?:\.ci|tools|testing|e2e)\/[\w./-]+)/g),
    ]);
    expect(files.map((m) => m[1]).filter((file) => !existsSync(join(ROOT, file)))).toEqual([]);
  });

  test("the version matrix's current set is fetched before the tests, here and in .ci/run, which runs the e2e on it", () => {
    const ci = readFileSync(join(ROOT, '.ci', 'run'), 'utf8').split('\n');
    const fetches = (lines: string[]) =>
      lines.findIndex((line) => /npm run programs:fetch -- .*\bcurrent\b/.test(line) && !line.trim().startsWith('#'));
    const tests = (lines: string[]) => lines.findIndex((line) => line.trim() === 'npm test');
    for (const lines of [runs, ci]) {
      expect(fetches(lines)).toBeGreaterThanOrEqual(0);
      expect(fetches(lines)).toBeLessThan(tests(lines));
    }
    expect(ci.some((line) => line.startsWith('PROGRAM_SET=current npm run e2e '))).toBe(true);
    expect(ci.some((line) => line.startsWith('npm run e2e:docker '))).toBe(true);
  });

  test('secrets reach Terraform as the variables the stack declares, and Terraform credentials as its own', () => {
    const env = workflow.jobs.terraform.env ?? {};
    const fromSecrets = Object.entries(env).filter(([, value]) => value.includes('secrets.'));
    const known = [...ALL_SECRETS.map(terraformEnvName), 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'PG_CONN_STR'];
    expect(fromSecrets.map(([name]) => name).filter((name) => !known.includes(name))).toEqual([]);
    expect(fromSecrets.map(([name]) => name)).toEqual(
      expect.arrayContaining(Object.values(SECRETS).map(terraformEnvName)),
    );
    for (const [, value] of Object.entries(env)) expect(value).toMatch(/^\$\{\{ secrets\.[A-Z_]+ \}\}$/);
  });
});
