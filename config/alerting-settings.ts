/**
 * The `alerting` section of `MonitoringConfig`: how Alertmanager notifies (alerting/ renders it).
 * Secrets (bot token, chat ids) are not here: they are sensitive Terraform variables.
 */
import { Duration } from '../core/duration';
import { Fields } from './fields';
import { SEVERITIES, Severity, isSeverity } from '../core/severity';
import {
  DEFAULT_TIME_ZONE,
  MaintenanceWindow,
  QuietHours,
  parseMaintenanceWindows,
  parseQuietHours,
  parseTimeZone,
} from './time-windows';

/** Alertmanager's notification timings of one route. */
export interface NotificationTimings {
  /** How long a new group waits for more alerts before its first message. */
  groupWait: Duration;
  /** How long a group waits before telling about alerts added to it (or resolved). */
  groupInterval: Duration;
  /** How often a group that did not change is sent again while it fires. */
  repeatInterval: Duration;
}

export interface AlertingSettings {
  /**
   * The URL people open Alertmanager at (also its `--web.external-url`): the silence links in
   * Telegram messages point here.
   */
  externalUrl: string;
  /** Per severity: critical is told at once and repeated hourly, info waits and repeats twice a day. */
  timings: Record<Severity, NotificationTimings>;
  /**
   * Dead man's switch: the always-firing Watchdog alert is posted here every minute (for example a
   * healthchecks.io ping URL), so silence from it means the alerting path is broken. Without
   * one, the Watchdog is dropped.
   */
  watchdogHeartbeatUrl?: string;
  /**
   * Where every alert's `runbook_url` points: `<base>/<AlertName>.md`. Default: docs/runbooks/ of
   * the project's repository; point it at your fork or wiki so on-call opens your copy.
   */
  runbookBaseUrl: string;
  /**
   * The team's IANA time zone (`Europe/Moscow`), the clock quiet hours and maintenance windows
   * read unless they name their own. Default `UTC`.
   */
  timeZone: string;
  /** Warnings and info held overnight (see time-windows.ts); none by default. */
  quietHours?: QuietHours;
  /** Recurring planned work during which alerts of its severities are not sent; none by default. */
  maintenanceWindows: MaintenanceWindow[];
  /**
   * Telegram forum topics: the alert chat is one supergroup with topics enabled, and each severity
   * listed here goes to its topic (`message_thread_id`, the number at the end of the topic's link
   * `t.me/c/<chat>/<topic>`); a severity not listed goes to the General topic. The alternative to
   * `telegramSeparateChats` (not both). Needs Alertmanager 0.28 or later. Default none.
   */
  telegramTopics: Partial<Record<Severity, number>>;
}

/** Where runbook links point by default: the repository's docs/runbooks/ folder. */
export const DEFAULT_RUNBOOK_BASE_URL =
  'https://github.com/stock-tracker/stock-tracker-monitoring/blob/main/docs/runbooks';

export const DEFAULT_ALERTING_SETTINGS: AlertingSettings = {
  externalUrl: 'http://localhost:9093',
  timings: {
    critical: {
      groupWait: Duration.seconds(10),
      groupInterval: Duration.minutes(1),
      repeatInterval: Duration.hours(1),
    },
    warning: { groupWait: Duration.seconds(30), groupInterval: Duration.minutes(5), repeatInterval: Duration.hours(4) },
    info: { groupWait: Duration.minutes(1), groupInterval: Duration.minutes(10), repeatInterval: Duration.hours(12) },
  },
  runbookBaseUrl: DEFAULT_RUNBOOK_BASE_URL,
  timeZone: DEFAULT_TIME_ZONE,
  maintenanceWindows: [],
  telegramTopics: {},
};

