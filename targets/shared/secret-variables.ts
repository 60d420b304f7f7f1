/**
 * The stack's secrets as sensitive Terraform variables, with `validation` blocks that reject a
 * malformed value at plan time. Synth output holds only `${var.<name>}` expressions.
 */
import { Construct } from 'constructs';
import { Fn, TerraformVariable } from 'cdktf';
import { REDIS_PASSWORD_SECRET, SECRETS, SecretSpec, severityChatIdSecret } from '../../config/secrets';
import { SEVERITIES, Severity } from '../../core/severity';
import { AlertmanagerSecrets } from '../../domain/alerting';

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

  /** The Postgres password encoded for a connection URL, at deploy time. */
  postgresPasswordForUrl(): string {
    if (!this.postgresPassword) throw new Error('postgres_password is not declared (SecretVariables postgres: false)');
    return Fn.urlencode(this.postgresPassword.stringValue);
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
    variable.addValidation({
      condition: Fn.can(Fn.regex(secret.pattern.source, variable.stringValue)),
      errorMessage: `The value of ${secret.variable} must be ${secret.expected}.`,
    });
    return variable;
  }
}
