/**
 * The Alertmanager side of a replay: which messages each receiver would have sent for a list of
 * alert episodes, modelled on Alertmanager 0.25 (the version the tests run; the image's 0.26 does
 * the same here):
 *
 * - Prometheus sends an alert when it fires (`startsAt` = the firing evaluation) and when it
 *   resolves (rules/manager.go, SendAlerts);
 * - the routing tree picks the routes (first matching child unless `continue`; a node without a
 *   matching child matches itself), each route's `group_by` labels the alert's group
 *   (dispatch/route.go, dispatch/dispatch.go);
 * - a new group flushes after `group_wait`, then every `group_interval`; a group left empty (its
 *   resolved alerts told) is deleted at the dispatcher's next 30 s maintenance, and the next alert
 *   starts a new one with a fresh `group_wait`;
 * - at a flush, alerts muted by an inhibition (a source alert not resolved, the `equal` labels the
 *   same, sources that also match the target side ignored: inhibit/inhibit.go) or by the route's
 *   time intervals are left out, and the notification log decides whether a message goes out
 *   (notify/notify.go, DedupStage.needsUpdate): a firing alert not in the last message, a newly
 *   resolved one (when the receiver sends resolved alerts), all resolved after a message that had
 *   firing ones, or `repeat_interval` since the last message.
 *
 * Silences are not modelled (a replay asks what the rules would have sent, not what someone muted).
 */
import { Duration } from '../../core/duration';
import { AlertEpisode, labelKey } from './evaluate';
import { ReplayAlertmanager, ReplayInhibitRule, ReplayRoute, ReplayTimeRange } from './rule-set';
import { inTimeRange } from './time-intervals';

/** Alertmanager's interval of removing empty groups (dispatch/dispatch.go, run). */
const MAINTENANCE_MS = 30_000;

interface Matcher {
  name: string;
  test: (value: string) => boolean;
}

/** One matcher in Alertmanager's syntax (`severity="critical"`, `alertname=~"A|B"`, unquoted values too). */
export function parseMatcher(text: string): Matcher {
  const match = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/.exec(text);
  if (!match) throw new Error(`"${text}" is not an Alertmanager matcher (label="value")`);
  const [, name, op, rawValue] = match;
  const value = rawValue.startsWith('"') ? (JSON.parse(rawValue) as string) : rawValue;
  return equalityOrRegex(name, op as '=' | '!=' | '=~' | '!~', value);
}

function equalityOrRegex(name: string, op: '=' | '!=' | '=~' | '!~', value: string): Matcher {
  const regex = op.endsWith('~') ? new RegExp(`^(?:${value})$`) : undefined;
  const holds = (labelValue: string) => (regex ? regex.test(labelValue) : labelValue === value);
  return { name, test: op.startsWith('!') ? (v) => !holds(v) : holds };
}

/** `matchers`, legacy `match` and `match_re` of a route or an inhibition side, as one list. */
function matcherList(texts?: string[], equal?: Record<string, string>, regex?: Record<string, string>): Matcher[] {
  return [
    ...(texts ?? []).map(parseMatcher),
    ...Object.entries(equal ?? {}).map(([name, value]) => equalityOrRegex(name, '=', value)),
    ...Object.entries(regex ?? {}).map(([name, value]) => equalityOrRegex(name, '=~', value)),
  ];
}

function matchesAll(matchers: readonly Matcher[], labels: Record<string, string>): boolean {
  return matchers.every((matcher) => matcher.test(labels[matcher.name] ?? ''));
}

/** A route with its options resolved as Alertmanager resolves them (inherited from the parent). */
interface Route {
  id: string;
  receiver: string;
  matchers: Matcher[];
  continue: boolean;
  groupBy: string[] | 'all';
  groupWait: number;
  groupInterval: number;
  repeatInterval: number;
  mute: string[];
  active: string[];
  children: Route[];
}

/** Alertmanager's defaults for the root route (dispatch/route.go, DefaultRouteOpts). */
const ROOT_DEFAULTS = { groupWait: 30_000, groupInterval: 300_000, repeatInterval: 4 * 3_600_000 };

function compileRoute(raw: ReplayRoute, parent: Route | undefined, id: string): Route {
  const inherited = parent ?? { receiver: '', groupBy: [] as string[] | 'all', ...ROOT_DEFAULTS };
  const ms = (text: string | undefined, fallback: number) =>
    text === undefined ? fallback : Duration.parse(text).millis;
  const route: Route = {
    id,
    receiver: raw.receiver ?? inherited.receiver,
    matchers: matcherList(raw.matchers, raw.match, raw.match_re),
    continue: raw.continue ?? false,
    groupBy: raw.group_by === undefined ? inherited.groupBy : raw.group_by.includes('...') ? 'all' : raw.group_by,
    groupWait: ms(raw.group_wait, inherited.groupWait),
    groupInterval: ms(raw.group_interval, inherited.groupInterval),
    repeatInterval: ms(raw.repeat_interval, inherited.repeatInterval),
    // Not inherited (dispatch/route.go sets them from the route's own configuration).
    mute: raw.mute_time_intervals ?? [],
    active: raw.active_time_intervals ?? [],
    children: [],
  };
  route.children = (raw.routes ?? []).map((child, i) => compileRoute(child, route, `${id}/${i}`));
  return route;
}

