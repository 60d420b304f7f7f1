/**
 * Quiet hours and maintenance windows: validated like every setting, rendered to Alertmanager's
 * `time_intervals` and the routes' `mute_time_intervals`, accepted by amtool (every time zone the
 * validation lets through), and proven on the real Alertmanager (Debian's 0.25): a warning raised
 * inside quiet hours is delivered when they end, a critical at once.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { ALERTMANAGER_CONFIG_FILE, holdingNow, renderAlertmanagerFiles, telegramReceiver } from '../domain/alerting';
import { AlertmanagerConfigFile } from '../domain/alerting/model';
import { ConfigError } from '../config/errors';
import { loadMonitoringConfig } from '../config/load';
import { RawMonitoringConfig, parseMonitoringConfig } from '../config/monitoring-config';
import { WEEKDAYS, isTimeZone } from '../config/time-windows';
import { FakeTelegram, SentMessage } from '../testing/fake-telegram';
import { ProcessGroup, describeWithBinaries, freePort, sleep, waitForHttpOk } from '../testing/processes';

const SECRETS = {
  telegramBotToken: '123456:TEST-not-a-token',
  telegramChatIds: { critical: '-1001', warning: '-1002', info: '-1003' },
};

function problems(raw: RawMonitoringConfig): string {
  try {
    parseMonitoringConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

function rendered(raw: RawMonitoringConfig): AlertmanagerConfigFile {
  const [file] = renderAlertmanagerFiles(parseMonitoringConfig(raw).alerting, SECRETS);
  return parse(file.content) as AlertmanagerConfigFile;
}

const mutedRoutes = (config: AlertmanagerConfigFile) =>
  Object.fromEntries((config.route.routes ?? []).map((route) => [route.receiver, route.mute_time_intervals ?? []]));

describe('quiet hours and maintenance windows: settings', () => {
  test('none by default: no time_intervals, no route muted', () => {
    const config = rendered({});
    expect(config.time_intervals).toBeUndefined();
    expect(Object.values(mutedRoutes(config)).flat()).toEqual([]);
  });

  test('quiet hours from the environment, in the team time zone, hold warning and info only', () => {
    const config = loadMonitoringConfig({
      QUIET_HOURS_FROM: '23:00',
      QUIET_HOURS_TO: '08:00',
      ALERTING_TIME_ZONE: 'Europe/Moscow',
    });
    expect(config.alerting.quietHours).toEqual({
      from: '23:00',
      to: '08:00',
      timeZone: 'Europe/Moscow',
      weekdays: ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'],
      severities: ['warning', 'info'],
    });
    const [file] = renderAlertmanagerFiles(config.alerting, SECRETS);
    const parsed = parse(file.content) as AlertmanagerConfigFile;
    // Past midnight: two ranges of one day each, on Moscow's clock.
    expect(parsed.time_intervals).toEqual([
      {
        name: 'quiet-hours',
        time_intervals: [
          { times: [{ start_time: '23:00', end_time: '24:00' }], location: 'Europe/Moscow' },
          { times: [{ start_time: '00:00', end_time: '08:00' }], location: 'Europe/Moscow' },
        ],
      },
    ]);
    expect(mutedRoutes(parsed)).toMatchObject({
      [telegramReceiver('critical')]: [],
      [telegramReceiver('warning')]: ['quiet-hours'],
      [telegramReceiver('info')]: ['quiet-hours'],
      watchdog: [],
    });
  });

  test('maintenance windows: by name, weekdays (a night carries them to the next day), severities, own time zone', () => {
    const config = rendered({
      alerting: {
        timeZone: 'Asia/Kathmandu',
        maintenanceWindows: [
          { name: 'weekly-backup', from: '22:30', to: '01:00', weekdays: ['saturday', 'wednesday'] },
          { name: 'nightly-restart', from: '04:00', to: '04:15', severities: ['warning'], timeZone: 'UTC' },
          { name: 'evening', from: '18:00', to: '00:00', weekdays: ['monday'] },
        ],
      },
    });
    expect(config.time_intervals).toEqual([
      {
        name: 'weekly-backup',
        time_intervals: [
          {
            times: [{ start_time: '22:30', end_time: '24:00' }],
            weekdays: ['saturday', 'wednesday'],
            location: 'Asia/Kathmandu',
          },
          {
            times: [{ start_time: '00:00', end_time: '01:00' }],
            weekdays: ['sunday', 'thursday'],
            location: 'Asia/Kathmandu',
          },
        ],
      },
      {
        name: 'nightly-restart',
        time_intervals: [{ times: [{ start_time: '04:00', end_time: '04:15' }], location: 'UTC' }],
      },
      // Up to midnight is one range on the same day.
      {
        name: 'evening',
        time_intervals: [
          { times: [{ start_time: '18:00', end_time: '24:00' }], weekdays: ['monday'], location: 'Asia/Kathmandu' },
        ],
      },
    ]);
    expect(mutedRoutes(config)).toMatchObject({
      [telegramReceiver('critical')]: ['weekly-backup', 'evening'],
      [telegramReceiver('warning')]: ['weekly-backup', 'nightly-restart', 'evening'],
      [telegramReceiver('info')]: ['weekly-backup', 'evening'],
      watchdog: [],
    });
  });

  test('bad values are refused, each naming the field and the value', () => {
    const message = problems({
      alerting: {
        timeZone: 'europe/moscow',
        quietHours: { from: '8:00', to: '24:00', severities: ['critical', 'info', 'warn'] },
        maintenanceWindows: [
          { name: 'quiet-hours', from: '02:00', to: '02:00', weekdays: ['sunday', 'funday'] },
          { name: 'Backup Night', from: '25:00', to: '03:00', timeZone: 'Mars/Olympus' },
          { name: 'db', to: '03:00', severities: ['page'] },
          { name: 'db', from: '01:00', to: '03:00', timeZone: 'Local' },
          { name: 'nothing', from: '01:00', to: '03:00', weekdays: [], severities: [] },
        ],
      },
    });
    const expected = [
      'alerting.timeZone: "europe/moscow" is not valid: expected an IANA time zone name',
      'alerting.quietHours.from: "8:00" is not valid: expected a time HH:MM from 00:00 to 23:59',
      'alerting.quietHours.severities: "critical" is not held in quiet hours: critical alerts are always delivered',
      'alerting.quietHours.severities: "warn" is not a severity (expected some of warning, info)',
      'alerting.maintenanceWindows[0].name: "quiet-hours" is the name of the quiet hours',
      'alerting.maintenanceWindows[0].to: "02:00" is the time the window starts (from 02:00): it would be empty',
      'alerting.maintenanceWindows[0].weekdays: "funday" is not a weekday',
      'alerting.maintenanceWindows[1].name: "Backup Night" is not valid: expected a name of lower-case letters',
      'alerting.maintenanceWindows[1].from: "25:00" is not valid',
      'alerting.maintenanceWindows[1].timeZone: "Mars/Olympus" is not valid',
      'alerting.maintenanceWindows[2].from: is needed (a time HH:MM)',
      'alerting.maintenanceWindows[2].severities: "page" is not a severity',
      'alerting.maintenanceWindows[3].name: "db" names another maintenance window too',
      'alerting.maintenanceWindows[3].timeZone: "Local" is not valid',
      'alerting.maintenanceWindows[4].weekdays: "[]" is empty: leave it out for every day',
      'alerting.maintenanceWindows[4].severities: "[]" is empty: a window that holds no severity does nothing',
    ];
    for (const line of expected) expect(message).toContain(line);
    expect(message.split('\n').length - 1).toBe(expected.length);
  });

  test('a variable names itself in the problem', () => {
    expect(() => loadMonitoringConfig({ QUIET_HOURS_FROM: '23:00', ALERTING_TIME_ZONE: 'Moscow' })).toThrow(
      /ALERTING_TIME_ZONE \(setting alerting\.timeZone\): "Moscow" is not valid[\s\S]*alerting\.quietHours\.to: is needed/,
    );
  });

  test('time zone names: the IANA database with its capitals, not Local', () => {
    for (const name of [
      'UTC',
      'Europe/Moscow',
      'America/Argentina/Buenos_Aires',
      'Etc/GMT+3',
      'America/Port-au-Prince',
    ])
      expect([name, isTimeZone(name)]).toEqual([name, true]);
    for (const name of ['Europe/MOSCOW', 'europe/moscow', 'Local', 'GMT+3', '+03:00', 'Moscow', 'Europe/Moscow '])
      expect([name, isTimeZone(name)]).toEqual([name, false]);
  });
});

describe('which windows hold a severity now (what npm run check -- --test-telegram tells)', () => {
  const settings = parseMonitoringConfig({
    alerting: {
      timeZone: 'Europe/Moscow',
      quietHours: { from: '23:00', to: '08:00' },
      maintenanceWindows: [
        { name: 'weekly-backup', from: '22:30', to: '01:00', weekdays: ['saturday'], timeZone: 'UTC' },
      ],
    },
  }).alerting;

  test('quiet hours on the team clock: 21:30 UTC is 00:30 in Moscow, held; 12:00 UTC is 15:00, not', () => {
    const night = new Date('2026-11-30T21:30:00Z');
    expect(holdingNow(settings, 'warning', night)).toEqual(['quiet-hours until 08:00 (Europe/Moscow)']);
    expect(holdingNow(settings, 'critical', night)).toEqual([]);
    expect(holdingNow(settings, 'warning', new Date('2026-11-30T12:00:00Z'))).toEqual([]);
  });

  test('a window past midnight holds the next morning of its weekdays only, and ends at its end', () => {
    // Sunday 00:30 UTC follows Saturday's 22:30 start; Monday 00:30 follows a Sunday, not a window day.
    expect(holdingNow(settings, 'critical', new Date('2026-11-29T00:30:00Z'))).toEqual([
      'weekly-backup until 01:00 (UTC)',
    ]);
    expect(holdingNow(settings, 'critical', new Date('2026-11-30T00:30:00Z'))).toEqual([]);
    expect(holdingNow(settings, 'critical', new Date('2026-11-29T01:00:00Z'))).toEqual([]);
  });
});

describeWithBinaries('amtool on time intervals', ['amtool'], () => {
  const processes = new ProcessGroup();
  afterAll(() => processes.stopAll());

  test('check-config accepts the rendered intervals, with every time zone the validation accepts', () => {
    const zones = Intl.supportedValuesOf('timeZone').filter(isTimeZone);
    expect(zones.length).toBeGreaterThan(300);
    const config = parseMonitoringConfig({
      alerting: {
        quietHours: { from: '23:00', to: '08:00', timeZone: 'Europe/Moscow' },
        maintenanceWindows: zones.map((timeZone, i) => ({
          name: `zone-${i}`,
          from: '22:00',
          to: '02:00',
          weekdays: ['saturday'],
          timeZone,
        })),
      },
    });
    const dir = processes.tempDir('stm-amtool-intervals-');
    const check = (content: string) => {
      const file = join(dir, 'alertmanager.yml');
      writeFileSync(file, content);
      return spawnSync('amtool', ['check-config', file], { encoding: 'utf8', timeout: 20_000 });
    };
    const content = renderAlertmanagerFiles(config.alerting, SECRETS)[0].content;
    const accepted = check(content);
    expect(accepted.stderr).toBe('');
    expect(accepted.status).toBe(0);
    // It does read the locations: a zone spelt with other capitals, which ICU resolves, is not found.
    const refused = check(content.replace('location: Europe/Moscow', 'location: Europe/MOSCOW'));
    expect(refused.status).not.toBe(0);
    expect(refused.stdout + refused.stderr).toContain('unknown time zone Europe/MOSCOW');
  });
});

/** Minutes since midnight of `date` on the clock of `timeZone`. */
function minuteOfDay(date: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(date)
    .reduce<Record<string, string>>((out, part) => ({ ...out, [part.type]: part.value }), {});
  return Number(parts.hour) * 60 + Number(parts.minute);
}

