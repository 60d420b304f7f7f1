/**
 * Fault drills on the loopback stack: break one thing, wait for the Telegram message the on-call
 * engineer would get (right chat, severity and text), check what must hold while the alert fires,
 * repair, and wait for the resolved message. How long the message took is measured and tabled;
 * `npm run bench:e2e` holds it to its target (a timed assertion here would only make CI flaky).
 */
import { AlertName, SEVERITY_STYLE, alertRule, inhibitedBy } from '../domain/alerting';
import { Duration } from '../core/duration';
import { JOB } from '../core/components';
import { RATE_WINDOW, RECORDINGS, THRESHOLDS } from '../domain/metrics';
import { Template, linkAnnotations } from '../domain/rules';
import { Severity } from '../core/severity';
import { MonitoringConfig } from '../config/monitoring-config';
import { FakeTelegram, SentMessage } from '../testing/fake-telegram';
import { LoopbackComponent, LoopbackStack, THIS_MACHINE_ALERTS } from '../testing/loopback-stack';
import { sleep, waitFor } from '../testing/processes';
import { AlertmanagerApi } from '../clients/alertmanager';
import { PrometheusApi } from '../clients/prometheus';
import { Checklist, expectThat, seconds } from './report';
import { HEALTHY, SimulatorFaults } from '../testing/simulator';
import {
  NotifyTiming,
  TimingProfile,
  notifyTiming,
  profiledNotificationTimings,
  scaledWindow,
} from '../testing/timing-profile';
import { escapeRegex } from '../core/regex';

export interface DrillStacks {
  /** The whole stack. */
  main: LoopbackStack;
  /**
   * A PostgreSQL of its own, its exporter, and a Prometheus whose scrape timeout is shorter than
   * the exporter's answer while PostgreSQL is down, alerting through the main Alertmanager.
   */
  shortTimeout: LoopbackStack;
}

/** An alert group a drill expects to be told about once firing and once resolved. */
export interface Episode {
  alert: AlertName;
  /** The group's `instance`, when the alert's expression keeps one. */
  instance?: string;
}

export interface DrillTiming {
  drill: string;
  alert: AlertName;
  timing: NotifyTiming;
  /** From the fault to the firing message at the fake Telegram API. */
  notifiedMs?: number;
  /** From the fault to the first evaluation that saw the condition (the alert went pending). */
  detectedMs?: number;
  /** From the repair to the resolved message. */
  resolvedMs?: number;
}

interface Drill {
  /** Row of the table, e.g. `PostgreSQLDown (slow exporter)`. */
  name: string;
  alert: AlertName;
  /** The stack whose Prometheus evaluates the alert. Default: the main one. */
  stack?(stacks: DrillStacks): LoopbackStack;
  instance?(stacks: DrillStacks): string;
  /** Time the alert's window needs to cross its threshold once the fault is in. */
  conditionDelay?(profile: TimingProfile): Duration;
  inject(stacks: DrillStacks): Promise<void>;
  recover(stacks: DrillStacks): Promise<void>;
  /** What must hold while the alert fires; returns what was seen. */
  whileFiring?(stacks: DrillStacks, faultAt: number): Promise<string>;
  /** Other alerts the fault rightly causes on the same instance: each told once, and resolved. */
  alsoTold?: readonly AlertName[];
}

/** Beyond a bound, how long to keep waiting so that a late message is reported late, not missing. */
const LATE_GRACE_MS = 15_000;

type Status = 'FIRING' | 'RESOLVED';

/**
 * What judging a drill's messages needs of the stack it ran on: the chat of each severity, the
 * configuration (runbook links, routes), the timing profile, and where Prometheus answers. A
 * LoopbackStack is one; the Docker harness builds its own.
 */
export interface DrillContext {
  readonly secrets: { readonly telegramChatIds: Readonly<Record<Severity, string>> };
  readonly config: MonitoringConfig;
  readonly profile: TimingProfile;
  url(component: 'prometheus'): string;
}

