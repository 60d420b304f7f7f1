/**
 * The part of Alertmanager's configuration file this project writes, typed with Alertmanager's own
 * field names (https://prometheus.io/docs/alerting/0.26/configuration/) so the object serialises
 * to `alertmanager.yml` as it is. Only fields both 0.25 (Debian, tests) and 0.26 (the image)
 * accept: no `bot_token_file` or `chat_id_file`; `message_thread_id` (0.28) only when forum
 * topics are configured, which the configuration allows only with an Alertmanager that has it.
 */
import type { Duration } from '../../core/duration';
import type { AlertLabel } from './alert-names';
import { escapeRegex } from '../../core/regex';

export interface AlertmanagerConfigFile {
  route: Route;
  inhibit_rules: InhibitRule[];
  receivers: Receiver[];
  templates: string[];
  /** Named time intervals routes mute or activate by (0.24 and later); absent when none is configured. */
  time_intervals?: NamedTimeInterval[];
}

/** A named set of intervals; a time is in it when it is in any of them. */
export interface NamedTimeInterval {
  name: string;
  time_intervals: TimeIntervalSpec[];
}

/**
 * One interval (Alertmanager's timeinterval.TimeInterval): a time is in it when it is in one of
 * `times` on one of `weekdays` (any day when absent), read on the clock of `location` (0.25 and later).
 */
export interface TimeIntervalSpec {
  /** `HH:MM`; each range starts before it ends, within one day (`24:00` ends it). */
  times: { start_time: string; end_time: string }[];
  /** Lower-case weekday names. */
  weekdays?: string[];
  /** IANA time zone name. */
  location: string;
}

/** A matcher in Alertmanager's syntax: `severity="critical"`, `alertname=~"A|B"`. */
export type Matcher = string & { readonly __matcher: unique symbol };

export function equals(label: AlertLabel, value: string): Matcher {
  return `${label}=${JSON.stringify(value)}` as Matcher;
}

/** Matches any of `values` (Alertmanager anchors the regex). */
export function oneOf(label: AlertLabel, values: readonly string[]): Matcher {
  if (values.length === 1) return equals(label, values[0]);
  const alternatives = values.map(escapeRegex);
  return `${label}=~${JSON.stringify(alternatives.join('|'))}` as Matcher;
}

export interface Route {
  receiver: string;
  matchers?: Matcher[];
  group_by?: AlertLabel[];
  group_wait?: Duration;
  group_interval?: Duration;
  repeat_interval?: Duration;
  /** Names of `time_intervals` during which this route sends nothing. */
  mute_time_intervals?: string[];
  routes?: Route[];
}

export interface InhibitRule {
  source_matchers: Matcher[];
  target_matchers: Matcher[];
  equal: AlertLabel[];
}

export interface Receiver {
  name: string;
  telegram_configs?: TelegramConfig[];
  webhook_configs?: WebhookConfig[];
}

/**
 * The `integration` label Alertmanager gives the notification metrics of `telegram_configs`
 * (`alertmanager_notifications_total{integration="telegram"}`, 0.25 and later).
 */
export const TELEGRAM_INTEGRATION = 'telegram';

export interface TelegramConfig {
  /** Inline: 0.25 rejects `bot_token_file`. */
  bot_token: string;
  /** An integer in the file (see `render.ts` for how a Terraform expression gets there unquoted). */
  chat_id: string;
  api_url?: string;
  /** The forum topic of the chat the message goes to (0.28 and later); the General topic when absent. */
  message_thread_id?: number;
  parse_mode: 'HTML';
  message: string;
  send_resolved: boolean;
  disable_notifications: boolean;
}

export interface WebhookConfig {
  url: string;
  send_resolved: boolean;
}
