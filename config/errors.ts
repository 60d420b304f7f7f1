/**
 * One bad value: which field, what was given (left out when it may be a secret: an unknown key's
 * value, a whole JSON document), what was expected, and where the user set it.
 */
export interface ConfigProblem {
  /** The setting's path, e.g. `prometheus.retention` or `prometheus.extraJobs[0].targets`. */
  field: string;
  /** What was given; `undefined` for "not shown" (never a secret). */
  value?: unknown;
  reason: string;
  /** Where the user set it; absent for a default or a check across fields. */
  source?: ConfigSource;
}

/**
 * Where a setting was given: an environment variable (`PROMETHEUS_RETENTION`), or a JSON document
 * (`MONITORING_CONFIG`, the cdktf context key `monitoring`).
 */
export type ConfigSource = { variable: string } | { document: string };

/** What the user set, the way a problem line starts: the variable (and its setting), or the key in its document. */
function where(problem: ConfigProblem): string {
  const source = problem.source;
  if (source === undefined) return problem.field;
  return 'variable' in source
    ? `${source.variable} (setting ${problem.field})`
    : `${problem.field} in ${source.document}`;
}

/** One line per problem: where, the value when it may be shown, and what was expected. */
export function describeProblem(problem: ConfigProblem): string {
  return `${where(problem)}: ${shownValue(problem.value)}${problem.reason}`;
}

/**
 * A value as a problem line shows it: scalars and lists of scalars in JSON, cut when long (at a
 * character, never inside one); an object, or a list holding one, only by its kind: whatever it
 * holds (a password under some key) stays out of the terminal.
 */
function shownValue(value: unknown): string {
  if (value === undefined) return '';
  const scalar = (item: unknown) => item === null || typeof item !== 'object';
  if (!scalar(value) && !(Array.isArray(value) && value.every(scalar))) {
    return Array.isArray(value) ? `(a list of ${value.length}) ` : '(an object) ';
  }
  const shown = JSON.stringify(value);
  const characters = [...shown];
  return characters.length > 80
    ? `${characters.slice(0, 60).join('')}…" (${characters.length - 2} characters) `
    : `${shown} `;
}

/** Thrown before any resource is created; lists every bad value at once. */
export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(`invalid monitoring configuration:\n${problems.map((p) => `  - ${describeProblem(p)}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Collects problems while a section is parsed, so one run reports all of them.
 * Each reader returns a usable placeholder on error; `done()` throws if anything was wrong.
 */
export class ConfigReader {
  private readonly problems: ConfigProblem[] = [];

  /** Records a problem; `value` undefined means "do not show it". */
  problem(field: string, value: unknown, reason: string): void {
    this.problems.push({ field, value, reason });
  }

  /** Runs `parse`; a thrown error becomes a problem of `field` and `fallback` is returned. */
  attempt<T>(field: string, value: unknown, fallback: T, parse: () => T): T {
    try {
      return parse();
    } catch (error) {
      this.problem(field, value, error instanceof Error ? error.message.replace(/^"[^"]*" /, '') : String(error));
      return fallback;
    }
  }

  done(): void {
    if (this.problems.length > 0) throw new ConfigError(this.problems);
  }
}