function unescapeHtml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** What an annotation template prints for these labels, any `$value` matching any number. */
function templatePattern(template: Template, labels: Readonly<Record<string, string>>): RegExp {
  const parts = template.parts.map((part) => {
    if (typeof part === 'string') return escapeRegex(part);
    if (part.kind === 'value' || part.kind === 'query') return '[^<]+?';
    return escapeRegex(labels[part.name] || (part.fallback ?? ''));
  });
  return new RegExp(`^${parts.join('')}$`);
}

/** The status and group a message is about, read from its first two lines (alerting/telegram-template.ts). */
export function messageGroup(message: SentMessage): { status?: Status; alert?: string; instance?: string } {
  const [title = '', subject = ''] = message.text.split('\n');
  const status = (['FIRING', 'RESOLVED'] as const).find((candidate) => title.includes(`<b>${candidate}</b>`));
  const group = /^<b>([A-Za-z0-9]+)<\/b>(?: · <code>([^<]+)<\/code>)? · \d+ (?:firing|resolved)/.exec(subject);
  return { status, alert: group?.[1], instance: group?.[2] };
}

function isAbout(episode: Episode, status: Status, since: number): (message: SentMessage) => boolean {
  return (message) => {
    const group = messageGroup(message);
    return (
      message.receivedAt >= since &&
      group.status === status &&
      group.alert === episode.alert &&
      group.instance === episode.instance
    );
  };
}

async function nextMessage(
  telegram: FakeTelegram,
  episode: Episode,
  status: Status,
  since: number,
  timeoutMs: number,
): Promise<SentMessage> {
  const what = `${status} ${episode.alert}${episode.instance ? ` on ${episode.instance}` : ''}`;
  const [message] = await telegram.waitForDelivered(what, isAbout(episode, status, since), 1, timeoutMs);
  return message;
}

function severityOf(alert: AlertName): Severity {
  return alertRule(alert).severity as Severity;
}

/**
 * Chat, severity line, sound, and the rule's own summary, runbook and panel, as Prometheus filled them in;
 * returns what was seen and when Prometheus saw the condition first.
 */
export async function checkFiringMessage(
  message: SentMessage,
  episode: Episode,
  stack: DrillContext,
): Promise<{ seen: string; activeAt: number }> {
  const rule = alertRule(episode.alert);
  const severity = severityOf(episode.alert);
  const chat = stack.secrets.telegramChatIds[severity];
  expectThat(message.chatId === chat, `sent to chat ${message.chatId}, the ${severity} chat is ${chat}`);
  const title = `${SEVERITY_STYLE[severity].emoji} <b>FIRING</b> · ${severity.toUpperCase()}`;
  expectThat(message.text.startsWith(title), `the message does not start with "${title}":\n${message.text}`);
  expectThat(
    message.disableNotification === SEVERITY_STYLE[severity].silent,
    `disable_notification is ${message.disableNotification} for ${severity}`,
  );
  const prometheus = new PrometheusApi(stack.url('prometheus'));
  const firing = (await prometheus.firing(episode.alert)).find((alert) => alert.labels.instance === episode.instance);
  expectThat(firing !== undefined, `Prometheus does not show ${episode.alert} firing`);
  const expected = templatePattern(rule.summary, firing!.labels);
  const summary = /^▸ <b>(.*)<\/b>$/m.exec(message.text)?.[1];
  expectThat(
    summary !== undefined && expected.test(unescapeHtml(summary)),
    `the message's summary is not the rule's ${expected}:\n${message.text}`,
  );
  expectThat(
    expected.test(firing!.annotations.summary),
    `Prometheus' summary "${firing!.annotations.summary}" is not the rule's ${expected}`,
  );
  const { runbook_url: runbook, dashboard_url: panel } = linkAnnotations(rule, {
    runbookBaseUrl: stack.config.alerting.runbookBaseUrl,
    grafanaUrl: stack.config.grafana.publicUrl,
  });
  expectThat(
    message.text.includes(`<a href="${runbook}">Runbook</a>`),
    `the message lacks the runbook link ${runbook}`,
  );
  expectThat(message.text.includes(`<a href="${panel}">Panel</a>`), `the message lacks the panel link ${panel}`);
  return {
    seen: `${severity}, chat ${chat}${message.disableNotification ? ' (silent)' : ''}: "${summary}"`,
    activeAt: Date.parse(firing!.activeAt),
  };
}