/** The routes an alert with `labels` goes to (dispatch/route.go, Route.Match). */
function matchRoutes(route: Route, labels: Record<string, string>): Route[] {
  if (!matchesAll(route.matchers, labels)) return [];
  const matched: Route[] = [];
  for (const child of route.children) {
    const found = matchRoutes(child, labels);
    matched.push(...found);
    if (found.length > 0 && !child.continue) break;
  }
  return matched.length > 0 ? matched : [route];
}

interface Inhibition {
  source: Matcher[];
  target: Matcher[];
  equal: string[];
}

function compileInhibition(rule: ReplayInhibitRule): Inhibition {
  return {
    source: matcherList(rule.source_matchers, rule.source_match, rule.source_match_re),
    target: matcherList(rule.target_matchers, rule.target_match, rule.target_match_re),
    equal: rule.equal ?? [],
  };
}

/** An alert of a message: its labels and the episode it belongs to. */
export interface MessageAlert {
  labels: Record<string, string>;
  firedAt: number;
  resolvedAt?: number;
}

/**
 * What a message says, from the notification log's point of view:
 * - `firing`: it tells about an alert the last message of its group did not (a new one, or one
 *   fired again);
 * - `changed`: alerts resolved while others still fire;
 * - `resolved`: every alert of the group resolved;
 * - `repeat`: nothing changed, `repeat_interval` passed.
 */
export type MessageKind = 'firing' | 'changed' | 'resolved' | 'repeat';

/** A message one receiver would have sent. */
export interface Message {
  at: number;
  receiver: string;
  /** The group's labels (its `group_by` values). */
  group: Record<string, string>;
  kind: MessageKind;
  firing: MessageAlert[];
  resolved: MessageAlert[];
}

interface StoredAlert extends MessageAlert {
  key: string;
}

interface AggregationGroup {
  route: Route;
  key: string;
  labels: Record<string, string>;
  alerts: Map<string, StoredAlert>;
  nextFlush: number;
  /** When a flush left it empty; deleted at the next maintenance unless an alert comes first. */
  emptySince?: number;
}

interface LogEntry {
  firing: Set<string>;
  resolved: Set<string>;
  at: number;
}

/**
 * The messages Alertmanager would have sent for `episodes` between `fromMs` and `toMs`, per
 * receiver with integrations (a receiver without any sends nothing). Alerts still firing at `toMs`
 * stay firing.
 */
