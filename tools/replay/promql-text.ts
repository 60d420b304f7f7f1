/**
 * The little PromQL a replay needs to read in a rule's expression text: which series selectors it
 * holds (to put a recording rule's own expression in place of the recorded series, and to tell
 * which metrics an alert reads), never a full parse. Works on any revision's rendered rules, not
 * only on the typed ones of this checkout.
 */

import { Duration } from '../../core/duration';

/** A label matcher of a selector: `job="api"`, `status=~"5.."`. */
export interface SelectorMatcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  /** The value as PromQL reads it (unquoted, escapes resolved). */
  readonly value: string;
}

/** A series selector found in an expression: where it is, and what follows it. */
export interface SelectorMatch {
  /** The metric name, or the value of a `{__name__="..."}` matcher; undefined for `{job="x"}` alone. */
  readonly name?: string;
  readonly matchers: readonly SelectorMatcher[];
  /** `[5m]` (a range) or `[30m:1m]` (a subquery over the selector), as written; undefined for an instant selector. */
  readonly range?: string;
  /** Whether `offset` or `@` modifies it. */
  readonly modified: boolean;
  /** Character positions of the whole selector, modifiers included: `text.slice(start, end)`. */
  readonly start: number;
  readonly end: number;
}

/** Words that are PromQL syntax, never a metric name. */
const KEYWORDS = new Set([
  'and',
  'or',
  'unless',
  'atan2',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'offset',
  'bool',
  'inf',
  'nan',
  'start',
  'end',
]);
/** Modifiers followed by a parenthesised list of label names, not of expressions. */
const LABEL_LISTS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);

const IDENTIFIER = /[a-zA-Z_:][a-zA-Z0-9_:]*/y;
const LABEL_NAME = /[a-zA-Z_][a-zA-Z0-9_]*/y;
const SPACE = /\s*/y;

/** Reads a quoted PromQL string at `at` ("...", '...' or `...`): its value and the position after it. */
function readString(text: string, at: number): { value: string; next: number } {
  const quote = text[at];
  let i = at + 1;
  let raw = '';
  while (i < text.length && text[i] !== quote) {
    if (text[i] === '\\' && quote !== '`') {
      raw += text.slice(i, i + 2);
      i += 2;
    } else {
      raw += text[i];
      i += 1;
    }
  }
  if (i >= text.length) throw new SyntaxError(`unterminated string at character ${at + 1} of ${text}`);
  // A double-quoted PromQL string reads as a JSON one for the escapes rules use (\\ \" \n \t \uXXXX).
  const value =
    quote === '`' ? raw : (JSON.parse(`"${raw.replace(/\\'/g, "'").replace(/(?<!\\)"/g, '\\"')}"`) as string);
  return { value, next: i + 1 };
}

function skipSpace(text: string, at: number): number {
  SPACE.lastIndex = at;
  SPACE.exec(text);
  return SPACE.lastIndex;
}

/** The matchers of a `{...}` block starting at `at`, and the position after it. */
function readMatchers(text: string, at: number): { matchers: SelectorMatcher[]; next: number } {
  const matchers: SelectorMatcher[] = [];
  let i = skipSpace(text, at + 1);
  while (text[i] !== '}') {
    LABEL_NAME.lastIndex = i;
    const label = LABEL_NAME.exec(text)?.[0];
    if (label === undefined) throw new SyntaxError(`expected a label name at character ${i + 1} of ${text}`);
    i = skipSpace(text, i + label.length);
    const op = (['!=', '=~', '!~', '='] as const).find((candidate) => text.startsWith(candidate, i));
    if (op === undefined) throw new SyntaxError(`expected a matcher operator at character ${i + 1} of ${text}`);
    i = skipSpace(text, i + op.length);
    const { value, next } = readString(text, i);
    matchers.push({ label, op, value });
    i = skipSpace(text, next);
    if (text[i] === ',') i = skipSpace(text, i + 1);
    else if (text[i] !== '}') throw new SyntaxError(`expected , or } at character ${i + 1} of ${text}`);
  }
  return { matchers, next: i + 1 };
}

/** Whether an `offset <duration>` or `@ <time>` modifier starts at `at`; the position after it. */
function readModifier(text: string, at: number): number | undefined {
  const i = skipSpace(text, at);
  const offset = /offset\s+-?[0-9a-z]+/y;
  offset.lastIndex = i;
  if (offset.exec(text)) return offset.lastIndex;
  const atModifier = /@\s*(?:[0-9.]+|start\s*\(\s*\)|end\s*\(\s*\))/y;
  atModifier.lastIndex = i;
  if (atModifier.exec(text)) return atModifier.lastIndex;
  return undefined;
}