export function checkResolvedMessage(message: SentMessage, episode: Episode, stack: DrillContext): string {
  const severity = severityOf(episode.alert);
  expectThat(
    message.chatId === stack.secrets.telegramChatIds[severity],
    `resolved message sent to chat ${message.chatId}`,
  );
  expectThat(
    message.text.split('\n')[0].endsWith(`<b>RESOLVED</b> · ${severity.toUpperCase()}`),
    `unexpected title: ${message.text.split('\n')[0]}`,
  );
  return `chat ${message.chatId}`;
}

/** The longest a resolved message may take after the repair: the condition clearing, then the group's next flush. */
export function resolveTimeoutMs(episode: Episode, stack: DrillContext, timing: NotifyTiming): number {
  const { groupInterval } = profiledNotificationTimings(stack.config, severityOf(episode.alert), stack.profile);
  // A cause keeps firing its keep_firing_for after the repair before it can resolve.
  return (
    groupInterval.millis +
    timing.keepFiringFor.millis +
    timing.bound.millis -
    timing.for.millis -
    timing.groupWait.millis +
    LATE_GRACE_MS
  );
}

export async function runDrill(
  drill: Drill,
  stacks: DrillStacks,
  checklist: Checklist,
  episodes: Episode[],
): Promise<DrillTiming> {
  const stack = drill.stack?.(stacks) ?? stacks.main;
  const telegram = stacks.main.telegram;
  const episode: Episode = { alert: drill.alert, instance: drill.instance?.(stacks) };
  const others: Episode[] = (drill.alsoTold ?? []).map((alert) => ({ alert, instance: episode.instance }));
  episodes.push(episode, ...others);
  const timing = notifyTiming(drill.alert, stack.config, stack.profile, drill.conditionDelay?.(stack.profile));
  const row: DrillTiming = { drill: drill.name, alert: drill.alert, timing };
  try {
    // From the moment the fault starts: PostgreSQL refuses connections at once, though its
    // process (run through runuser) takes two more seconds to exit.
    const faultAt = Date.now();
    await drill.inject(stacks);
    await checklist.check(`${drill.name}: firing message`, async () => {
      const message = await nextMessage(telegram, episode, 'FIRING', faultAt, timing.bound.millis + LATE_GRACE_MS);
      row.notifiedMs = message.receivedAt - faultAt;
      const { seen, activeAt } = await checkFiringMessage(message, episode, stack);
      row.detectedMs = activeAt - faultAt;
      return `${seconds(row.notifiedMs)} after the fault (condition seen after ${seconds(row.detectedMs)}); ${seen}`;
    });
    if (row.notifiedMs === undefined) return row;
    if (others.length > 0) {
      await checklist.check(`${drill.name}: told of ${others.map((other) => other.alert).join(', ')} too`, async () => {
        const timeouts = others.map(
          (other) => notifyTiming(other.alert, stack.config, stack.profile).bound.millis + LATE_GRACE_MS,
        );
        await Promise.all(others.map((other, i) => nextMessage(telegram, other, 'FIRING', faultAt, timeouts[i])));
        return `${others.length} more messages, one per alert`;
      });
    }
    if (drill.whileFiring)
      await checklist.check(`${drill.name}: while firing`, () => drill.whileFiring!(stacks, faultAt));
  } finally {
    await drill.recover(stacks);
  }
  const repairedAt = Date.now();
  await checklist.check(`${drill.name}: resolved message after the repair`, async () => {
    const message = await nextMessage(
      telegram,
      episode,
      'RESOLVED',
      repairedAt,
      resolveTimeoutMs(episode, stack, timing),
    );
    row.resolvedMs = message.receivedAt - repairedAt;
    await Promise.all(
      others.map((other) =>
        nextMessage(
          telegram,
          other,
          'RESOLVED',
          repairedAt,
          resolveTimeoutMs(other, stack, notifyTiming(other.alert, stack.config, stack.profile)),
        ),
      ),
    );
    return `${seconds(row.resolvedMs)} after the repair; ${checkResolvedMessage(message, episode, stack)}`;
  });
  return row;
}

