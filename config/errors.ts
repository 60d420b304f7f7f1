/** One bad value: which field, what was given, and what was expected. */
export interface ConfigProblem {
  field: string;
  value: unknown;
  reason: string;
}

/** Thrown before any resource is created; lists every bad value at once. */
export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(
      `invalid monitoring configuration:\n${problems
        .map((p) => `  - ${p.field}: ${JSON.stringify(p.value)} ${p.reason}`)
        .join('\n')}`,
    );
    this.name = 'ConfigError';
  }
}

/**
 * Collects problems while a section is parsed, so one run reports all of them.
 * Each reader returns a usable placeholder on error; `done()` throws if anything was wrong.
 */
export class ConfigReader {
  private readonly problems: ConfigProblem[] = [];

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
