/**
 * How a replay reads: the messages each chat would have received (by kind, and at night), pages
 * and night pages per week, and per alert how often it fired; two rule sets side by side with the
 * change. Tables for people, one JSON document for machines.
 */
import { Duration } from '../../core/duration';
import { formatTable } from '../text-table';
import { Message, MessageKind } from './alertmanager';
import { ReplayResult } from './replay';
import { ReplayReceiver } from './rule-set';
import { wallClock } from './time-intervals';

/** What a message asks of people, by the `severity` of its alerts: a page wakes someone, a ticket waits. */
export const TIER_BY_SEVERITY = { critical: 'page', warning: 'warning', info: 'ticket' } as const;
/** `page`, `warning` or `ticket`. */
export type Tier = (typeof TIER_BY_SEVERITY)[keyof typeof TIER_BY_SEVERITY];
/** The tiers, most urgent first. */
export const TIERS: readonly Tier[] = ['page', 'warning', 'ticket'];

/** The most urgent tier of the alerts a message tells about (firing first, else resolved); none for other severities. */
export function tierOf(message: Pick<Message, 'firing' | 'resolved'>): Tier | undefined {
  const alerts = message.firing.length > 0 ? message.firing : message.resolved;
  const tiers = alerts.map(
    (alert) => TIER_BY_SEVERITY[alert.labels.severity as keyof typeof TIER_BY_SEVERITY] as Tier | undefined,
  );
  return TIERS.find((tier) => tiers.includes(tier));
}

/** Night hours in a time zone: from `startHour` (inclusive) to `endHour` (exclusive), across midnight when start > end. */
export interface NightHours {
  startHour: number;
  endHour: number;
  timeZone: string;
}

/** 22:00 to 07:00 UTC unless `--night` and `--time-zone` say otherwise. */
export const DEFAULT_NIGHT: NightHours = { startHour: 22, endHour: 7, timeZone: 'UTC' };

/** Whether `at` (ms since the epoch) falls in the night hours, read on the wall clock of their time zone. */
export function atNight(at: number, night: NightHours): boolean {
  const hour = Math.floor(wallClock(at, night.timeZone).minute / 60);
  return night.startHour <= night.endHour
    ? hour >= night.startHour && hour < night.endHour
    : hour >= night.startHour || hour < night.endHour;
}

/** Whether a receiver tells people (any integration but a webhook, which feeds machines such as the heartbeat). */
export function tellsPeople(receiver: ReplayReceiver): boolean {
  return receiver.integrations.some((integration) => integration !== 'webhook');
}

const KINDS: readonly MessageKind[] = ['firing', 'changed', 'resolved', 'repeat'];

/** The messages one receiver that tells people would have sent. */
export interface ChatSummary {
  receiver: string;
  messages: number;
  byKind: Record<MessageKind, number>;
  atNight: number;
}

/** What one alerting rule did over the window. */
export interface AlertSummary {
  name: string;
  severity: string;
  /** Times it fired. */
  episodes: number;
  /** Time spent firing within the window, ms. */
  firingMs: number;
  /** Messages that told about it firing for the first time in its group (`firing` kind). */
  announced: number;
}

/** A replay in numbers. */
export interface ReplaySummary {
  source: string;
  /** The `--from` asked for; `from` is later when Prometheus holds nothing before it. */
  requestedFrom: string;
  from: string;
  to: string;
  weeks: number;
  seconds: number;
  chats: ChatSummary[];
  /** Messages to people's chats, all kinds. */
  messages: number;
  messagesPerWeek: number;
  /** Messages with a firing page-tier alert. */
  pages: number;
  nightPages: number;
  nightPagesPerWeek: number;
  alerts: AlertSummary[];
  skipped: { name: string; reason: string }[];
  /** Stretches without data in Prometheus (RFC 3339, end exclusive): nothing was pending or firing there. */
  gaps: { from: string; to: string }[];
  /** Rules replayed at a coarser step than their evaluation interval (every range they read is long). */
  coarse: { name: string; step: string; interval: string }[];
}

const WEEK_MS = 7 * 86_400_000;

function round(value: number, digits = 2): number {
  return Number(value.toFixed(digits));
}

/** The messages of a replay that reach people's chats. */
export function peopleMessages(result: ReplayResult, receivers: readonly ReplayReceiver[]): Message[] {
  const people = new Set(receivers.filter(tellsPeople).map((receiver) => receiver.name));
  return result.messages.filter((message) => people.has(message.receiver));
}