function prometheusOf(stack: LoopbackStack): PrometheusApi {
  return new PrometheusApi(stack.url('prometheus'));
}

/** A backend stopped, then started again, as its exporter on the chosen stack sees it. */
function backendStopped(
  backend: LoopbackComponent,
  exporter: LoopbackComponent,
  which: (stacks: DrillStacks) => LoopbackStack = (stacks) => stacks.main,
): Pick<Drill, 'stack' | 'instance' | 'inject' | 'recover'> {
  return {
    stack: which,
    instance: (stacks) => which(stacks).address(exporter),
    inject: (stacks) => which(stacks).stopComponent(backend),
    recover: (stacks) => which(stacks).startComponent(backend),
  };
}

/** A fault of the simulated service, repaired by restoring the healthy values of the same faults. */
function simulatorFault(fault: Partial<SimulatorFaults>): Pick<Drill, 'inject' | 'recover'> {
  const healthy = Object.fromEntries(Object.keys(fault).map((name) => [name, HEALTHY[name as keyof SimulatorFaults]]));
  return {
    inject: ({ main }) => main.simulator.inject(fault),
    recover: ({ main }) => main.simulator.inject(healthy),
  };
}

/** Above HighErrorRate's 5%, under the 7.2% at which the API availability SLO's fast tier fires. */
const INJECTED_ERROR_RATIO = 0.06;
/** The errors worsened: far above the fast tier's level. */
const WORSENED_ERROR_RATIO = 0.3;

/**
 * `alert` fires in Prometheus (its `for` run out) and Alertmanager holds it as inhibited; past its
 * route's group_wait nothing was sent for it, nor for any other of `quiet`. Returns what was seen.
 */
async function heldByInhibition(
  main: LoopbackStack,
  alert: AlertName,
  faultAt: number,
  matches: (labels: Record<string, string>) => boolean = () => true,
  quiet: readonly AlertName[] = [alert],
): Promise<string> {
  const prometheus = prometheusOf(main);
  const forDuration = alertRule(alert).for.times(main.profile.timeScale);
  const ofIt = (labels: Record<string, string>) => labels.alertname === alert && matches(labels);
  await waitFor(
    `${alert} to fire in Prometheus`,
    async () => (await prometheus.firing(alert)).some((a) => ofIt(a.labels)),
    forDuration.millis + LATE_GRACE_MS,
    250,
  );
  const alertmanager = new AlertmanagerApi(main.url('alertmanager'));
  const held = await waitFor(
    `Alertmanager to hold ${alert} as inhibited`,
    async () => (await alertmanager.alerts()).find((a) => ofIt(a.labels) && a.status.state === 'suppressed'),
    10_000,
    250,
  );
  // Past the group_wait of its route: had it not been inhibited, it would have been sent by now.
  await sleep(profiledNotificationTimings(main.config, severityOf(alert), main.profile).groupWait.millis + 2_000);
  const sent = main.telegram.delivered.filter(
    (message) =>
      message.receivedAt >= faultAt &&
      messageGroup(message).status === 'FIRING' &&
      quiet.includes(messageGroup(message).alert as AlertName),
  );
  expectThat(
    sent.length === 0,
    `inhibited alerts were sent: ${sent.map((message) => message.text.split('\n')[1]).join('; ')}`,
  );
  return `${alert} firing in Prometheus, suppressed by Alertmanager (inhibited by ${held.status.inhibitedBy.length} alert); nothing sent for ${quiet.join(', ')}`;
}

