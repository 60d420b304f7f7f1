/**
 * The arithmetic of the dead man's switch when Telegram refuses (domain/alerting/dead-mans-switch.ts),
 * with the settings the stack deploys: from the first refused message, the heartbeat service raises
 * its alarm within 20 minutes whatever the message's severity. The loopback test
 * (telegram-outage-loopback.test.ts) holds the real programs to the same chain, scaled.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseMonitoringConfig } from '../config/monitoring-config';
import { Duration } from '../core/duration';
import { SEVERITIES } from '../core/severity';
import {
  ALERTMANAGER_MIN_NOTIFY_TIMEOUT,
  RECOMMENDED_HEARTBEAT_CHECK,
  deadMansSwitchChain,
  deadMansSwitchInput,
  notifyTimeout,
} from '../domain/alerting';

const config = parseMonitoringConfig();
const input = deadMansSwitchInput(config.alerting, config.prometheus);
const chain = (severity: (typeof SEVERITIES)[number]) => deadMansSwitchChain(input, severity);

describe("the dead man's switch when Telegram refuses every message", () => {
  test('deployed inputs: 15 s scrape and evaluation, for 3m, a 15m window, a heartbeat check of 1m + 5m grace', () => {
    expect(input).toMatchObject({
      scrapeInterval: Duration.seconds(15),
      evaluationInterval: Duration.seconds(15),
      alertFor: Duration.minutes(3),
      alertWindow: Duration.minutes(15),
      heartbeatCheck: RECOMMENDED_HEARTBEAT_CHECK,
    });
    expect(input.watchdog.groupInterval).toEqual(Duration.minutes(1));
  });

  test('Alertmanager counts a failure after retrying for the route group_interval, never under 10 s', () => {
    expect(SEVERITIES.map((severity) => notifyTimeout(config.alerting.timings[severity]).toString())).toEqual([
      '1m',
      '5m',
      '10m',
    ]);
    const fast = {
      groupWait: Duration.seconds(0),
      groupInterval: Duration.seconds(3),
      repeatInterval: Duration.hours(1),
    };
    expect(notifyTimeout(fast)).toEqual(ALERTMANAGER_MIN_NOTIFY_TIMEOUT);
  });

  test('the heartbeat service alarms within 20 minutes of the first refused message, whatever its severity', () => {
    expect(SEVERITIES.map((severity) => [severity, chain(severity).heartbeatStops.toString()])).toEqual([
      ['critical', '4m45s'],
      ['warning', '8m45s'],
      ['info', '13m45s'],
    ]);
    expect(SEVERITIES.map((severity) => chain(severity).alarm.toString())).toEqual(['10m45s', '14m45s', '19m45s']);
    for (const severity of SEVERITIES)
      expect(chain(severity).alarm.compare(Duration.minutes(20))).toBeLessThanOrEqual(0);
  });

  test('the heartbeat is back at most 18 minutes after Telegram accepts again (the failures leave the 15m window)', () => {
    for (const severity of SEVERITIES) expect(chain(severity).heartbeatResumes.toString()).toBe('18m');
  });

  test.each(['docs/runbooks/AlertmanagerNotificationsFailing.md', 'README.md'])('%s states these numbers', (path) => {
    const text = readFileSync(join(__dirname, '..', path), 'utf8');
    const numbers = [...SEVERITIES.map((severity) => chain(severity).alarm), chain('critical').heartbeatResumes];
    expect(numbers.map(String).filter((number) => !text.includes(number))).toEqual([]);
  });
});
