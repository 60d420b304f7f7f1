/**
 * The secret checks under the real Terraform. `cdktf synth/deploy/diff` hide every `TF_VAR_*` from
 * the app, so the app's own check (config/load.ts) never sees the values there: Terraform's plan is
 * where a malformed secret is caught. The checks are preconditions of `terraform_data.secret_checks`
 * and not `validation` blocks, because Terraform prints the value of a sensitive variable whose
 * validation fails and only the error message of a failed precondition.
 *
 * The synthesized variables and `terraform_data` resources are planned offline (the builtin
 * provider needs no download), with a stand-in for every container that carries its `depends_on`.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMonitoringConfig } from '../config/monitoring-config';
import { REDIS_PASSWORD_SECRET, SECRETS, SecretSpec, severityChatIdSecret, terraformEnvName } from '../config/secrets';
import { SECRET_CHECKS_ID } from '../targets/shared/secret-variables';
import { TerraformJson, onAppNetwork, synthStack } from '../testing/synth';
import { ProcessGroup, describeWithBinaries } from '../testing/processes';

/** Every kind of secret: a chat of its own for critical alerts, and a Redis that asks for a password. */
const dockerConfig = onAppNetwork(
  parseMonitoringConfig({ telegramSeparateChats: ['critical'], targets: { redisRequiresPassword: true } }),
);
const kubernetesConfig = parseMonitoringConfig({ target: 'kubernetes', telegramSeparateChats: ['critical'] });
const CRITICAL_CHAT = severityChatIdSecret('critical');
const CHECKS = `terraform_data.${SECRET_CHECKS_ID}`;

describe('no sensitive variable has a validation block (Terraform would print its value)', () => {
  test.each([
    ['Docker', dockerConfig],
    ['Kubernetes', kubernetesConfig],
  ])('%s target', (_name, config) => {
    const { json } = synthStack(config);
    const sensitive = Object.entries(json.variable).filter(([, variable]) => variable.sensitive === true);
    expect(sensitive.length).toBeGreaterThanOrEqual(4);
    for (const [name, variable] of sensitive) expect({ name, validation: variable.validation }).toEqual({ name });
    const preconditions = json.resource.terraform_data[SECRET_CHECKS_ID].lifecycle.precondition as unknown[];
    expect(preconditions).toHaveLength(sensitive.length);
  });
});

/** What Terraform is given: the variables, the checks, and a stand-in `terraform_data` per container. */
function checksOnly(json: TerraformJson): object {
  const standIns = Object.fromEntries(
    Object.entries(json.resource.docker_container).map(([id, container]) => [
      `container_${id}`,
      { depends_on: (container.depends_on as string[]).filter((ref) => ref.startsWith('terraform_data.')) },
    ]),
  );
  return {
    variable: json.variable,
    resource: {
      terraform_data: {
        ...json.resource.terraform_data,
        ...standIns,
        // Shows that what does not depend on the checks is planned even when one fails.
        control_without_depends_on: {},
      },
    },
  };
}

// Built at run time so no token-shaped string sits in the repository.
const validToken = `${String(1e8 + 23456789).slice(0, 9)}:${'Sn7_-'.repeat(7)}`;
const VALID: Record<string, string> = {
  [SECRETS.telegramBotToken.variable]: validToken,
  // The int64 bounds: the extreme chat ids Alertmanager accepts.
  [SECRETS.telegramAlertChatId.variable]: '-9223372036854775808',
  [CRITICAL_CHAT.variable]: '9223372036854775807',
  [SECRETS.grafanaPassword.variable]: 'grafana-SNTL-valid',
  [SECRETS.postgresPassword.variable]: 'pg-SNTL/valid:@',
  [REDIS_PASSWORD_SECRET.variable]: 'redis-SNTL-valid',
};

interface BadCase {
  secret: SecretSpec;
  value: string;
  /** What the message must say. */
  says: RegExp;
}