const redisDown: Drill = {
  name: 'RedisDown',
  alert: 'RedisDown',
  ...backendStopped('redis', 'redisExporter'),
  /**
   * The workers lose their broker, but CeleryWorkerDown's own expression leaves the page to RedisDown:
   * past its `for` it is not firing in Prometheus, and nothing Redis explains was sent.
   */
  async whileFiring({ main }, faultAt) {
    const prometheus = prometheusOf(main);
    const up = await prometheus.value('redis_up');
    expectThat(up === 0, `redis_up is ${up}`);
    const workers = alertRule('CeleryWorkerDown');
    const { groupWait } = profiledNotificationTimings(main.config, severityOf(workers.name as AlertName), main.profile);
    await sleep(workers.for.times(main.profile.timeScale).millis + groupWait.millis + LATE_GRACE_MS);
    const firing = await prometheus.firing(workers.name);
    expectThat(firing.length === 0, `CeleryWorkerDown fires in Prometheus while Redis is down`);
    const explained = inhibitedBy('RedisDown');
    const sent = main.telegram.delivered.filter(
      (message) =>
        message.receivedAt >= faultAt &&
        messageGroup(message).status === 'FIRING' &&
        explained.includes(messageGroup(message).alert as AlertName),
    );
    expectThat(sent.length === 0, `sent while Redis is down: ${sent.map((m) => m.text.split('\n')[1]).join('; ')}`);
    return `redis_up 0 (the exporter answers, Redis does not); CeleryWorkerDown not firing past its for (RedisDown is the page); nothing sent for ${explained.join(', ')}`;
  },
};

const postgresDownSlowExporter: Drill = {
  name: 'PostgreSQLDown (slow exporter)',
  alert: 'PostgreSQLDown',
  ...backendStopped('postgres', 'postgresExporter'),
  async whileFiring({ main }) {
    const prometheus = prometheusOf(main);
    const job = `{job="${JOB.postgresExporter}"}`;
    const [pgUp, up, took] = await Promise.all(
      ['pg_up', `up${job}`, `scrape_duration_seconds${job}`].map((expr) => prometheus.value(expr)),
    );
    expectThat(pgUp === 0 && up === 1, `pg_up is ${pgUp} and the exporter's up is ${up}; expected 0 and 1`);
    return `pg_up 0 with the exporter up; its scrape took ${took?.toFixed(2)} s (timeout ${main.profile.prometheus.scrapeTimeout})`;
  },
};

const postgresDownTargetDown: Drill = {
  name: 'PostgreSQLDown (exporter target down)',
  alert: 'PostgreSQLDown',
  ...backendStopped('postgres', 'postgresExporter', (stacks) => stacks.shortTimeout),
  async whileFiring({ shortTimeout }) {
    const prometheus = prometheusOf(shortTimeout);
    const up = await prometheus.value(`up{job="${JOB.postgresExporter}"}`);
    const pgUp = await prometheus.query('pg_up');
    expectThat(
      up === 0 && pgUp.length === 0,
      `the exporter's up is ${up} and pg_up has ${pgUp.length} series; expected 0 and none`,
    );
    return `scrape timeout ${shortTimeout.profile.prometheus.scrapeTimeout} < the exporter's answer: target down, pg_up gone`;
  },
};

/**
 * 5xx at 6%: HighErrorRate pages after its 5 minutes (the fast burn-rate tier's level, 7.2%, is not
 * reached). Then the errors worsen to 30%: the fast tier of the API availability SLO, which
 * watches the same errors, fires in Prometheus but is held back (one incident, one message).
 * In production HighErrorRate comes first at any error ratio (5 minutes against the fast tier's
 * hour); the drills' profile scales windows far more than `for`, so there the hour would fill
 * first, and the errors start under the tier's level.
 */