export function simulateAlertmanager(
  config: ReplayAlertmanager,
  episodes: readonly AlertEpisode[],
  fromMs: number,
  toMs: number,
): Message[] {
  const root = compileRoute(config.route, undefined, 'root');
  const inhibitions = config.inhibit_rules.map(compileInhibition);
  const intervals = new Map<string, ReplayTimeRange[]>(
    config.time_intervals.map((interval) => [interval.name, interval.time_intervals]),
  );
  for (const name of collectIntervalNames(root))
    if (!intervals.has(name)) throw new Error(`a route names time interval "${name}", which is not defined`);
  const receivers = new Map(config.receivers.map((receiver) => [receiver.name, receiver]));

  // Alert arrivals: each episode fires, then (if it did) resolves, in time order.
  const arrivals = episodes
    .flatMap((episode) => {
      const alert: StoredAlert = {
        key: labelKey(episode.labels),
        labels: episode.labels,
        firedAt: episode.firedAt,
        resolvedAt: episode.resolvedAt,
      };
      return [
        { at: episode.firedAt, alert, resolved: false },
        ...(episode.resolvedAt !== undefined ? [{ at: episode.resolvedAt, alert, resolved: true }] : []),
      ];
    })
    .filter((arrival) => arrival.at <= toMs)
    .sort((a, b) => a.at - b.at || Number(a.resolved) - Number(b.resolved));

  /** The alerts Alertmanager holds that have not resolved, by label key: the source side of inhibitions. */
  const known = new Map<string, StoredAlert>();
  const groups = new Map<string, AggregationGroup>();
  const log = new Map<string, LogEntry>();
  const messages: Message[] = [];

  const firingAt = (alert: MessageAlert, at: number) =>
    alert.firedAt <= at && (alert.resolvedAt === undefined || alert.resolvedAt > at);
  const inhibited = (labels: Record<string, string>, at: number) =>
    inhibitions.some((rule) => {
      if (!matchesAll(rule.target, labels)) return false;
      const twoSided = matchesAll(rule.source, labels);
      for (const [key, source] of known) {
        // Time only moves on: an alert resolved by now inhibits nothing again until it fires anew.
        if (source.resolvedAt !== undefined && source.resolvedAt <= at) known.delete(key);
        if (!firingAt(source, at) || !matchesAll(rule.source, source.labels)) continue;
        if (!rule.equal.every((name) => (source.labels[name] ?? '') === (labels[name] ?? ''))) continue;
        if (twoSided && matchesAll(rule.target, source.labels)) continue;
        return true;
      }
      return false;
    });
  const timeMuted = (route: Route, at: number) =>
    route.mute.some((name) => (intervals.get(name) ?? []).some((range) => inTimeRange(at, range))) ||
    (route.active.length > 0 &&
      !route.active.some((name) => (intervals.get(name) ?? []).some((range) => inTimeRange(at, range))));

  const flush = (group: AggregationGroup, at: number) => {
    const alerts = [...group.alerts.values()];
    group.nextFlush = at + group.route.groupInterval;
    const shown = timeMuted(group.route, at) ? [] : alerts.filter((alert) => !inhibited(alert.labels, at));
    // The pipeline stops at an empty list: no notification-log entry, but the flush "succeeded".
    if (shown.length > 0) notify(group, shown, at);
    for (const alert of alerts) if (!firingAt(alert, at) && alert.firedAt <= at) group.alerts.delete(alert.key);
    if (group.alerts.size === 0) group.emptySince = at;
  };

  const notify = (group: AggregationGroup, shown: StoredAlert[], at: number) => {
    const receiver = receivers.get(group.route.receiver);
    const firing = shown.filter((alert) => firingAt(alert, at));
    const resolved = shown.filter((alert) => !firingAt(alert, at));
    const logKey = `${group.route.receiver}\u0000${group.key}`;
    const entry = log.get(logKey);
    const firingKeys = new Set(firing.map((alert) => alert.key));
    const resolvedKeys = new Set(resolved.map((alert) => alert.key));
    const subset = (set: Set<string>, of: Set<string>) => [...set].every((key) => of.has(key));
    let kind: MessageKind | undefined;
    if (entry === undefined) kind = firing.length > 0 ? 'firing' : undefined;
    else if (!subset(firingKeys, entry.firing)) kind = 'firing';
    else if (firing.length === 0) kind = entry.firing.size > 0 ? 'resolved' : undefined;
    else if (receiver?.sendResolved && !subset(resolvedKeys, entry.resolved)) kind = 'changed';
    // Strictly before (DedupStage.needsUpdate): the log's time is when the last message went out, a
    // little after its flush, so the flush exactly one repeat_interval later does not repeat yet.
    else if (entry.at < at - group.route.repeatInterval) kind = 'repeat';
    if (kind === undefined) return;
    log.set(logKey, { firing: firingKeys, resolved: resolvedKeys, at });
    const told = receiver?.sendResolved ? resolved : [];
    if (receiver === undefined || receiver.integrations.length === 0 || firing.length + told.length === 0) return;
    messages.push({ at, receiver: receiver.name, group: group.labels, kind, firing, resolved: told });
  };

  const nextMaintenance = (at: number) => fromMs + Math.ceil((at - fromMs) / MAINTENANCE_MS) * MAINTENANCE_MS;

  /** Flushes due up to `until` (inclusive), in time order. */
  const flushUntil = (until: number) => {
    for (;;) {
      let due: AggregationGroup | undefined;
      for (const group of groups.values())
        if (group.emptySince === undefined && group.nextFlush <= until && (!due || group.nextFlush < due.nextFlush))
          due = group;
      if (!due) return;
      flush(due, due.nextFlush);
    }
  };

  const insert = (alert: StoredAlert, at: number) => {
    for (const route of matchRoutes(root, alert.labels)) {
      const labels =
        route.groupBy === 'all'
          ? { ...alert.labels }
          : Object.fromEntries(
              route.groupBy.filter((name) => name in alert.labels).map((name) => [name, alert.labels[name]]),
            );
      const key = `${route.id}:${labelKey(labels)}`;
      let group = groups.get(key);
      if (group?.emptySince !== undefined) {
        if (nextMaintenance(group.emptySince) <= at) group = undefined;
        else {
          // Still there: its timer kept its cadence while it was empty.
          const missed = Math.ceil((at - group.nextFlush) / route.groupInterval);
          group.nextFlush += Math.max(0, missed) * route.groupInterval;
          group.emptySince = undefined;
        }
      }
      if (!group) {
        group = { route, key, labels, alerts: new Map(), nextFlush: at + route.groupWait };
        groups.set(key, group);
      }
      group.alerts.set(alert.key, alert);
    }
  };

  for (const arrival of arrivals) {
    // Flushes strictly before the arrival; those at the same instant see it (arrivals come first).
    flushUntil(arrival.at - 1);
    known.set(arrival.alert.key, arrival.alert);
    if (!arrival.resolved) insert(arrival.alert, arrival.at);
    else
      for (const group of groups.values())
        if (group.alerts.has(arrival.alert.key)) group.alerts.set(arrival.alert.key, arrival.alert);
  }
  flushUntil(toMs);
  return messages.sort((a, b) => a.at - b.at);
}

function collectIntervalNames(route: Route): string[] {
  return [...route.mute, ...route.active, ...route.children.flatMap(collectIntervalNames)];
}