/** The weekdays other than today's and tomorrow's on the clock of `timeZone`. */
function otherDays(now: Date, timeZone: string): string[] {
  const weekday = (date: Date) =>
    new Intl.DateTimeFormat('en', { timeZone, weekday: 'long' }).format(date).toLowerCase();
  const near = [weekday(now), weekday(new Date(now.getTime() + 86_400_000))];
  return WEEKDAYS.filter((day) => !near.includes(day));
}

const clock = (minute: number) =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;

describeWithBinaries('quiet hours on the real Alertmanager', ['prometheus-alertmanager'], () => {
  /** Not UTC, and not a whole number of hours from it: the window only covers now if `location` is honoured. */
  const TIME_ZONE = 'Asia/Kathmandu';
  /** Warning: group_wait 0.5 s, group_interval 5 s (minutes as seconds). */
  const TIME_SCALE = 1 / 60;
  const FLUSH_INTERVAL_MS = 5_000;
  const processes = new ProcessGroup();
  let telegram: FakeTelegram;
  let alertmanager: string;
  /** When the quiet hours end, in ms since the epoch. */
  let quietEnds: number;

  beforeAll(async () => {
    // Quiet from the start of this minute to the next minute boundary at least 20 s away (minutes are their grain).
    const now = new Date();
    const secondsLeft = 60 - now.getUTCSeconds();
    const length = secondsLeft >= 20 ? 1 : 2;
    const start = minuteOfDay(now, TIME_ZONE);
    quietEnds = Math.ceil(now.getTime() / 60_000) * 60_000 + (length - 1) * 60_000;
    telegram = await FakeTelegram.start();
    const config = parseMonitoringConfig({
      alerting: {
        timeZone: TIME_ZONE,
        quietHours: { from: clock(start), to: clock((start + length) % (24 * 60)) },
        // Critical is held all day on other days only: today (and tomorrow, should the test pass midnight) it is delivered at once.
        maintenanceWindows: [{ name: 'other-days', from: '00:00', to: '24:00', weekdays: otherDays(now, TIME_ZONE) }],
      },
    });
    const dir = processes.tempDir('stm-quiet-hours-');
    for (const file of renderAlertmanagerFiles(config.alerting, SECRETS, {
      configDir: dir,
      timeScale: TIME_SCALE,
      telegramApiUrl: telegram.url,
    })) {
      mkdirSync(dirname(join(dir, file.path)), { recursive: true });
      writeFileSync(join(dir, file.path), file.content);
    }
    alertmanager = `http://127.0.0.1:${await freePort()}`;
    processes.start('alertmanager', 'prometheus-alertmanager', [
      `--config.file=${join(dir, ALERTMANAGER_CONFIG_FILE)}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=${alertmanager.slice('http://'.length)}`,
      '--cluster.listen-address=',
    ]);
    await waitForHttpOk(`${alertmanager}/-/ready`);
  });

  afterAll(async () => {
    await processes.stopAll();
    await telegram?.stop();
  });

  async function post(alerts: { labels: Record<string, string>; endsAt?: string }[]): Promise<void> {
    const response = await fetch(`${alertmanager}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(alerts.map((alert) => ({ ...alert, annotations: { summary: alert.labels.alertname } }))),
    });
    expect(response.status).toBe(200);
  }
  const about = (instance: string) => (message: SentMessage) => message.text.includes(`<code>${instance}</code>`);

  test('a warning raised inside quiet hours is delivered when they end; a critical at once; one resolved meanwhile never', async () => {
    const raisedAt = Date.now();
    expect(quietEnds - raisedAt).toBeGreaterThan(15_000);
    const healed = { labels: { alertname: 'HighMemoryUsage', severity: 'warning', instance: 'healed:1' } };
    await post([
      { labels: { alertname: 'HighCPUUsage', severity: 'warning', instance: 'night:1' } },
      { labels: { alertname: 'CriticalDiskUsage', severity: 'critical', instance: 'night:2' } },
      healed,
    ]);
    const [critical] = await telegram.waitForDelivered('the critical alert', about('night:2'), 1, 5_000);
    expect(critical.receivedAt - raisedAt).toBeLessThan(3_000);
    // A few warning flushes pass inside the quiet hours: nothing is sent.
    await sleep(2 * FLUSH_INTERVAL_MS);
    expect(telegram.attempts.filter(about('night:1'))).toEqual([]);
    await post([{ ...healed, endsAt: new Date().toISOString() }]);

    const [warning] = await telegram.waitForDelivered(
      'the warning once the quiet hours end',
      about('night:1'),
      1,
      quietEnds - Date.now() + FLUSH_INTERVAL_MS + 5_000,
    );
    expect(warning.chatId).toBe(SECRETS.telegramChatIds.warning);
    expect(warning.receivedAt).toBeGreaterThanOrEqual(quietEnds);
    expect(warning.receivedAt - quietEnds).toBeLessThan(FLUSH_INTERVAL_MS + 2_000);
    await sleep(FLUSH_INTERVAL_MS);
    expect(telegram.attempts.filter(about('healed:1'))).toEqual([]);
  }, 150_000);
});
