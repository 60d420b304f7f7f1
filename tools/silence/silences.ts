/**
 * Silences as on-call writes them: by alert name (this stack's alerts, typed) and labels, for a
 * duration, with a comment and an author; and maintenance, a silence of whole rule groups (or of
 * everything) for planned work, marked so `maintenance stop` finds it. Never the Watchdog: a
 * silenced heartbeat stops, and the dead man's switch would raise the alarm.
 */
import { hostname, userInfo } from 'node:os';
import { AlertmanagerApi, PostableSilence, Silence, SilenceMatcher, matcherText } from '../../clients/alertmanager';
import { closest } from '../../config/fields';
import { Duration } from '../../core/duration';
import { escapeRegex } from '../../core/regex';
import { ALERT_NAMES, WATCHDOG, alertRule } from '../../domain/alerting';
import { RULE_GROUPS, isAlert } from '../../domain/rules';
import { UsageError } from '../cli';

/** Alertmanager's label names (model.LabelNameRE). */
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
/** `name=value`, `name!=value`, `name=~regex`, `name!~regex`, as Alertmanager writes matchers. */
const LABEL_MATCHER = /^([^=!~]+)(=~|!~|!=|=)(.*)$/s;

/** Every comment of a maintenance silence starts so: `maintenance stop` expires those. */
export const MAINTENANCE_MARK = 'maintenance: ';

/** The rule groups `--group` takes (one file each under domain/rules/groups/). */
export const GROUP_NAMES = RULE_GROUPS.map((group) => group.name);

/**
 * A matcher's value as typed, or, in double quotes as `silence list` and amtool print it
 * (`instance="api:8000"`), what the quotes hold (their escapes read as Go and JSON read them).
 */
function unquoted(value: string, text: string): string {
  if (!(value.length >= 2 && value.startsWith('"') && value.endsWith('"'))) return value;
  try {
    return JSON.parse(value) as string;
  } catch {
    throw new UsageError(`--label "${text}": the quoted value ${value} is not a valid quoted string`);
  }
}

/** `--label` values as matchers; a name Alertmanager would refuse, or a regex it cannot be, is a usage error. */
export function labelMatchers(labels: readonly string[]): SilenceMatcher[] {
  return labels.map((text) => {
    const match = LABEL_MATCHER.exec(text);
    if (!match || !LABEL_NAME.test(match[1]))
      throw new UsageError(
        `--label "${text}" is not a matcher: expected name=value, name!=value, name=~regex or name!~regex (a name of letters, digits and _)`,
      );
    const [, name, operator, written] = match;
    const value = unquoted(written, text);
    const isRegex = operator.endsWith('~');
    if (isRegex) regexOf(value, `--label "${text}"`);
    return { name, value, isRegex, isEqual: !operator.startsWith('!') };
  });
}

/** A matcher on the alert names given, each one of this stack's alerts (a typo is named with the alert meant). */
export function alertMatcher(names: readonly string[]): SilenceMatcher[] {
  if (names.length === 0) return [];
  for (const name of names) {
    if ((ALERT_NAMES as readonly string[]).includes(name)) continue;
    const guess = closest(name, ALERT_NAMES);
    throw new UsageError(
      `--alert "${name}" is not an alert of this stack${guess ? `: did you mean ${guess}?` : ''} (another alert: --label alertname=<name>)`,
    );
  }
  return [
    names.length === 1
      ? { name: 'alertname', value: names[0], isRegex: false, isEqual: true }
      : { name: 'alertname', value: names.map(escapeRegex).join('|'), isRegex: true, isEqual: true },
  ];
}

/** Every alert of the rule groups named, the Watchdog left out, as one alertname matcher. */
export function groupMatcher(groups: readonly string[]): SilenceMatcher[] {
  for (const group of groups) {
    if (!GROUP_NAMES.includes(group))
      throw new UsageError(`--group "${group}" is not a rule group: ${GROUP_NAMES.join(', ')}`);
  }
  if (groups.length === 0)
    return [
      { name: 'alertname', value: '.+', isRegex: true, isEqual: true },
      { name: 'alertname', value: WATCHDOG, isRegex: false, isEqual: false },
    ];
  const names = RULE_GROUPS.filter((group) => groups.includes(group.name))
    .flatMap((group) => group.rules.filter(isAlert).map((rule) => rule.name))
    .filter((name) => name !== WATCHDOG);
  return [{ name: 'alertname', value: names.map(escapeRegex).join('|'), isRegex: true, isEqual: true }];
}

/** A regex as Alertmanager anchors it; a usage error naming `what` when it is none. */
function regexOf(value: string, what: string): RegExp {
  try {
    return new RegExp(`^(?:${value})$`);
  } catch {
    throw new UsageError(`${what}: "${value}" is not a regular expression`);
  }
}

