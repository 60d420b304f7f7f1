/**
 * Quiet hours and maintenance windows as Alertmanager's `time_intervals`, and which of them mute
 * the route of each severity. Alertmanager decides when a group flushes (group_wait, then every
 * group_interval): inside a muting interval it sends nothing and logs nothing, so the first flush
 * after the interval ends sends what still fires; what resolved in the meantime is never sent.
 */
import { AlertingSettings } from '../../config/alerting-settings';
import { ClockTime, DailyWindow, QUIET_HOURS_NAME, WEEKDAYS, Weekday, minutesOf } from '../../config/time-windows';
import { SEVERITIES, Severity } from '../../core/severity';
import { NamedTimeInterval, TimeIntervalSpec } from './model';

const MIDNIGHT = '00:00' as ClockTime;
const END_OF_DAY = '24:00' as ClockTime;

/** The windows of the settings with the time interval name each renders to, quiet hours first. */
function namedWindows(settings: AlertingSettings): { name: string; window: DailyWindow }[] {
  return [
    ...(settings.quietHours ? [{ name: QUIET_HOURS_NAME, window: settings.quietHours }] : []),
    ...settings.maintenanceWindows.map((window) => ({ name: window.name, window })),
  ];
}

/** Every weekday is the same as none: Alertmanager then matches any day. */
function weekdaysField(days: readonly Weekday[]): Pick<TimeIntervalSpec, 'weekdays'> {
  return days.length === WEEKDAYS.length ? {} : { weekdays: [...days] };
}

function nextDay(day: Weekday): Weekday {
  return WEEKDAYS[(WEEKDAYS.indexOf(day) + 1) % WEEKDAYS.length];
}

/**
 * A daily window as Alertmanager's intervals: its `times` must start before they end within one
 * day, so a window past midnight is two, the second on the following weekdays.
 */
export function timeIntervalSpecs(window: DailyWindow): TimeIntervalSpec[] {
  // Ending at midnight is ending at 24:00 of the same day: nothing of it is on the next.
  const to = window.to === MIDNIGHT ? END_OF_DAY : window.to;
  const location = { location: window.timeZone };
  if (minutesOf(to) > minutesOf(window.from)) {
    return [{ times: [{ start_time: window.from, end_time: to }], ...weekdaysField(window.weekdays), ...location }];
  }
  return [
    { times: [{ start_time: window.from, end_time: END_OF_DAY }], ...weekdaysField(window.weekdays), ...location },
    {
      times: [{ start_time: MIDNIGHT, end_time: window.to }],
      ...weekdaysField(window.weekdays.map(nextDay)),
      ...location,
    },
  ];
}

/** Alertmanager's top-level `time_intervals`: one per window, named as the routes refer to it. */
export function buildTimeIntervals(settings: AlertingSettings): NamedTimeInterval[] {
  return namedWindows(settings).map(({ name, window }) => ({ name, time_intervals: timeIntervalSpecs(window) }));
}

/** Per severity, the time intervals that mute its route (none for critical unless a maintenance window names it). */
export function mutingIntervals(settings: AlertingSettings): Record<Severity, string[]> {
  const windows = namedWindows(settings);
  return Object.fromEntries(
    SEVERITIES.map((severity) => [
      severity,
      windows.filter(({ window }) => window.severities.includes(severity)).map(({ name }) => name),
    ]),
  ) as Record<Severity, string[]>;
}

/** The weekday and minute of the day `now` is on the clock of `timeZone`. */
function clockIn(now: Date, timeZone: string): { weekday: Weekday; minute: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'long',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(now)
      .map((part) => [part.type, part.value]),
  );
  return { weekday: parts.weekday.toLowerCase() as Weekday, minute: Number(parts.hour) * 60 + Number(parts.minute) };
}

/** Whether `now` is inside the window, read as `timeIntervalSpecs` renders it for Alertmanager. */
function holds(window: DailyWindow, now: Date): boolean {
  const { weekday, minute } = clockIn(now, window.timeZone);
  const start = minutesOf(window.from);
  const end = window.to === MIDNIGHT ? minutesOf(END_OF_DAY) : minutesOf(window.to);
  if (end > start) return window.weekdays.includes(weekday) && minute >= start && minute < end;
  const dayBefore = WEEKDAYS[(WEEKDAYS.indexOf(weekday) + WEEKDAYS.length - 1) % WEEKDAYS.length];
  return (
    (window.weekdays.includes(weekday) && minute >= start) || (window.weekdays.includes(dayBefore) && minute < end)
  );
}

/**
 * The windows that hold alerts of `severity` at `now`, each as `<name> until <to> (<time zone>)`:
 * what `npm run check -- --test-telegram` tells when its test message will wait.
 */
export function holdingNow(settings: AlertingSettings, severity: Severity, now: Date): string[] {
  return namedWindows(settings)
    .filter(({ window }) => window.severities.includes(severity) && holds(window, now))
    .map(({ name, window }) => `${name} until ${window.to} (${window.timeZone})`);
}
