/**
 * A replay of the labelled month judged against its ground truth (events.ts).
 *
 * A message is about an event when one of its firing alerts started firing between the event's
 * start and its end plus grace, reads one of the series the event disturbs (the rule's
 * expression, recordings inlined, names them) and carries the labels the event is keyed on with
 * its values (`keyedOn`): an alert about queues is not about an API outage at the same time, nor
 * one about the low-volume task, or about no task at all, about the sync task's failures. A message that announces alerts (`firing` kind:
 * new in its group) is true when it is about an incident that deserves it: a page only about one
 * that deserves a page (waking someone for less is the noise people feel), a warning or a ticket
 * about any incident (a ticket-worthy slow burn told in the warning chat is early, not false). An
 * incident is detected when a message about it comes, of its tier or more urgent, and its time to
 * detect runs from its start to that message. Repeats, partial and full
 * resolutions count as notifications, not as announcements.
 */
import { Message } from '../../tools/replay/alertmanager';
import { ReplayResult } from '../../tools/replay/replay';
import { TIERS, Tier, tierOf } from '../../tools/replay/report';
import { Deserved, LabelledEvent } from './events';

const RANK: Record<Deserved, number> = { none: 0, ticket: 1, warning: 2, page: 3 };

/** An announcement and the events it is about. */
export interface Announcement {
  message: Message;
  tier: Tier;
  about: LabelledEvent[];
  /** About an incident that deserves it (see the file's comment). */
  true: boolean;
}

/** Precision and recall of one tier over the month. */
export interface TierScore {
  /** Announcements of the tier. */
  sent: number;
  trueSent: number;
  /** trueSent / sent; null when none was sent. */
  precision: number | null;
  /** Incidents that deserve the tier. */
  incidents: number;
  detected: number;
  /** detected / incidents; null when no incident deserves the tier. */
  recall: number | null;
}

/** What became of one labelled event. */
export interface EventOutcome {
  event: LabelledEvent;
  announcements: Announcement[];
  /** For an incident: the first announcement of its tier or more urgent, ms after its start. */
  detectedAfterMs?: number;
  /** Announcements about it per receiver. */
  perChat: Record<string, number>;
}

/** The month judged: per tier, per event, and what was about nothing. */
export interface MonthScore {
  tiers: Record<Tier, TierScore>;
  events: EventOutcome[];
  /** Announcements about no event at all. */
  unexplained: Announcement[];
}

/**
 * Whether an alert's labels point at `event`: it carries every label of one of the event's keys
 * (`keyedBy`, by default all its labels) with the event's value, and no label of the event with
 * another value. An alert without the label an event is keyed on is about something else.
 */
export function keyedOn(alertLabels: Readonly<Record<string, string>>, event: LabelledEvent): boolean {
  const names = Object.keys(event.labels);
  const keys = event.keyedBy ?? [names];
  return (
    names.every((name) => alertLabels[name] === undefined || alertLabels[name] === event.labels[name]) &&
    keys.some((key) => key.every((name) => alertLabels[name] === event.labels[name]))
  );
}

/** The announcements of a replay (messages to people), each with the events it is about. */
export function announcements(
  result: ReplayResult,
  people: readonly Message[],
  events: readonly LabelledEvent[],
): Announcement[] {
  const metricsOf = new Map(result.outcomes.map((outcome) => [outcome.rule.name, new Set(outcome.rule.metrics)]));
  return people.flatMap((message) => {
    const tier = tierOf(message);
    if (message.kind !== 'firing' || tier === undefined) return [];
    const about = events.filter((event) =>
      message.firing.some((alert) => {
        const reads = metricsOf.get(alert.labels.alertname) ?? new Set<string>();
        return (
          alert.firedAt >= event.start &&
          alert.firedAt <= event.end + event.graceMs &&
          event.metrics.some((metric) => reads.has(metric)) &&
          keyedOn(alert.labels, event)
        );
      }),
    );
    const deserved = (event: LabelledEvent) =>
      tier === 'page' ? event.deserves === 'page' : event.kind === 'incident' && event.deserves !== 'none';
    return [{ message, tier, about, true: about.some(deserved) }];
  });
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : Number((part / whole).toFixed(3));
}

/** Precision and recall per tier, and what became of every event. */
export function scoreMonth(sent: readonly Announcement[], events: readonly LabelledEvent[]): MonthScore {
  const outcomes = events.map((event): EventOutcome => {
    const own = sent.filter((announcement) => announcement.about.includes(event));
    const detecting = own.filter((announcement) => RANK[announcement.tier] >= RANK[event.deserves]);
    const perChat: Record<string, number> = {};
    for (const announcement of own)
      perChat[announcement.message.receiver] = (perChat[announcement.message.receiver] ?? 0) + 1;
    return {
      event,
      announcements: own,
      ...(event.kind === 'incident' && detecting.length > 0
        ? { detectedAfterMs: Math.min(...detecting.map((announcement) => announcement.message.at)) - event.start }
        : {}),
      perChat,
    };
  });
  const tiers = Object.fromEntries(
    TIERS.map((tier) => {
      const ofTier = sent.filter((announcement) => announcement.tier === tier);
      const trueSent = ofTier.filter((announcement) => announcement.true).length;
      const deserving = outcomes.filter(
        (outcome) => outcome.event.kind === 'incident' && outcome.event.deserves === tier,
      );
      const detected = deserving.filter((outcome) => outcome.detectedAfterMs !== undefined).length;
      return [
        tier,
        {
          sent: ofTier.length,
          trueSent,
          precision: ratio(trueSent, ofTier.length),
          incidents: deserving.length,
          detected,
          recall: ratio(detected, deserving.length),
        },
      ];
    }),
  ) as Record<Tier, TierScore>;
  return { tiers, events: outcomes, unexplained: sent.filter((announcement) => announcement.about.length === 0) };
}
