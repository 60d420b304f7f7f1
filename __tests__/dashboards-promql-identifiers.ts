/**
 * The names a PromQL expression uses, found by tokenizing it (strings, ranges and numbers are
 * skipped as units, not by pattern guessing): series selectors with the label names of their
 * matchers, the labels of grouping and matching clauses (`by`, `without`, `on`, `ignoring`,
 * `group_left`, `group_right`), and the functions called. Enough to check that dashboards read
 * only catalog metrics and labels; not a PromQL validator (promtool and Prometheus are that).
 */

export interface SelectorUse {
  /** Metric name, or the value of a `__name__` matcher; `undefined` for a bare `{...}`. */
  metric: string | undefined;
  /** Label names its matchers test. */
  labels: string[];
}

export interface PromqlIdentifiers {
  selectors: SelectorUse[];
  groupingLabels: string[];
  functions: string[];
}

const TOKEN =
  /\s+|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`)|([a-zA-Z_:][a-zA-Z0-9_:]*)|(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?(?:ms|[smhdwy])*)|(=~|!~|!=|==|>=|<=|[-+*/%^(){}[\],=<>@])/y;

/** Numbers include durations (`5m`, `1h30m` as `1h` `30m`), so an `offset 5m` is not read as a metric `m`. */
type Token = { kind: 'string' | 'identifier' | 'number' | 'punctuation'; text: string };

function tokenize(expr: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < expr.length) {
    const at = TOKEN.lastIndex;
    const match = TOKEN.exec(expr);
    if (!match)
      throw new Error(`cannot tokenize PromQL at ${at}: ${JSON.stringify(expr.slice(at, at + 20))} in ${expr}`);
    const [, string, identifier, number, punctuation] = match;
    if (string !== undefined) tokens.push({ kind: 'string', text: string });
    else if (identifier !== undefined) tokens.push({ kind: 'identifier', text: identifier });
    else if (number !== undefined) tokens.push({ kind: 'number', text: number });
    else if (punctuation !== undefined) tokens.push({ kind: 'punctuation', text: punctuation });
  }
  return tokens;
}

const AGGREGATIONS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'group',
  'stddev',
  'stdvar',
  'count',
  'count_values',
  'bottomk',
  'topk',
  'quantile',
]);
const CLAUSES = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
const KEYWORDS = new Set(['and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);

function unquote(text: string): string {
  return text.startsWith('`')
    ? text.slice(1, -1)
    : (JSON.parse(text.startsWith("'") ? `"${text.slice(1, -1).replace(/"/g, '\\"')}"` : text) as string);
}

export function promqlIdentifiers(expr: string): PromqlIdentifiers {
  const tokens = tokenize(expr);
  const result: PromqlIdentifiers = { selectors: [], groupingLabels: [], functions: [] };
  const at = (i: number) => tokens[i]?.text;

  /** Reads `{name op "value", ...}` from the `{` at `start`; returns the index after `}`. */
  function matchers(start: number, selector: SelectorUse): number {
    let i = start + 1;
    while (at(i) !== '}') {
      const [name, op, value] = [tokens[i], tokens[i + 1], tokens[i + 2]];
      if (name?.kind !== 'identifier' || !['=', '!=', '=~', '!~'].includes(op?.text) || value?.kind !== 'string') {
        throw new Error(`malformed matcher at token ${i} in ${expr}`);
      }
      if (name.text === '__name__') selector.metric = unquote(value.text);
      else selector.labels.push(name.text);
      i += 3;
      if (at(i) === ',') i += 1;
    }
    return i + 1;
  }

  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i];
    if (token.text === '[') {
      // A range or subquery: durations and steps, no names.
      while (i < tokens.length && at(i) !== ']') i += 1;
      i += 1;
    } else if (token.text === '{') {
      const selector: SelectorUse = { metric: undefined, labels: [] };
      i = matchers(i, selector);
      result.selectors.push(selector);
    } else if (token.kind !== 'identifier') {
      i += 1;
    } else if (CLAUSES.has(token.text) && at(i + 1) === '(') {
      i += 2;
      while (i < tokens.length && at(i) !== ')') {
        if (tokens[i].kind === 'identifier') result.groupingLabels.push(tokens[i].text);
        i += 1;
      }
      i += 1;
    } else if (at(i + 1) === '(' || AGGREGATIONS.has(token.text)) {
      result.functions.push(token.text);
      i += 1;
    } else if (KEYWORDS.has(token.text.toLowerCase())) {
      i += 1;
    } else {
      const selector: SelectorUse = { metric: token.text, labels: [] };
      i = at(i + 1) === '{' ? matchers(i + 1, selector) : i + 1;
      result.selectors.push(selector);
    }
  }
  return result;
}

/** `label_values(<selector>, <label>)`, Grafana's variable query for Prometheus. */
export function labelValuesQuery(query: string): { selector: string; label: string } {
  const match = /^label_values\((.+),\s*([a-zA-Z_][a-zA-Z0-9_]*)\)$/.exec(query.trim());
  if (!match) throw new Error(`not a label_values query: ${query}`);
  return { selector: match[1], label: match[2] };
}

/** Labels a Grafana legend format prints (`{{label}}`). */
export function legendLabels(legendFormat: string): string[] {
  return [...legendFormat.matchAll(/\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g)].map((match) => match[1]);
}
