/**
 * When Telegram stays quiet: quiet hours (warnings and info held overnight, critical always
 * delivered) and named maintenance windows, both on the clock of a time zone. alerting/ renders
 * them to Alertmanager's `time_intervals` and mutes the routes of their severities
 * (`mute_time_intervals`). Values are checked as Alertmanager 0.25 reads them
 * (timeinterval/timeinterval.go): `HH:MM` times from 00:00 to 24:00, lower-case weekday names, and
 * time zone names its `time.LoadLocation` finds in the IANA database.
 */
import { SEVERITIES, Severity } from '../core/severity';
import { Fields, RawSection } from './fields';

/** A time of day, `HH:MM` on a 24-hour clock; `24:00` is the end of a day. */
export type ClockTime = string & { readonly __clockTime: unique symbol };

/** Alertmanager's weekday names, Sunday first as it numbers them (0-6). */
export const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * A stretch of each day from `from` to `to`, in `timeZone`. When `to` is not after `from` it ends
 * the next day (23:00 to 08:00 is a night).
 */
export interface DailyWindow {
  from: ClockTime;
  to: ClockTime;
  /** IANA time zone name such as `Europe/Moscow`, whose clock (summer time included) `from` and `to` read. */
  timeZone: string;
  /** Days the window starts on (a night that starts on Friday ends on Saturday). Default every day. */
  weekdays: Weekday[];
  /** Alerts of these severities are not sent inside the window. */
  severities: Severity[];
}

/**
 * Quiet hours: alerts of `severities` (default warning and info) that are due inside the window
 * are held and sent at the first group flush after it ends; critical is never held.
 */
export type QuietHours = DailyWindow;

/**
 * Planned work that recurs, by name (a nightly backup, a weekly restart): alerts of its
 * severities (default all) are not sent inside it. One-off work is a silence (`npm run maintenance`).
 */
export interface MaintenanceWindow extends DailyWindow {
  /** Alertmanager's name of the time interval: lower-case letters, digits and `-`. */
  name: string;
}

/** The time interval the quiet hours render to; no maintenance window may take its name. */
export const QUIET_HOURS_NAME = 'quiet-hours';
/** Default of `alerting.timeZone`: Alertmanager's own clock when a time interval names no location. */
export const DEFAULT_TIME_ZONE = 'UTC';
/** Severities quiet hours may hold back: a critical alert is always delivered. */
export const QUIETABLE_SEVERITIES: readonly Severity[] = SEVERITIES.filter((severity) => severity !== 'critical');

const FROM_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const TO_TIME = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const WINDOW_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
/** Every part of a zone name starts with a capital in the IANA database; Go reads the file of that exact name. */
const TIME_ZONE_SHAPE = /^[A-Z][A-Za-z0-9_+-]*(\/[A-Z][A-Za-z0-9_+-]*)*$/;

/** Minutes since midnight of `HH:MM`. */
export function minutesOf(time: ClockTime): number {
  const [hours, minutes] = time.split(':').map(Number);
  return hours * 60 + minutes;
}

/**
 * Whether `name` is a time zone Alertmanager loads: in the IANA database (as Node's ICU knows it)
 * and spelt with the database's capitals (Alertmanager opens the file of that name: `europe/moscow`
 * is not found on Linux, though ICU reads it). `Local` is refused: it is whatever the container's
 * clock is set to, not the team's time zone.
 */
export function isTimeZone(name: string): boolean {
  if (!TIME_ZONE_SHAPE.test(name) || name === 'Local') return false;
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return false;
  }
  // The same zone written with other capitals (Europe/MOSCOW): ICU resolves it, the file does not exist.
  return resolved === name || resolved.toLowerCase() !== name.toLowerCase();
}

const TIME_ZONE_EXPECTED = 'an IANA time zone name such as Europe/Moscow or UTC, with its capitals';

/** A time zone setting; `fallback` when not given. */
export function parseTimeZone(field: string, value: unknown, fallback: string, fields: Fields): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !isTimeZone(value)) {
    fields.reader.problem(field, value, `is not valid: expected ${TIME_ZONE_EXPECTED}`);
    return fallback;
  }
  return value;
}

interface WindowDefaults {
  timeZone: string;
  severities: readonly Severity[];
  /** Severities the window may name. */
  allowed: readonly Severity[];
  /** Why a severity outside `allowed` is refused. */
  refusal: string;
}