/** Every series selector of `expr`, in order. Throws a SyntaxError on text it cannot read. */
export function findSelectors(expr: string): SelectorMatch[] {
  const found: SelectorMatch[] = [];
  let i = 0;
  let previousWord: string | undefined;
  while (i < expr.length) {
    const char = expr[i];
    if (char === '"' || char === "'" || char === '`') {
      i = readString(expr, i).next;
      previousWord = undefined;
      continue;
    }
    if (char === '(' && previousWord !== undefined && LABEL_LISTS.has(previousWord)) {
      // `by (job, instance)`: label names, not metrics.
      i = expr.indexOf(')', i) + 1;
      if (i === 0) throw new SyntaxError(`unclosed label list in ${expr}`);
      previousWord = undefined;
      continue;
    }
    if (/[0-9.]/.test(char)) {
      // Numbers and durations (`0.05`, `1e-3`, `5m`, `1h30m`): nothing to find in them.
      const number = /[0-9.]+(?:[eE][+-]?[0-9]+)?[a-zA-Z0-9]*/y;
      number.lastIndex = i;
      number.exec(expr);
      i = number.lastIndex;
      previousWord = undefined;
      continue;
    }
    IDENTIFIER.lastIndex = i;
    const word = char === '{' ? '' : IDENTIFIER.exec(expr)?.[0];
    if (word === undefined) {
      if (char === '[') i = expr.indexOf(']', i) + 1;
      else i += 1;
      if (!/\s/.test(char)) previousWord = undefined;
      continue;
    }
    const afterWord = skipSpace(expr, i + word.length);
    const next = expr[afterWord];
    const nextWord = /^(by|without)\b/.exec(expr.slice(afterWord))?.[1];
    const isSelector = word === '' || (!KEYWORDS.has(word.toLowerCase()) && next !== '(' && nextWord === undefined);
    if (!isSelector) {
      i += word.length;
      previousWord = word;
      continue;
    }
    let end = word === '' ? i : i + word.length;
    let matchers: SelectorMatcher[] = [];
    if (expr[skipSpace(expr, end)] === '{') {
      const read = readMatchers(expr, skipSpace(expr, end));
      matchers = read.matchers;
      end = read.next;
    }
    let range: string | undefined;
    const bracket = skipSpace(expr, end);
    if (expr[bracket] === '[') {
      const close = expr.indexOf(']', bracket);
      range = expr.slice(bracket + 1, close).trim();
      end = close + 1;
    }
    const modifierEnd = readModifier(expr, end);
    const nameMatcher = matchers.find((matcher) => matcher.label === '__name__' && matcher.op === '=');
    found.push({
      name: word === '' ? nameMatcher?.value : word,
      matchers: matchers.filter((matcher) => matcher !== nameMatcher),
      range,
      modified: modifierEnd !== undefined,
      start: i,
      end: modifierEnd ?? end,
    });
    i = modifierEnd ?? end;
    previousWord = undefined;
  }
  return found;
}

/** The metric names an expression's selectors read (recorded series included, as written), sorted. */
export function metricNamesRead(expr: string): string[] {
  return [
    ...new Set(findSelectors(expr).flatMap((selector) => (selector.name === undefined ? [] : [selector.name]))),
  ].sort();
}

/** RE2 syntax for a literal value (PromQL's `=` and `!=` as `=~` and `!~`). */
function literalRegex(value: string): string {
  return value.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/** A label only the replay's filters use: marks the series a matcher keeps, then goes. */
const MARK = '__replay_match';

/**
 * `expr` restricted to the series a selector's matcher would keep. `label_replace` marks the series
 * whose label matches (its regex is anchored, like a matcher's; a missing label reads as ""), a
 * join on the mark keeps them (or, for `!=`/`!~`, drops them), and the mark is removed again.
 */
function filtered(expr: string, matcher: SelectorMatcher): string {
  const regex = matcher.op === '=' || matcher.op === '!=' ? literalRegex(matcher.value) : matcher.value;
  const marked = `label_replace(${expr}, "${MARK}", "1", ${JSON.stringify(matcher.label)}, ${JSON.stringify(regex)})`;
  const mark = `label_replace(vector(1), "${MARK}", "1", "", "")`;
  const keep = matcher.op === '=' || matcher.op === '=~';
  return `label_replace(${marked} ${keep ? 'and' : 'unless'} on (${MARK}) ${mark}, "${MARK}", "", "", "")`;
}

/** Why a selector of a recorded series cannot be replaced by the recording's expression. */
export class NotReplayable extends Error {}

/** A recording as a replay inlines it: its expression (recordings it reads already inlined) and its group's interval. */
export interface RecordedExpression {
  readonly expr: string;
  /** The evaluation interval of the recording's group: the spacing its samples would have had. */
  readonly interval: string;
  /** The windows it reads (`windowsRead` of its own expression), ms. */
  readonly windowsMs: readonly number[];
}

/**
 * The windows (ms) `expr` reads, as written, recordings not inlined: each range on a series
 * (`[3d]`, a subquery's `[6h:1m]`), and for a recorded series read without a range, the windows
 * of the recording. `avg_over_time(r5m[3d])` reads a 3d window, not the 5m inside `r5m`.
 * Throws a RangeError on a range that is not a duration.
 */
export function windowsRead(expr: string, recordings: ReadonlyMap<string, RecordedExpression>): number[] {
  return findSelectors(expr).flatMap((selector) => {
    if (selector.range !== undefined) return [Duration.parse(selector.range.split(':')[0]).millis];
    const recorded = selector.name === undefined ? undefined : recordings.get(selector.name);
    return recorded === undefined ? [] : [...recorded.windowsMs];
  });
}

/**
 * `expr` with every selector of a recorded series replaced by the recording's expression, its
 * matchers applied as filters. A range over a recorded series (`r[10m]`) becomes a subquery at
 * the recording's interval, where its samples would have been written. `offset` and `@` on a
 * recorded series are refused (NotReplayable).
 */
export function substituteRecordings(expr: string, recordings: ReadonlyMap<string, RecordedExpression>): string {
  let out = '';
  let copied = 0;
  for (const selector of findSelectors(expr)) {
    const recorded = selector.name === undefined ? undefined : recordings.get(selector.name);
    if (recorded === undefined) continue;
    if (selector.modified)
      throw new NotReplayable(`${selector.name} is read with offset or @: its past values were never recorded`);
    const body = selector.matchers.reduce(filtered, `(${recorded.expr})`);
    const replaced =
      selector.range === undefined
        ? `(${body})`
        : `(${body})[${selector.range.includes(':') ? selector.range : `${selector.range}:${recorded.interval}`}]`;
    out += expr.slice(copied, selector.start) + replaced;
    copied = selector.end;
  }
  return out + expr.slice(copied);
}