const BAD: BadCase[] = [
  {
    secret: SECRETS.telegramBotToken,
    // A token copied from a Bot API URL, with its "bot" prefix.
    value: `bot${String(987654321)}:SENTINELxyz${'Q'.repeat(8)}`,
    says: /drop the "bot" prefix/,
  },
  {
    secret: SECRETS.telegramAlertChatId,
    value: '99999999999999999999',
    says: /an integer, negative for groups, from -9223372036854775808 to 9223372036854775807/,
  },
  { secret: CRITICAL_CHAT, value: '-9223372036854775809', says: /from -9223372036854775808/ },
  { secret: SECRETS.grafanaPassword, value: 'SNTL5', says: /at least 8 characters/ },
  { secret: SECRETS.postgresPassword, value: '', says: /a non-empty password/ },
  { secret: REDIS_PASSWORD_SECRET, value: '', says: /a non-empty password/ },
];

describeWithBinaries('the secret checks under the real terraform plan', ['terraform'], () => {
  const processes = new ProcessGroup();
  let dir: string;
  let containerIds: string[];

  /** The environment of a plan: nothing of this machine's Terraform settings, the given variables. */
  function terraformEnv(variables: Record<string, string>): NodeJS.ProcessEnv {
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TF_')));
    return {
      ...env,
      TF_IN_AUTOMATION: '1',
      CHECKPOINT_DISABLE: '1',
      ...Object.fromEntries(Object.entries(variables).map(([name, value]) => [`TF_VAR_${name}`, value])),
    };
  }

  function terraform(
    args: string[],
    variables: Record<string, string> = {},
  ): { status: number | null; output: string } {
    const result = spawnSync('terraform', args, {
      cwd: dir,
      env: terraformEnv(variables),
      encoding: 'utf8',
      timeout: 60_000,
    });
    if (result.error) throw result.error;
    return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
  }

  beforeAll(() => {
    const { json } = synthStack(dockerConfig);
    containerIds = Object.keys(json.resource.docker_container);
    expect(Object.keys(json.variable).sort()).toEqual(Object.keys(VALID).sort());
    dir = processes.tempDir('stm-secrets-terraform-');
    writeFileSync(join(dir, 'main.tf.json'), JSON.stringify(checksOnly(json), null, 2));
    const init = terraform(['init', '-input=false', '-no-color']);
    expect(init).toEqual({ status: 0, output: expect.stringContaining('Terraform has been successfully initialized') });
  });
  afterAll(() => processes.stopAll());

  test('valid secrets, chat ids at the int64 bounds among them, pass: the checks and every container stand-in are planned', () => {
    const { status, output } = terraform(['plan', '-input=false', '-no-color'], VALID);
    expect({ status, output }).toEqual({
      status: 0,
      output: expect.stringContaining(`Plan: ${containerIds.length + 2} to add, 0 to change, 0 to destroy.`),
    });
    expect(output).toContain(`${CHECKS} will be created`);
    for (const id of containerIds) expect(output).toContain(`terraform_data.container_${id} will be created`);
    for (const value of Object.values(VALID)) expect(output.replace(/\s+/g, '')).not.toContain(value);
  });

  test.each(BAD.map((bad) => [bad.secret.variable, bad] as const))(
    'a bad %s fails the plan, naming the variable, without its value, before any container',
    (_name, bad) => {
      const { status, output } = terraform(['plan', '-input=false', '-no-color'], {
        ...VALID,
        [bad.secret.variable]: bad.value,
      });
      // Terraform wraps messages at 78 columns: read them with the line breaks undone.
      const text = output.replace(/\s+/g, ' ');
      expect(status).toBe(1);
      expect(output.match(/Error: Resource precondition failed/g)).toHaveLength(1);
      expect(text).toContain(`The value of ${bad.secret.variable} (${terraformEnvName(bad.secret)}) must be`);
      expect(text).toMatch(bad.says);
      // Nowhere, not even broken across lines (no value here has whitespace); nor any other secret's value.
      const compact = output.replace(/\s+/g, '');
      if (bad.value !== '') expect(compact).not.toContain(bad.value);
      for (const marker of ['SENTINEL', 'SNTL']) expect(compact).not.toContain(marker);
      // What depends on the checks is not planned; what does not, is.
      for (const id of containerIds) expect(output).not.toContain(`terraform_data.container_${id}`);
      expect(output).toContain('terraform_data.control_without_depends_on will be created');
    },
  );
});