function matches(matcher: SilenceMatcher, value: string): boolean {
  const equal = matcher.isRegex ? regexOf(matcher.value, matcher.name).test(value) : value === matcher.value;
  return equal === (matcher.isEqual !== false);
}

/** Whether a silence of these matchers mutes an alert with these labels (a missing label is the empty string). */
export function silences(matchers: readonly SilenceMatcher[], labels: Readonly<Record<string, string>>): boolean {
  return matchers.every((matcher) => matches(matcher, labels[matcher.name] ?? ''));
}

/**
 * Refuses what Alertmanager would refuse, or what would do harm: no matcher, only matchers that
 * match the empty string (they would silence every alert), or a silence of the Watchdog.
 */
export function checkedMatchers(matchers: SilenceMatcher[]): SilenceMatcher[] {
  if (matchers.length === 0) throw new UsageError('say what to silence: --alert <name> and/or --label <matcher>');
  if (matchers.every((matcher) => matches(matcher, '')))
    throw new UsageError(
      `{${matchers.map(matcherText).join(', ')}} would silence every alert without those labels: add a matcher that needs a value (Alertmanager refuses it too)`,
    );
  if (silences(matchers, { alertname: WATCHDOG, severity: alertRule(WATCHDOG).severity }))
    throw new UsageError(
      `{${matchers.map(matcherText).join(', ')}} would silence the ${WATCHDOG}: its heartbeat stops and the dead man's switch raises the alarm. Narrow it (--label alertname!=${WATCHDOG})`,
    );
  return matchers;
}

/** `--duration`: a Prometheus duration above zero. */
export function durationOf(value: string | undefined): Duration {
  if (value === undefined) throw new UsageError('--duration is needed: how long, such as 30m, 2h, 1d');
  let duration: Duration;
  try {
    duration = Duration.parse(value);
  } catch {
    throw new UsageError(`--duration "${value}" is not a duration: expected such as 30m, 2h, 1d`);
  }
  if (duration.millis <= 0) throw new UsageError(`--duration "${value}" is no time at all`);
  return duration;
}

/** `--comment`: why, for whoever finds the silence (Alertmanager needs one). */
export function commentOf(value: string | undefined): string {
  if (value === undefined || value.trim() === '')
    throw new UsageError('--comment is needed: why the alerts are silenced, for whoever finds the silence');
  return value.trim();
}

/** `--author`, or who runs the tool: `<user>@<host>`. */
export function authorOf(value: string | undefined, env: NodeJS.ProcessEnv): string {
  if (value !== undefined && value.trim() !== '') return value.trim();
  let user = env.USER ?? env.LOGNAME;
  try {
    user ??= userInfo().username;
  } catch {
    user ??= 'someone';
  }
  return `${user}@${hostname()}`;
}

/** What a created silence is and what it mutes now. */
export interface CreatedSilence extends PostableSilence {
  id: string;
  /** Alerts Alertmanager holds that the silence mutes now: `<alertname> <instance>`. */
  mutesNow: string[];
}

/** Creates the silence from now for `duration`; then asks which alerts it mutes. */
export async function createSilence(
  api: AlertmanagerApi,
  spec: { matchers: SilenceMatcher[]; duration: Duration; comment: string; author: string },
  now = new Date(),
): Promise<CreatedSilence> {
  const silence: PostableSilence = {
    matchers: spec.matchers,
    startsAt: now.toISOString(),
    endsAt: new Date(now.getTime() + spec.duration.millis).toISOString(),
    createdBy: spec.author,
    comment: spec.comment,
  };
  const id = await api.createSilence(silence);
  const muted = (await api.alerts()).filter((alert) => alert.status.silencedBy.includes(id));
  return {
    id,
    ...silence,
    mutesNow: muted.map((alert) => [alert.labels.alertname, alert.labels.instance].filter(Boolean).join(' ')),
  };
}

/** Silences that are in force or will be (active, pending); every one with `all`. */
export async function listSilences(api: AlertmanagerApi, all: boolean): Promise<Silence[]> {
  const order = { active: 0, pending: 1, expired: 2 };
  return (await api.silences())
    .filter((silence) => all || silence.status.state !== 'expired')
    .sort((a, b) => order[a.status.state] - order[b.status.state] || a.endsAt.localeCompare(b.endsAt));
}

/** The maintenance silences in force or pending (their comment starts with the mark). */
export async function maintenanceSilences(api: AlertmanagerApi): Promise<Silence[]> {
  return (await listSilences(api, false)).filter((silence) => silence.comment.startsWith(MAINTENANCE_MARK));
}

/** One silence as a line: `<id> <state> {matchers} until <end> by <author>: <comment>`. */
export function describeSilence(silence: Silence | CreatedSilence): string {
  const state = 'status' in silence ? `${silence.status.state} ` : '';
  return `${silence.id} ${state}{${silence.matchers.map(matcherText).join(', ')}} from ${silence.startsAt} until ${silence.endsAt} by ${silence.createdBy}: ${silence.comment}`;
}