const HEARTBEAT_URL = /^https?:\/\/[^\s"'<>]+$/;
const TIMING_KEYS = Object.keys(DEFAULT_ALERTING_SETTINGS.timings.critical) as (keyof NotificationTimings)[];

function parseTimings(field: string, raw: unknown, fields: Fields, defaults: NotificationTimings): NotificationTimings {
  const given = fields.section(field, raw);
  fields.onlyKnownKeys(field, given, TIMING_KEYS);
  const timings: NotificationTimings = {
    groupWait: fields.duration(`${field}.groupWait`, given.groupWait, defaults.groupWait, Duration.millis(0)),
    groupInterval: fields.duration(
      `${field}.groupInterval`,
      given.groupInterval,
      defaults.groupInterval,
      Duration.seconds(1),
    ),
    repeatInterval: fields.duration(
      `${field}.repeatInterval`,
      given.repeatInterval,
      defaults.repeatInterval,
      Duration.seconds(1),
    ),
  };
  if (timings.repeatInterval.compare(timings.groupInterval) < 0) {
    fields.reader.problem(
      `${field}.repeatInterval`,
      timings.repeatInterval.toString(),
      `must not be shorter than ${field}.groupInterval (${timings.groupInterval})`,
    );
  }
  return timings;
}

/** A topic id: a positive integer (Alertmanager reads it as a Go int; kept within 32 bits). */
const TOPIC_ID = /^[1-9]\d{0,9}$/;
const MAX_TOPIC_ID = 2_147_483_647;

/** `alerting.telegramTopics`: `{ "critical": 12 }`, or `critical:12,warning:13` (TELEGRAM_TOPICS). */
function parseTelegramTopics(raw: unknown, fields: Fields): Partial<Record<Severity, number>> {
  if (raw === undefined) return DEFAULT_ALERTING_SETTINGS.telegramTopics;
  const expected = `severity:topic pairs such as critical:12,warning:13 (severities ${SEVERITIES.join(', ')}; a topic is the number at the end of its link)`;
  const pairs =
    typeof raw === 'string'
      ? raw
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean)
          .map((item) => item.split(':'))
      : typeof raw === 'object' && raw !== null && !Array.isArray(raw)
        ? Object.entries(raw).map(([severity, topic]) => [severity, String(topic)])
        : undefined;
  if (pairs === undefined || pairs.some((pair) => pair.length !== 2)) {
    fields.reader.problem(
      'alerting.telegramTopics',
      typeof raw === 'string' ? raw : undefined,
      `is not valid: expected ${expected}`,
    );
    return DEFAULT_ALERTING_SETTINGS.telegramTopics;
  }
  const topics: Partial<Record<Severity, number>> = {};
  for (const [severity, topic] of pairs) {
    if (!isSeverity(severity)) {
      fields.reader.problem(
        'alerting.telegramTopics',
        severity,
        `is not a severity (expected one of ${SEVERITIES.join(', ')})`,
      );
    } else if (!TOPIC_ID.test(topic) || Number(topic) > MAX_TOPIC_ID) {
      fields.reader.problem(
        `alerting.telegramTopics.${severity}`,
        topic,
        `is not a topic id: expected a whole number from 1 to ${MAX_TOPIC_ID}`,
      );
    } else if (topics[severity] !== undefined) {
      fields.reader.problem('alerting.telegramTopics', severity, 'is given a topic twice');
    } else {
      topics[severity] = Number(topic);
    }
  }
  return topics;
}

export function parseAlertingSettings(raw: unknown, fields: Fields): AlertingSettings {
  const d = DEFAULT_ALERTING_SETTINGS;
  const given = fields.section('alerting', raw);
  fields.onlyKnownKeys('alerting', given, [
    'externalUrl',
    'timings',
    'watchdogHeartbeatUrl',
    'runbookBaseUrl',
    'timeZone',
    'quietHours',
    'maintenanceWindows',
    'telegramTopics',
  ]);
  const timings = fields.section('alerting.timings', given.timings);
  fields.onlyKnownKeys('alerting.timings', timings, SEVERITIES);
  const timeZone = parseTimeZone('alerting.timeZone', given.timeZone, d.timeZone, fields);
  const quietHours = parseQuietHours(given.quietHours, timeZone, fields);
  return {
    externalUrl: fields.publicUrl('alerting.externalUrl', given.externalUrl, d.externalUrl, 'http://localhost:9093'),
    timings: Object.fromEntries(
      SEVERITIES.map((severity) => [
        severity,
        parseTimings(`alerting.timings.${severity}`, timings[severity], fields, d.timings[severity]),
      ]),
    ) as Record<Severity, NotificationTimings>,
    watchdogHeartbeatUrl:
      given.watchdogHeartbeatUrl === undefined
        ? undefined
        : fields.url('alerting.watchdogHeartbeatUrl', given.watchdogHeartbeatUrl, '', HEARTBEAT_URL, 'an http(s) URL'),
    runbookBaseUrl: fields.url(
      'alerting.runbookBaseUrl',
      given.runbookBaseUrl,
      d.runbookBaseUrl,
      HEARTBEAT_URL,
      'an http(s) URL',
    ),
    timeZone,
    ...(quietHours ? { quietHours } : {}),
    maintenanceWindows: parseMaintenanceWindows(given.maintenanceWindows, timeZone, fields),
    telegramTopics: parseTelegramTopics(given.telegramTopics, fields),
  };
}
