/**
 * The timing profile of the loopback stack: the project's own rules and routing with every `for`,
 * group interval and Alertmanager timing scaled from minutes to seconds, expression windows scaled
 * further, and Prometheus scraping and evaluating fast enough that a drill's time-to-notify is
 * dominated by those scaled timings rather than by the pipeline's sampling.
 *
 * Why two scales: a ratio or silence alert can only become true once its window has rolled over
 * the fault (`rate(...[5m])` rises over 5 minutes), so windows shrink to a few scrape intervals,
 * while `for` and group_wait stay long enough to dwarf one scrape plus one evaluation.
 */
import { AlertName, DeadMansSwitchInput, WATCHDOG_TIMINGS, alertRule, deadMansSwitchInput } from '../domain/alerting';
import { NotificationTimings } from '../config/alerting-settings';
import { Duration } from '../core/duration';
import { MonitoringConfig, PrometheusSettings } from '../config/monitoring-config';
import { RenderedFile } from '../core/rendered-file';
import { Expr } from '../domain/metrics';
import { LinkOptions, RULE_GROUPS, RuleGroup, RuleGroupName, renderRuleFiles } from '../domain/rules';
import { SEVERITIES, Severity } from '../core/severity';

export interface TimingProfile {
  /** Prometheus' global scrape and evaluation timing. */
  prometheus: Pick<PrometheusSettings, 'scrapeInterval' | 'scrapeTimeout' | 'evaluationInterval'>;
  /** `--rules.alert.resend-delay`: how often Prometheus re-sends a firing alert to Alertmanager. */
  resendDelay: Duration;
  /** Multiplies every rule `for` and group interval, and every Alertmanager timing. */
  timeScale: number;
  /** Multiplies the range windows of rule expressions (`[5m]`), never below `minWindow`. */
  windowScale: number;
  /** Shortest window: enough scrape intervals that `rate` always sees several samples. */
  minWindow: Duration;
}

const DRILL_SCRAPE_INTERVAL = Duration.millis(1500);

/**
 * The drills' profile: minutes become ten seconds (a 1 m `for` is 10 s, critical group_wait 1.7 s),
 * windows become seconds (`[5m]` is 6 s, the 30 min sync silence 15 s). The scrape timeout stays
 * above postgres_exporter's ~1 s answer while PostgreSQL is down (see the PostgreSQLDown drills).
 */
export const DRILL_PROFILE: TimingProfile = {
  prometheus: {
    scrapeInterval: DRILL_SCRAPE_INTERVAL,
    scrapeTimeout: DRILL_SCRAPE_INTERVAL,
    evaluationInterval: Duration.millis(500),
  },
  resendDelay: Duration.seconds(2),
  timeScale: 1 / 6,
  windowScale: 1 / 120,
  minWindow: Duration.millis(DRILL_SCRAPE_INTERVAL.millis * 4),
};

/**
 * The bench's profile: minutes become 15 s. Detection costs up to one scrape interval, one
 * evaluation interval and the slow exporter's ~1 s answer (3 s here) whatever the scale; a
 * critical 1 m alert's floor of 17.5 s keeps that under the 20 % the target allows (11.7 s under
 * DRILL_PROFILE does not), at the cost of a longer run than `npm run e2e` may take.
 */
export const BENCH_PROFILE: TimingProfile = { ...DRILL_PROFILE, timeScale: 1 / 4 };

/** Prometheus' `--rules.alert.resend-delay` when not set, as the stack runs it. */
const PROMETHEUS_RESEND_DELAY = Duration.minutes(1);

/**
 * The deployed timings, nothing scaled: the configuration's scrape, evaluation and timeout, every
 * `for`, window and Alertmanager timing as written. What the Docker harness's drills run at.
 */
export function deployedProfile(config: MonitoringConfig): TimingProfile {
  const { scrapeInterval, scrapeTimeout, evaluationInterval } = config.prometheus;
  return {
    prometheus: { scrapeInterval, scrapeTimeout, evaluationInterval },
    resendDelay: PROMETHEUS_RESEND_DELAY,
    timeScale: 1,
    windowScale: 1,
    minWindow: Duration.millis(0),
  };
}

/** A range window as the profile runs it. */
export function scaledWindow(window: Duration, profile: TimingProfile): Duration {
  const scaled = window.times(profile.windowScale);
  return scaled.compare(profile.minWindow) < 0 ? profile.minWindow : scaled;
}

/** `expr` with every range window (`[5m]`) and offset (`offset 30m`), outside quoted strings, scaled by the profile. */
export function scaleWindows(expr: string, profile: TimingProfile): string {
  // Quoted label values first, so a `[` inside a matcher's regex is left alone.
  return expr.replace(
    /"(?:[^"\\]|\\.)*"|\[([0-9a-z]+)\]|offset ([0-9a-z]+)/g,
    (whole, window: string | undefined, offset: string | undefined) => {
      if (window !== undefined) return `[${scaledWindow(Duration.parse(window), profile)}]`;
      if (offset !== undefined) return `offset ${scaledWindow(Duration.parse(offset), profile)}`;
      return whole;
    },
  );
}