/** The fields every daily window has, checked; problems are recorded under `field`. */
function parseDailyWindow(field: string, given: RawSection, fields: Fields, defaults: WindowDefaults): DailyWindow {
  const from = fields.string(`${field}.from`, given.from, '00:00', FROM_TIME, 'a time HH:MM from 00:00 to 23:59');
  const to = fields.string(`${field}.to`, given.to, '24:00', TO_TIME, 'a time HH:MM from 00:00 to 24:00');
  if (from === to) {
    fields.reader.problem(
      `${field}.to`,
      to,
      `is the time the window starts (from ${from}): it would be empty; a whole day is 00:00 to 24:00`,
    );
  }
  const weekdays = fields.list(`${field}.weekdays`, given.weekdays, [...WEEKDAYS], /^[a-z]+$/, WEEKDAYS.join(', '));
  for (const day of weekdays.filter((name) => !(WEEKDAYS as readonly string[]).includes(name))) {
    fields.reader.problem(`${field}.weekdays`, day, `is not a weekday (expected one of ${WEEKDAYS.join(', ')})`);
  }
  const severities = fields.list(
    `${field}.severities`,
    given.severities,
    [...defaults.severities],
    /./,
    defaults.allowed.join(', '),
  );
  for (const severity of severities.filter((name) => !(defaults.allowed as readonly string[]).includes(name))) {
    const known = (SEVERITIES as readonly string[]).includes(severity);
    fields.reader.problem(
      `${field}.severities`,
      severity,
      known ? defaults.refusal : `is not a severity (expected some of ${defaults.allowed.join(', ')})`,
    );
  }
  // An empty list given on purpose is a mistake either way: no severity held is a window that does
  // nothing, and no weekday would be read by Alertmanager as every day.
  for (const [list, values, meaning] of [
    ['weekdays', weekdays, 'leave it out for every day'],
    ['severities', severities, 'a window that holds no severity does nothing'],
  ] as const) {
    if (values.length === 0) fields.reader.problem(`${field}.${list}`, '[]', `is empty: ${meaning}`);
  }
  return {
    from: from as ClockTime,
    to: to as ClockTime,
    timeZone: parseTimeZone(`${field}.timeZone`, given.timeZone, defaults.timeZone, fields),
    weekdays: weekdays.filter((day): day is Weekday => (WEEKDAYS as readonly string[]).includes(day)),
    severities: severities.filter((severity) => defaults.allowed.includes(severity as Severity)) as Severity[],
  };
}

const WINDOW_KEYS = ['from', 'to', 'timeZone', 'weekdays', 'severities'];

/** `alerting.quietHours`: none unless given; `from` and `to` are then both needed. */
export function parseQuietHours(raw: unknown, timeZone: string, fields: Fields): QuietHours | undefined {
  if (raw === undefined) return undefined;
  const given = fields.section('alerting.quietHours', raw);
  fields.onlyKnownKeys('alerting.quietHours', given, WINDOW_KEYS);
  requireTimes('alerting.quietHours', given, fields);
  return parseDailyWindow('alerting.quietHours', given, fields, {
    timeZone,
    severities: QUIETABLE_SEVERITIES,
    allowed: QUIETABLE_SEVERITIES,
    refusal: `is not held in quiet hours: critical alerts are always delivered (expected some of ${QUIETABLE_SEVERITIES.join(', ')})`,
  });
}

/** `alerting.maintenanceWindows`: a list of named windows, names unique. */
export function parseMaintenanceWindows(raw: unknown, timeZone: string, fields: Fields): MaintenanceWindow[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    fields.reader.problem(
      'alerting.maintenanceWindows',
      undefined,
      'is not a list of {name, from, to, weekdays, severities, timeZone}',
    );
    return [];
  }
  const taken = new Set([QUIET_HOURS_NAME]);
  return raw.map((item, i) => {
    const field = `alerting.maintenanceWindows[${i}]`;
    const given = fields.section(field, item);
    fields.onlyKnownKeys(field, given, ['name', ...WINDOW_KEYS]);
    requireTimes(field, given, fields);
    const name = fields.string(
      `${field}.name`,
      given.name ?? '',
      '',
      WINDOW_NAME,
      'a name of lower-case letters, digits and - (at most 63)',
    );
    if (taken.has(name))
      fields.reader.problem(
        `${field}.name`,
        name,
        name === QUIET_HOURS_NAME ? 'is the name of the quiet hours' : 'names another maintenance window too',
      );
    taken.add(name);
    return {
      name,
      ...parseDailyWindow(field, given, fields, {
        timeZone,
        severities: SEVERITIES,
        allowed: SEVERITIES,
        refusal: `is not a severity (expected some of ${SEVERITIES.join(', ')})`,
      }),
    };
  });
}

/** A window without `from` or `to` says nothing about when it is: both are needed. */
function requireTimes(field: string, given: RawSection, fields: Fields): void {
  for (const key of ['from', 'to'] as const) {
    if (given[key] === undefined) fields.reader.problem(`${field}.${key}`, undefined, 'is needed (a time HH:MM)');
  }
}