/** Counts of a replay: per chat, per alert, per week; `receivers` says which receivers tell people. */
export function summarize(
  result: ReplayResult,
  receivers: readonly ReplayReceiver[],
  night: NightHours,
): ReplaySummary {
  const weeks = (result.toMs - result.fromMs) / WEEK_MS;
  const messages = peopleMessages(result, receivers);
  const chats = [...new Set(messages.map((message) => message.receiver))].sort().map((receiver) => {
    const own = messages.filter((message) => message.receiver === receiver);
    return {
      receiver,
      messages: own.length,
      byKind: Object.fromEntries(
        KINDS.map((kind) => [kind, own.filter((message) => message.kind === kind).length]),
      ) as Record<MessageKind, number>,
      atNight: own.filter((message) => atNight(message.at, night)).length,
    };
  });
  const pages = messages.filter((message) => message.firing.length > 0 && tierOf(message) === 'page');
  const nightPages = pages.filter((message) => atNight(message.at, night)).length;
  const alerts = result.outcomes
    .filter((outcome) => outcome.episodes.length > 0)
    .map((outcome) => ({
      name: outcome.rule.name,
      severity: outcome.rule.labels.severity ?? '',
      episodes: outcome.episodes.length,
      firingMs: outcome.episodes.reduce(
        (total, episode) => total + Math.min(episode.resolvedAt ?? result.toMs, result.toMs) - episode.firedAt,
        0,
      ),
      announced: messages.filter(
        (message) =>
          message.kind === 'firing' && message.firing.some((alert) => alert.labels.alertname === outcome.rule.name),
      ).length,
    }))
    .sort((a, b) => b.announced - a.announced || b.episodes - a.episodes || a.name.localeCompare(b.name));
  return {
    source: result.source,
    requestedFrom: new Date(result.requestedFromMs).toISOString(),
    from: new Date(result.fromMs).toISOString(),
    to: new Date(result.toMs).toISOString(),
    weeks: round(weeks, 3),
    seconds: round(result.seconds, 1),
    chats,
    messages: messages.length,
    messagesPerWeek: round(messages.length / weeks),
    pages: pages.length,
    nightPages,
    nightPagesPerWeek: round(nightPages / weeks),
    alerts,
    skipped: result.skipped,
    gaps: result.gaps.map((gap) => ({
      from: new Date(gap.fromMs).toISOString(),
      to: new Date(gap.toMs).toISOString(),
    })),
    coarse: result.outcomes
      .filter(({ rule }) => rule.stepMs !== rule.intervalMs)
      .map(({ rule }) => ({
        name: rule.name,
        step: Duration.millis(rule.stepMs).toString(),
        interval: Duration.millis(rule.intervalMs).toString(),
      })),
  };
}

function duration(ms: number): string {
  return Duration.millis(Math.round(ms / 60_000) * 60_000).toString();
}

function signed(value: number): string {
  return value > 0 ? `+${value}` : String(value);
}

/** One or two summaries (`base`, then this one) as text: headline, chats, alerts, what was not replayed. */
export function renderSummaries(summaries: readonly ReplaySummary[], night: NightHours): string {
  const [first] = summaries;
  const compare = summaries.length === 2;
  const nightText = `${String(night.startHour).padStart(2, '0')}:00-${String(night.endHour).padStart(2, '0')}:00 ${night.timeZone}`;
  const lines = [
    `Replay of ${first.from} to ${first.to} (${first.weeks} weeks); night is ${nightText}.`,
    ...summaries.map(
      (summary) =>
        `${summary.source}: ${summary.messages} messages to people (${summary.messagesPerWeek}/week), ${summary.pages} pages, ${summary.nightPages} at night (${summary.nightPagesPerWeek}/week); replayed in ${summary.seconds} s`,
    ),
  ];
  // Both rule sets read one Prometheus over one window: its data is told once.
  if (first.from !== first.requestedFrom)
    lines.push(
      `Prometheus holds no sample before ${first.from}: replayed from there, not from ${first.requestedFrom}.`,
    );
  for (const gap of first.gaps)
    lines.push(
      `Prometheus held no data from ${gap.from} to ${gap.to}: no alert was pending or firing there, and a for starts over after it.`,
    );
  if (compare) {
    const [base, head] = summaries;
    lines.push(
      `Change: ${signed(head.pages - base.pages)} pages, ${signed(head.nightPages - base.nightPages)} night pages, ${signed(head.messages - base.messages)} messages over the window.`,
    );
  }
  const sources = summaries.map((summary) => summary.source);
  const receivers = [...new Set(summaries.flatMap((summary) => summary.chats.map((chat) => chat.receiver)))].sort();
  const chatCells = (summary: ReplaySummary, receiver: string) => {
    const chat = summary.chats.find((candidate) => candidate.receiver === receiver);
    return chat
      ? `${chat.messages} (${KINDS.map((kind) => `${chat.byKind[kind]} ${kind}`).join(', ')}; ${chat.atNight} at night)`
      : '0';
  };
  lines.push(
    '',
    formatTable(
      ['chat', ...sources.map((source) => `messages: ${source}`)],
      receivers.map((receiver) => [receiver, ...summaries.map((summary) => chatCells(summary, receiver))]),
    ),
  );
  const names = [...new Set(summaries.flatMap((summary) => summary.alerts.map((alert) => alert.name)))];
  const alertCells = (summary: ReplaySummary, name: string) => {
    const alert = summary.alerts.find((candidate) => candidate.name === name);
    return alert ? `${alert.episodes}x, ${duration(alert.firingMs)} firing, ${alert.announced} announced` : '-';
  };
  const severity = (name: string) =>
    summaries.flatMap((summary) => summary.alerts).find((alert) => alert.name === name)?.severity ?? '';
  lines.push(
    '',
    formatTable(
      ['alert', 'severity', ...sources],
      names.map((name) => [name, severity(name), ...summaries.map((summary) => alertCells(summary, name))]),
    ),
  );
  for (const summary of summaries)
    for (const skipped of summary.skipped)
      lines.push(`not replayed in ${summary.source}: ${skipped.name}: ${skipped.reason}`);
  for (const summary of summaries)
    for (const rule of summary.coarse)
      lines.push(
        `replayed every ${rule.step}, not every ${rule.interval}, in ${summary.source}: ${rule.name} (every window it reads is 6h or more; its times are exact to ${rule.step})`,
      );
  return lines.join('\n');
}