function withScaledWindows<R extends { expr: Expr<string, string> }>(rule: R, profile: TimingProfile): R {
  return { ...rule, expr: new Expr(scaleWindows(rule.expr.text, profile), rule.expr.metrics, rule.expr.precedence) };
}

/** The project's rule groups (or those named) with the profile's windows; `for` is scaled at render. */
export function profiledRuleGroups(profile: TimingProfile, names?: readonly RuleGroupName[]): RuleGroup[] {
  return RULE_GROUPS.filter((group) => !names || names.includes(group.name as RuleGroupName)).map((group) => ({
    ...group,
    rules: group.rules.map((rule) => withScaledWindows(rule, profile)),
  }));
}

/** The rule files Prometheus loads under the profile (paths `rules/<group>.yml`): all groups, or those named. */
export function renderProfiledRuleFiles(
  profile: TimingProfile,
  options: { groups?: readonly RuleGroupName[] } & LinkOptions = {},
): RenderedFile[] {
  return renderRuleFiles(profiledRuleGroups(profile, options.groups), { ...options, timeScale: profile.timeScale });
}

/** Alertmanager's timings of a severity's route under the profile. */
export function profiledNotificationTimings(
  config: MonitoringConfig,
  severity: Severity,
  profile: TimingProfile,
): NotificationTimings {
  return scaledTimings(config.alerting.timings[severity], profile);
}

function scaledTimings(timings: NotificationTimings, profile: TimingProfile): NotificationTimings {
  return {
    groupWait: timings.groupWait.times(profile.timeScale),
    groupInterval: timings.groupInterval.times(profile.timeScale),
    repeatInterval: timings.repeatInterval.times(profile.timeScale),
  };
}

/** What bounds an alert's time-to-notify under the profile. */
export interface NotifyTiming {
  for: Duration;
  /** How long it keeps firing after its condition clears (`keep_firing_for`), scaled; zero when none. */
  keepFiringFor: Duration;
  groupWait: Duration;
  /** How long the alert's window needs to cross its threshold after the fault (zero for an up/down state). */
  conditionDelay: Duration;
  /**
  /** The fastest possible notification: `for` + group_wait + `conditionDelay`. */
  floor: Duration;
  /** floor + one scrape interval + one evaluation interval + the scrape timeout (sampling slack). */
  bound: Duration;
}

export function notifyTiming(
  name: AlertName,
  config: MonitoringConfig,
  profile: TimingProfile,
  conditionDelay = Duration.millis(0),
): NotifyTiming {
  const rule = alertRule(name);
  if (rule.severity === 'none') throw new Error(`${name} is not told to anyone`);
  const forDuration = rule.for.times(profile.timeScale);
  const { groupWait } = profiledNotificationTimings(config, rule.severity, profile);
  const floor = forDuration.plus(groupWait).plus(conditionDelay);
  const { scrapeInterval, evaluationInterval, scrapeTimeout } = profile.prometheus;
  return {
    for: forDuration,
    keepFiringFor: (rule.keepFiringFor ?? Duration.millis(0)).times(profile.timeScale),
    groupWait,
    conditionDelay,
    floor,
    bound: floor.plus(scrapeInterval).plus(evaluationInterval).plus(scrapeTimeout),
  };
}

/**
 * The dead man's switch chain (domain/alerting/dead-mans-switch.ts) as the profile runs it: route
 * timings, the Watchdog's, the alert's `for` and the heartbeat check scaled by `timeScale`, its
 * window by `windowScale`. Alertmanager's 10 s minimum notification timeout is its own, unscaled.
 */
export function profiledDeadMansSwitchInput(config: MonitoringConfig, profile: TimingProfile): DeadMansSwitchInput {
  const deployed = deadMansSwitchInput(config.alerting, config.prometheus);
  return {
    timings: Object.fromEntries(
      SEVERITIES.map((severity) => [severity, profiledNotificationTimings(config, severity, profile)]),
    ) as Record<Severity, NotificationTimings>,
    watchdog: scaledTimings(WATCHDOG_TIMINGS, profile),
    scrapeInterval: profile.prometheus.scrapeInterval,
    evaluationInterval: profile.prometheus.evaluationInterval,
    alertFor: deployed.alertFor.times(profile.timeScale),
    alertWindow: scaledWindow(deployed.alertWindow, profile),
    heartbeatCheck: {
      period: deployed.heartbeatCheck.period.times(profile.timeScale),
      grace: deployed.heartbeatCheck.grace.times(profile.timeScale),
    },
  };
}
