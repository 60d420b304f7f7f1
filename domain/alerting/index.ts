/**
 * Public face of alerting/: Alertmanager's configuration and Telegram template, rendered from the
 * typed routing (routing.ts), inhibition (inhibitions.ts) and message (telegram-template.ts).
 */
import { stringify } from 'yaml';
import { AlertingSettings } from '../../config/alerting-settings';
import { ConfigError, ConfigProblem } from '../../config/errors';
import { SECRETS, SecretSpec, secretMatches } from '../../config/secrets';
import { RenderedFile } from '../../core/rendered-file';
import { SEVERITIES, Severity } from '../../core/severity';
import { AlertmanagerConfigFile, Receiver } from './model';
export { TELEGRAM_INTEGRATION } from './model';
import { SEVERITY_STYLE, WATCHDOG_RECEIVER, buildInhibitRules, buildRoute, telegramReceiver } from './routing';
import { TELEGRAM_MESSAGE_TEMPLATE, renderTelegramTemplate } from './telegram-template';
import { buildTimeIntervals, mutingIntervals } from './time-intervals';

export { ALERT_NAMES, ANNOTATIONS, NOTIFICATIONS_FAILING, WATCHDOG, alertRule } from './alert-names';
export {
  ALERTMANAGER_MAX_RETRY_GAP,
  ALERTMANAGER_MIN_NOTIFY_TIMEOUT,
  RECOMMENDED_HEARTBEAT_CHECK,
  deadMansSwitchChain,
  deadMansSwitchInput,
  notifyTimeout,
} from './dead-mans-switch';
export type { DeadMansSwitchChain, DeadMansSwitchInput, HeartbeatCheck } from './dead-mans-switch';
export type { AlertLabel, AlertName } from './alert-names';
export { INHIBITIONS, inhibitedBy } from './inhibitions';
export type { Inhibition } from './inhibitions';
export {
  FALLBACK_SEVERITY,
  GROUP_BY,
  SEVERITY_STYLE,
  WATCHDOG_RECEIVER,
  WATCHDOG_TIMINGS,
  telegramReceiver,
} from './routing';
export { IDENTITY_LABELS, MESSAGE_LIMITS, TELEGRAM_MESSAGE_TEMPLATE } from './telegram-template';
export { buildTimeIntervals, holdingNow, mutingIntervals, timeIntervalSpecs } from './time-intervals';

/**
 * Values that are secret: Terraform expressions such as `${var.telegram_bot_token}` at synth,
 * dummy values when a test validates the rendered file.
 */
export interface AlertmanagerSecrets {
  telegramBotToken: string;
  /** Chat id per severity (an integer, or a Terraform expression that yields one). */
  telegramChatIds: Record<Severity, string>;
}

export interface AlertmanagerRenderOptions {
  /** Alertmanager's configuration directory, where `templates/` is read from. Default `/etc/alertmanager`. */
  configDir?: string;
  /** Multiplies every notification timing: tests and the e2e harness run minutes as seconds. Default 1. */
  timeScale?: number;
  /** Telegram Bot API base URL. Default Telegram's own; tests point it at a fake API. */
  telegramApiUrl?: string;
}

export const ALERTMANAGER_CONFIG_FILE = 'alertmanager.yml';
export const TELEGRAM_TEMPLATE_FILE = 'templates/telegram.tmpl';
export const DEFAULT_ALERTMANAGER_CONFIG_DIR = '/etc/alertmanager';

const TERRAFORM_EXPRESSION = /^\$\{[^{}]+\}$/;

/** A problem for each secret that is neither of its shape nor a Terraform expression; never shows the value. */
function secretProblems(secrets: AlertmanagerSecrets): ConfigProblem[] {
  const checks: [string, string, SecretSpec, string][] = [
    // The shapes the Terraform variables are checked against.
    ['telegramBotToken', secrets.telegramBotToken, SECRETS.telegramBotToken, 'a bot token (<digits>:<letters>)'],
    ...SEVERITIES.map((s): [string, string, SecretSpec, string] => [
      `telegramChatIds.${s}`,
      secrets.telegramChatIds[s],
      SECRETS.telegramAlertChatId,
      'an integer chat id (64-bit)',
    ]),
  ];
  return checks
    .filter(
      ([, value, secret]) =>
        typeof value !== 'string' || !(secretMatches(secret, value) || TERRAFORM_EXPRESSION.test(value)),
    )
    .map(([field, value, , expected]) => ({
      field: `secrets.${field}`,
      value: typeof value === 'string' ? `<secret of ${value.length} characters>` : value,
      reason: `is not ${expected} nor a Terraform expression`,
    }));
}

