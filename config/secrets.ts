/**
 * The secrets of the stack. Each is a sensitive Terraform variable (`TF_VAR_<variable>` or
 * `--var` at deploy); synth writes only `${var.<variable>}` expressions, never a value.
 *
 * This table is the one definition of a secret's shape, checked twice: at synth when the app is run
 * directly (config/load.ts `secretProblems`; `cdktf synth` hides every `TF_VAR_*` from the app) and
 * at plan by Terraform preconditions (targets/shared/secret-variables.ts), which, unlike a variable's
 * `validation`, never print the value. The patterns are written in the syntax both JavaScript and
 * Terraform's RE2 accept, without backslashes (HCL would need them escaped).
 */
import { SEVERITIES, Severity } from '../core/severity';

export interface SecretSpec {
  /** The operator's name for it (docs/REQUIREMENTS.md), checked when present at synth. */
  env: string;
  /** Terraform variable name. */
  variable: string;
  description: string;
  pattern: RegExp;
  /**
   * For an integer (`pattern` admits only digits and a sign): the inclusive bounds. Terraform
   * numbers are arbitrary precision, so the plan-time check compares exactly, as `BigInt` does here.
   */
  integerRange?: { min: bigint; max: bigint };
  /** Said when the value does not match, without showing it. */
  expected: string;
}

/** A signed 64-bit integer: what Alertmanager (and amtool) read a Telegram chat id into. */
export const INT64_RANGE = { min: -(2n ** 63n), max: 2n ** 63n - 1n };

const CHAT_ID = {
  pattern: /^-?[0-9]+$/,
  integerRange: INT64_RANGE,
  expected: `a chat id: an integer, negative for groups, from ${INT64_RANGE.min} to ${INT64_RANGE.max}`,
};

export const SECRETS = {
  telegramBotToken: {
    env: 'TELEGRAM_BOT_TOKEN',
    variable: 'telegram_bot_token',
    description: 'Telegram bot token from @BotFather (<digits>:<secret>)',
    pattern: /^[0-9]+:[A-Za-z0-9_-]+$/,
    expected:
      'a bot token of the form <digits>:<letters, digits, _ and -> as @BotFather gives it; drop the "bot" prefix of a token copied from a Bot API URL',
  },
  telegramAlertChatId: {
    env: 'TELEGRAM_ALERT_CHAT_ID',
    variable: 'telegram_alert_chat_id',
    description: 'Telegram chat id that receives alerts of every severity without a chat of its own',
    ...CHAT_ID,
  },
  grafanaPassword: {
    env: 'GRAFANA_PASSWORD',
    variable: 'grafana_password',
    description: "Password of the Grafana admin user (used on Grafana's first start and by the Grafana provider)",
    pattern: /^.{8,}$/,
    expected: 'at least 8 characters',
  },
  postgresPassword: {
    env: 'POSTGRES_PASSWORD',
    variable: 'postgres_password',
    description: 'Password of the PostgreSQL user the postgres-exporter connects as',
    pattern: /^.+$/,
    expected: 'a non-empty password',
  },
} satisfies Record<string, SecretSpec>;

/** Declared only for a Redis that asks for a password (`targets.redisRequiresPassword`). */
export const REDIS_PASSWORD_SECRET: SecretSpec = {
  env: 'REDIS_PASSWORD',
  variable: 'redis_password',
  description: 'Password the redis-exporter authenticates to Redis with',
  pattern: /^.+$/,
  expected: 'a non-empty password',
};

/** The chat of one severity, for severities listed in `telegramSeparateChats`. */
export function severityChatIdSecret(severity: Severity): SecretSpec {
  return {
    env: `TELEGRAM_${severity.toUpperCase()}_CHAT_ID`,
    variable: `telegram_${severity}_chat_id`,
    description: `Telegram chat id that receives ${severity} alerts`,
    ...CHAT_ID,
  };
}

/** Every secret the stack may declare, for checks that do not depend on the configuration. */
export const ALL_SECRETS: SecretSpec[] = [
  ...Object.values(SECRETS),
  REDIS_PASSWORD_SECRET,
  ...SEVERITIES.map(severityChatIdSecret),
];

/** Environment variable Terraform reads the secret from. */
export function terraformEnvName(secret: SecretSpec): string {
  return `TF_VAR_${secret.variable}`;
}

/** Whether `value` has the shape `secret` asks for: its pattern, and its range for an integer. */
export function secretMatches(secret: SecretSpec, value: string): boolean {
  if (!secret.pattern.test(value)) return false;
  if (!secret.integerRange) return true;
  const number = BigInt(value);
  return number >= secret.integerRange.min && number <= secret.integerRange.max;
}