const apiErrorBurst: Drill = {
  name: 'HighErrorRate (5xx, then worse; APIAvailabilityFastBurn held)',
  alert: 'HighErrorRate',
  // The 5-minute share of 5xx crosses the level once that share of the window is past the fault.
  conditionDelay: (profile) =>
    scaledWindow(RATE_WINDOW, profile).times(THRESHOLDS.httpErrorRatio.levels.critical / INJECTED_ERROR_RATIO),
  ...simulatorFault({ errorRatio: INJECTED_ERROR_RATIO }),
  async whileFiring({ main }, faultAt) {
    const ratio = await prometheusOf(main).value(`${RECORDINGS.httpErrorRatio.name}{job="${JOB.api}"}`);
    expectThat(
      ratio !== undefined && Math.abs(ratio - INJECTED_ERROR_RATIO) < 0.02,
      `recorded 5xx ratio ${ratio}, injected ${INJECTED_ERROR_RATIO}`,
    );
    await main.simulator.inject({ errorRatio: WORSENED_ERROR_RATIO });
    // The hour (scaled) crosses the fast tier's level within seconds of 30% 5xx, once the 5-minute
    // rate it averages has caught up: past that, the tier's `for` is what heldByInhibition waits.
    await sleep(scaledWindow(RATE_WINDOW, main.profile).millis);
    const held = await heldByInhibition(main, 'APIAvailabilityFastBurn', faultAt, (labels) => labels.job === JOB.api);
    return `recorded 5xx ratio ${(ratio! * 100).toFixed(1)}%, then ${WORSENED_ERROR_RATIO * 100}%; ${held}`;
  },
};

const apiDown: Drill = {
  name: 'APIDown',
  alert: 'APIDown',
  instance: (stacks) => stacks.main.simulatorAddress('api'),
  ...simulatorFault({ apiDown: true }),
  /** TargetDown of the API fires in Prometheus (its `for` is longer) and Alertmanager holds it: nothing inhibited is sent. */
  async whileFiring({ main }, faultAt) {
    return heldByInhibition(main, 'TargetDown', faultAt, (labels) => labels.job === JOB.api, inhibitedBy('APIDown'));
  },
};

/**
 * The API answers its scrapes with the Python process metrics only, as Stock Tracker does while
 * its metrics class is shadowed: the blind-spot warnings say so instead of silence.
 */
const requestMetricsMissing: Drill = {
  name: 'RequestMetricsMissing (API uninstrumented)',
  alert: 'RequestMetricsMissing',
  instance: (stacks) => stacks.main.simulatorAddress('api'),
  alsoTold: ['DatabaseMetricsMissing', 'BusinessMetricsMissing'],
  ...simulatorFault({ apiUninstrumented: true }),
  async whileFiring({ main }) {
    const [message] = main.telegram.delivered
      .filter(isAbout({ alert: 'RequestMetricsMissing', instance: main.simulatorAddress('api') }, 'FIRING', 0))
      .slice(-1);
    const blind =
      'Blind: HighErrorRate, HighLatency, the SLO alerts of api-availability, api-latency cannot fire; 12 panels are empty.';
    expectThat(message.text.includes(blind), `the message does not say what is blind:\n${message.text}`);
    return `the message says "${blind}"`;
  },
};

const celeryQueueBacklog: Drill = {
  name: 'CeleryQueueBacklog',
  alert: 'CeleryQueueBacklog',
  ...simulatorFault({ queueBacklog: 250 }),
  async whileFiring({ main }) {
    const [message] = main.telegram.delivered.filter(isAbout({ alert: 'CeleryQueueBacklog' }, 'FIRING', 0)).slice(-1);
    expectThat(
      message.text.includes('queue <code>sync</code>'),
      `the message does not name the queue:\n${message.text}`,
    );
    return 'the message names queue sync';
  },
};

const noSyncActivity: Drill = {
  name: 'NoSyncActivity',
  alert: 'NoSyncActivity',
  // The alert is the silence itself: it holds once a whole window passed without a sync.
  conditionDelay: (profile) => scaledWindow(Duration.seconds(THRESHOLDS.syncSilence.levels.info), profile),
  ...simulatorFault({ syncStopped: true }),
};