/**
 * The configuration as a typed object. Secrets are placeholders here, so the object can be
 * inspected and logged; `renderAlertmanagerFiles` writes the real expressions.
 */
export function buildAlertmanagerConfig(
  settings: AlertingSettings,
  options: AlertmanagerRenderOptions = {},
): AlertmanagerConfigFile {
  const telegram = (severity: Severity): Receiver => ({
    name: telegramReceiver(severity),
    telegram_configs: [
      {
        bot_token: secretPlaceholder('telegramBotToken'),
        chat_id: secretPlaceholder(`telegramChatIds.${severity}`),
        ...(settings.telegramTopics[severity] === undefined
          ? {}
          : { message_thread_id: settings.telegramTopics[severity] }),
        ...(options.telegramApiUrl ? { api_url: options.telegramApiUrl } : {}),
        parse_mode: 'HTML',
        message: `{{ template "${TELEGRAM_MESSAGE_TEMPLATE}" . }}`,
        send_resolved: true,
        disable_notifications: SEVERITY_STYLE[severity].silent,
      },
    ],
  });
  const heartbeat = settings.watchdogHeartbeatUrl;
  const timeIntervals = buildTimeIntervals(settings);
  return {
    route: buildRoute(settings.timings, mutingIntervals(settings), options.timeScale),
    inhibit_rules: buildInhibitRules(),
    receivers: [
      ...SEVERITIES.map(telegram),
      // No configs: a null receiver, the Watchdog is dropped.
      {
        name: WATCHDOG_RECEIVER,
        ...(heartbeat ? { webhook_configs: [{ url: heartbeat, send_resolved: false }] } : {}),
      },
    ],
    templates: [`${options.configDir ?? DEFAULT_ALERTMANAGER_CONFIG_DIR}/templates/*.tmpl`],
    ...(timeIntervals.length > 0 ? { time_intervals: timeIntervals } : {}),
  };
}

type SecretField = 'telegramBotToken' | `telegramChatIds.${Severity}`;

/** Stands for a secret in the typed object; a plain YAML scalar, replaced when the file is written. */
function secretPlaceholder(field: SecretField): string {
  return `SECRET__${field.replace('.', '__')}`;
}

function secretText(secrets: AlertmanagerSecrets, field: SecretField): string {
  if (field === 'telegramBotToken') return JSON.stringify(secrets.telegramBotToken);
  // Unquoted: Alertmanager wants an integer (a Terraform expression becomes one when substituted).
  return secrets.telegramChatIds[field.slice('telegramChatIds.'.length) as Severity];
}

/** `alertmanager.yml` and `templates/telegram.tmpl`, paths relative to Alertmanager's config dir. */
export function renderAlertmanagerFiles(
  settings: AlertingSettings,
  secrets: AlertmanagerSecrets,
  options: AlertmanagerRenderOptions = {},
): RenderedFile[] {
  const problems = secretProblems(secrets);
  if (problems.length > 0) throw new ConfigError(problems);
  const fields: SecretField[] = ['telegramBotToken', ...SEVERITIES.map((s) => `telegramChatIds.${s}` as const)];
  let yaml = stringify(buildAlertmanagerConfig(settings, options), { lineWidth: 0 });
  for (const field of fields) yaml = yaml.replaceAll(secretPlaceholder(field), secretText(secrets, field));
  return [
    { path: ALERTMANAGER_CONFIG_FILE, content: yaml },
    { path: TELEGRAM_TEMPLATE_FILE, content: renderTelegramTemplate(settings.externalUrl) },
  ];
}
