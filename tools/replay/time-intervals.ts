/**
 * Alertmanager's time intervals (`time_intervals:`, read by `mute_time_intervals` and
 * `active_time_intervals` of a route), with the semantics of its timeinterval package
 * (v0.25.0 timeinterval/timeinterval.go, ContainsTime): every field given must match, a field
 * matches when any of its ranges holds, ranges are inclusive but `times` end exclusive, negative
 * days of the month count from its end, and all is read in `location` (default UTC).
 */
import { ReplayTimeRange } from './rule-set';

const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** A moment as a wall clock in one time zone shows it. */
export interface WallClock {
  year: number;
  /** 1-12. */
  month: number;
  /** 1-31. */
  day: number;
  /** 0 = Sunday, as Go's time.Weekday. */
  weekday: number;
  /** Minutes since midnight. */
  minute: number;
  daysInMonth: number;
}

const clockFormats = new Map<string, Intl.DateTimeFormat>();

/** The wall clock of `at` (ms since the epoch) in IANA zone `zone`; throws RangeError for an unknown zone. */
export function wallClock(at: number, zone: string): WallClock {
  let format = clockFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'long',
    });
    clockFormats.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(at)).map((part) => [part.type, part.value]));
  const year = Number(parts.year);
  const month = Number(parts.month);
  return {
    year,
    month,
    day: Number(parts.day),
    weekday: WEEKDAYS.indexOf(String(parts.weekday).toLowerCase()),
    minute: Number(parts.hour) * 60 + Number(parts.minute),
    daysInMonth: new Date(Date.UTC(year, month, 0)).getUTCDate(),
  };
}

/** `HH:MM` as minutes since midnight (24:00 allowed, as Alertmanager allows it). */
function minutes(text: string, field: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(text);
  if (!match || Number(match[1]) > 24 || Number(match[2]) > 59)
    throw new RangeError(`time interval ${field}: "${text}" is not HH:MM`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** `a:b` or `a` as an inclusive range, each end read by `member`. */
function range(text: string, member: (part: string) => number): [number, number] {
  const parts = text.toLowerCase().split(':');
  if (parts.length > 2) throw new RangeError(`time interval range "${text}" has more than one ':'`);
  const begin = member(parts[0]);
  return [begin, parts.length === 2 ? member(parts[1]) : begin];
}

function named(names: readonly string[], offset: number, field: string) {
  return (part: string): number => {
    const index = names.indexOf(part);
    if (index >= 0) return index + offset;
    const number = Number(part);
    if (part !== '' && Number.isInteger(number)) return number;
    throw new RangeError(`time interval ${field}: "${part}" is not one of ${names.join(', ')}`);
  };
}

function integer(field: string) {
  return (part: string): number => {
    const number = Number(part);
    if (part === '' || !Number.isInteger(number))
      throw new RangeError(`time interval ${field}: "${part}" is not a number`);
    return number;
  };
}

/** Whether the moment `at` (ms) falls in the time range, as Alertmanager 0.25 decides it. */
export function inTimeRange(at: number, timeRange: ReplayTimeRange): boolean {
  const clock = wallClock(at, timeRange.location ?? 'UTC');
  const any = <T>(items: readonly T[] | undefined, holds: (item: T) => boolean) =>
    items === undefined || items.some(holds);
  return (
    any(timeRange.times, (span) => {
      const start = minutes(span.start_time, 'times.start_time');
      return clock.minute >= start && clock.minute < minutes(span.end_time, 'times.end_time');
    }) &&
    any(timeRange.days_of_month, (text) => {
      const [first, last] = range(text, integer('days_of_month'));
      const begin = first < 0 ? clock.daysInMonth + first + 1 : first;
      const end = last < 0 ? clock.daysInMonth + last + 1 : last;
      return begin <= clock.daysInMonth && clock.day >= begin && clock.day <= Math.min(end, clock.daysInMonth);
    }) &&
    any(timeRange.months, (text) => {
      const [begin, end] = range(text, named(MONTHS, 1, 'months'));
      return clock.month >= begin && clock.month <= end;
    }) &&
    any(timeRange.weekdays, (text) => {
      const [begin, end] = range(text, named(WEEKDAYS, 0, 'weekdays'));
      return clock.weekday >= begin && clock.weekday <= end;
    }) &&
    any(timeRange.years, (text) => {
      const [begin, end] = range(text, integer('years'));
      return clock.year >= begin && clock.year <= end;
    })
  );
}