/**
 * Drills in lanes: the lanes run side by side (no two touch the same component or alert group);
 * a lane runs its drills in turn. The 5xx burst, APIDown and the uninstrumented API share the API
 * (and APIDown inhibits HighErrorRate), so they take turns; PostgreSQLDown of the main stack goes
 * first, since it holds HighErrorRate back until it has resolved (its keep_firing_for included).
 * Redis down also takes the Celery broker
 * away: the celery-exporter's scrapes fail (a pending CeleryQueueBacklog starts over) and RedisDown
 * inhibits NoSyncActivity and CeleryQueueBacklog, so the Celery drills follow it.
 */
export const DRILL_LANES: readonly (readonly Drill[])[] = [
  [postgresDownSlowExporter, apiErrorBurst, apiDown, requestMetricsMissing],
  [redisDown, noSyncActivity, celeryQueueBacklog],
  [postgresDownTargetDown],
];

/**
 * Alertmanager restarted in the middle of a firing alert: the alert told before the restart is
 * not told again (its notification log survives), and an alert that started firing while
 * Alertmanager was down is told once it is back (Prometheus re-sends what fires).
 */
export async function alertmanagerRestartDrill(
  stacks: DrillStacks,
  checklist: Checklist,
  episodes: Episode[],
): Promise<void> {
  const { main } = stacks;
  const prometheus = prometheusOf(main);
  const toldBefore: Episode = { alert: 'RedisDown', instance: main.address('redisExporter') };
  const firedDuring: Episode = { alert: 'PostgreSQLDown', instance: main.address('postgresExporter') };
  episodes.push(toldBefore, firedDuring);
  const bound = (episode: Episode) =>
    notifyTiming(episode.alert, main.config, main.profile).bound.millis + LATE_GRACE_MS;
  const started = Date.now();
  const name = 'Alertmanager restart';
  try {
    await main.stopComponent('redis');
    const told = await checklist.check(`${name}: RedisDown told before the restart`, async () => {
      await nextMessage(main.telegram, toldBefore, 'FIRING', started, bound(toldBefore));
    });
    if (!told) return;
    await main.stopComponent('alertmanager');
    await main.stopComponent('postgres');
    const fired = await checklist.check(`${name}: PostgreSQLDown fires while Alertmanager is down`, async () => {
      const firedAt = await waitFor(
        'PostgreSQLDown to fire',
        async () => (await prometheus.firing(firedDuring.alert)).length > 0 && Date.now(),
        bound(firedDuring),
        250,
      );
      expectThat(
        main.telegram.delivered.filter(isAbout(firedDuring, 'FIRING', started)).length === 0,
        'PostgreSQLDown was told with Alertmanager down',
      );
      return `firing in Prometheus ${seconds(firedAt - started)} into the drill, no Alertmanager to send it to`;
    });
    await main.startComponent('alertmanager');
    const restartedAt = Date.now();
    if (fired) {
      await checklist.check(`${name}: no loss, PostgreSQLDown told after the restart`, async () => {
        const timeout = main.profile.resendDelay.millis + bound(firedDuring);
        const message = await nextMessage(main.telegram, firedDuring, 'FIRING', started, timeout);
        return `${seconds(message.receivedAt - restartedAt)} after Alertmanager was back; ${(await checkFiringMessage(message, firedDuring, main)).seen}`;
      });
    }
    await checklist.check(`${name}: no duplicate, RedisDown not told again`, async () => {
      // Prometheus re-sends RedisDown within a resend delay and Alertmanager flushes its rebuilt group
      // after group_wait: a duplicate would go out then (later flushes decide the same way).
      const { groupWait } = profiledNotificationTimings(main.config, 'critical', main.profile);
      await sleep(
        Math.max(0, restartedAt + main.profile.resendDelay.millis * 2 + groupWait.millis + 3_000 - Date.now()),
      );
      const firing = main.telegram.delivered.filter(isAbout(toldBefore, 'FIRING', started));
      expectThat(firing.length === 1, `RedisDown was told ${firing.length} times`);
      return `one RedisDown message in ${seconds(Date.now() - restartedAt)} after the restart`;
    });
  } finally {
    for (const component of ['alertmanager', 'redis', 'postgres'] as const)
      if (!main.isRunning(component)) await main.startComponent(component);
  }
  const repairedAt = Date.now();
  await checklist.check(`${name}: both resolved once repaired`, async () => {
    const timing = notifyTiming('RedisDown', main.config, main.profile);
    const timeout = resolveTimeoutMs(toldBefore, main, timing);
    await Promise.all(
      [toldBefore, firedDuring].map((episode) => nextMessage(main.telegram, episode, 'RESOLVED', repairedAt, timeout)),
    );
  });
}

