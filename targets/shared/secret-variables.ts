/**
 * The stack's secrets as sensitive Terraform variables, and one `terraform_data` resource,
 * `secret_checks`, whose preconditions reject a malformed value at plan time. Synth output holds
 * only `${var.<name>}` expressions.
 *
 * Why not a variable's `validation` block: Terraform prints the value of a sensitive variable
 * whose validation fails (`var.telegram_bot_token is "..."`); a failed precondition shows its
 * error message only. The resources that use a secret (on Docker, every container) depend on
 * `checks`, so a bad value stops the plan before any of them is planned.
 */
import { Construct } from 'constructs';
import { Precondition, TerraformResource, TerraformVariable } from 'cdktf';
import {
  REDIS_PASSWORD_SECRET,
  SECRETS,
  SecretSpec,
  severityChatIdSecret,
  terraformEnvName,
} from '../../config/secrets';
import { SEVERITIES, Severity } from '../../core/severity';
import { AlertmanagerSecrets } from '../../domain/alerting';

/** Terraform address of the checks resource: `depends_on` entries and the tests name it. */
export const SECRET_CHECKS_ID = 'secret_checks';

/**
 * The HCL condition that holds when `secret`'s variable has its shape: its pattern, and for an
 * integer its range, compared as Terraform's arbitrary-precision numbers (a JavaScript number
 * could not even write the int64 bounds). `try` keeps `tonumber` from failing the evaluation.
 */
export function secretCondition(secret: SecretSpec): string {
  const value = `var.${secret.variable}`;
  const shape = `can(regex(${JSON.stringify(secret.pattern.source)}, ${value}))`;
  const range = secret.integerRange;
  if (!range) return `\${${shape}}`;
  return `\${${shape} && try(tonumber(${value}) >= ${range.min} && tonumber(${value}) <= ${range.max}, false)}`;
}

/** What a failed check says: the variable, how it is set, what was expected; never the value. */
export function secretErrorMessage(secret: SecretSpec): string {
  return `The value of ${secret.variable} (${terraformEnvName(secret)}) must be ${secret.expected}. The value itself is not shown.`;
}

export interface SecretVariablesProps {
  /**
   * Severities with a chat of their own (a `telegram_<severity>_chat_id` variable).
   * @default none
   */
  readonly separateChats?: Severity[];
  /**
   * Declare `postgres_password`, the postgres-exporter's.
   * @default true; the Kubernetes target runs no exporter of its own
   */
  readonly postgres?: boolean;
  /**
   * Declare `redis_password`, for a Redis that asks for one (`targets.redisRequiresPassword`).
   * @default false
   */
  readonly redis?: boolean;
}

export class SecretVariables extends Construct {
  readonly telegramBotToken: TerraformVariable;
  readonly telegramAlertChatId: TerraformVariable;
  readonly grafanaPassword: TerraformVariable;
  readonly postgresPassword?: TerraformVariable;
  readonly redisPassword?: TerraformVariable;
  /** `terraform_data.secret_checks`: what every resource that uses a secret depends on. */
  readonly checks: TerraformResource;
  private readonly declared: SecretSpec[] = [];
  private readonly severityChatIds: Partial<Record<Severity, TerraformVariable>> = {};

  constructor(scope: Construct, id: string, props: SecretVariablesProps = {}) {
    super(scope, id);
    this.telegramBotToken = this.variable(SECRETS.telegramBotToken);
    this.telegramAlertChatId = this.variable(SECRETS.telegramAlertChatId);
    this.grafanaPassword = this.variable(SECRETS.grafanaPassword);
    if (props.postgres ?? true) this.postgresPassword = this.variable(SECRETS.postgresPassword);
    if (props.redis ?? false) this.redisPassword = this.variable(REDIS_PASSWORD_SECRET);
    for (const severity of props.separateChats ?? []) {
      this.severityChatIds[severity] = this.variable(severityChatIdSecret(severity));
    }
    const precondition: Precondition[] = this.declared.map((secret) => ({
      condition: secretCondition(secret),
      errorMessage: secretErrorMessage(secret),
    }));
    // A `terraform_data` (builtin provider: nothing to download) declared as a plain resource: cdktf's
    // DataResource would run `terraform version` at every synth (a construct validation), making synth
    // need a Terraform binary.
    this.checks = new TerraformResource(this, 'checks', {
      terraformResourceType: 'terraform_data',
      terraformGeneratorMetadata: { providerName: 'terraform' },
      lifecycle: { precondition },
    });
    this.checks.overrideLogicalId(SECRET_CHECKS_ID);
  }

  /** What Alertmanager's configuration is rendered with: expressions Terraform fills in at deploy. */
  alertmanagerSecrets(): AlertmanagerSecrets {
    const chatIds = Object.fromEntries(
      SEVERITIES.map((severity) => [
        severity,
        (this.severityChatIds[severity] ?? this.telegramAlertChatId).stringValue,
      ]),
    ) as Record<Severity, string>;
    return { telegramBotToken: this.telegramBotToken.stringValue, telegramChatIds: chatIds };
  }

  /** The Postgres password, `${var.postgres_password}`: Terraform fills in the value, as it is, at deploy. */
  postgresPasswordExpression(): string {
    if (!this.postgresPassword) throw new Error('postgres_password is not declared (SecretVariables postgres: false)');
    return this.postgresPassword.stringValue;
  }

  private variable(secret: SecretSpec): TerraformVariable {
    const variable = new TerraformVariable(this, secret.variable, {
      type: 'string',
      description: `${secret.description}. Set TF_VAR_${secret.variable}.`,
      sensitive: true,
      nullable: false,
    });
    // The Terraform name is the contract with the operator (TF_VAR_<name>): no construct-path prefix.
    variable.overrideLogicalId(secret.variable);
    // Checked by a precondition of `checks`, not a `validation` block, which would print the value.
    this.declared.push(secret);
    return variable;
  }
}