/**
 * Whether Prometheus held `alert` firing for `instance` when the message was sent: the condition
 * was true, so the message was too.
 */
async function firingWhenSent(
  prometheus: PrometheusApi,
  alert: string,
  instance: string | undefined,
  at: number,
): Promise<boolean> {
  const instanceMatcher = instance ? `, instance=${JSON.stringify(instance)}` : '';
  const firing = await prometheus.query(
    `ALERTS{alertname=${JSON.stringify(alert)}, alertstate="firing"${instanceMatcher}}`,
    at,
  );
  return firing.length > 0;
}

/** Every message: valid Telegram HTML, and exactly as many per group and status as the drills caused. */
export async function checkToldOnce(
  telegram: FakeTelegram,
  prometheus: PrometheusApi,
  episodes: readonly Episode[],
  checklist: Checklist,
): Promise<void> {
  await checklist.check(
    'every alert was told exactly once per drill, firing and resolved; nothing else was sent but true alerts about this machine',
    async () => {
      const key = (status: string | undefined, alert: string | undefined, instance: string | undefined) =>
        `${status} ${alert}${instance ? ` on ${instance}` : ''}`;
      const expected = new Map<string, number>();
      for (const { alert, instance } of episodes)
        for (const status of ['FIRING', 'RESOLVED'])
          expected.set(key(status, alert, instance), (expected.get(key(status, alert, instance)) ?? 0) + 1);
      const actual = new Map<string, number>();
      // node-exporter reads this machine: on a busy host its CPU alerts are true. Such a message is
      // checked against Prometheus at the time it was sent, reported when true, and a false alarm when not.
      const trueAboutThisHost = new Set<string>();
      for (const message of telegram.delivered) {
        const group = messageGroup(message);
        const k = key(group.status, group.alert, group.instance);
        if (group.alert && THIS_MACHINE_ALERTS.has(group.alert) && !expected.has(k)) {
          const held =
            group.status === 'RESOLVED' ||
            (await firingWhenSent(prometheus, group.alert, group.instance, message.receivedAt));
          if (held) {
            trueAboutThisHost.add(group.alert);
            continue;
          }
        }
        actual.set(k, (actual.get(k) ?? 0) + 1);
      }
      const wrong = [...new Set([...expected.keys(), ...actual.keys()])]
        .filter((k) => expected.get(k) !== actual.get(k))
        .map((k) => `${k}: sent ${actual.get(k) ?? 0}, expected ${expected.get(k) ?? 0}`);
      const refused = telegram.attempts
        .filter((attempt) => attempt.problems.length > 0)
        .map((attempt) => attempt.problems.join(', '));
      expectThat(
        wrong.length === 0 && refused.length === 0,
        [...wrong, ...refused.map((problem) => `Telegram would refuse: ${problem}`)].join('\n'),
      );
      const host =
        trueAboutThisHost.size === 0
          ? ''
          : `; also ${[...trueAboutThisHost].join(', ')} about this machine itself, true when sent (Prometheus held it firing): not counted`;
      return `${telegram.delivered.length} messages, all valid Telegram HTML${host}`;
    },
  );
}
