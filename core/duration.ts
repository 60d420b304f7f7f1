/**
 * A span of time as Prometheus and Alertmanager write it (`15s`, `5m`, `1h30m`, `30d`, `2w`, `1y`).
 * Rules, scrape settings and routing timings take a `Duration`, never a free string, so a
 * malformed value is caught where it is written, and the e2e timing profile can scale them.
 */
const UNIT_SECONDS = { d: 86_400, h: 3_600, m: 60, s: 1 } as const;
type Unit = keyof typeof UNIT_SECONDS;
const UNITS_LARGEST_FIRST = Object.keys(UNIT_SECONDS) as Unit[];
/** Prometheus' units (model.ParseDuration): a year is 365 days, a week 7. */
const DURATION_PATTERN = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/;
/**
 * The longest span Prometheus and Alertmanager can hold: Go's `time.Duration`, int64 nanoseconds
 * (about 292 years). Beyond it Prometheus refuses the value ("duration out of range").
 */
const MAX_MILLIS = Math.floor(Number(2n ** 63n - 1n) / 1e6) - 1;

export class Duration {
  static seconds(n: number): Duration {
    return new Duration(n * 1000);
  }
  static minutes(n: number): Duration {
    return new Duration(n * 60_000);
  }
  static hours(n: number): Duration {
    return new Duration(n * 3_600_000);
  }
  static days(n: number): Duration {
    return new Duration(n * 86_400_000);
  }
  static millis(n: number): Duration {
    return new Duration(n);
  }

  /**
   * Parses Prometheus notation (`1h30m`, `15s`, `500ms`, `2w`, `1y`); throws on anything else, and
   * on a span beyond what Prometheus can hold (about 292 years).
   */
  static parse(text: string): Duration {
    const match = DURATION_PATTERN.exec(text.trim());
    if (!match || text.trim() === '') {
      throw new RangeError(
        `"${text}" is not a duration (expected Prometheus notation such as 15s, 5m, 1h30m, 30d, 2w, 1y)`,
      );
    }
    const [y, w, d, h, m, s, ms] = match.slice(1).map((part) => Number(part ?? 0));
    const millis = ((((y * 365 + w * 7 + d) * 24 + h) * 60 + m) * 60 + s) * 1000 + ms;
    if (!(millis <= MAX_MILLIS)) {
      throw new RangeError(`"${text}" is out of range: Prometheus holds durations up to about 292 years`);
    }
    return new Duration(millis);
  }

  static isDuration(value: unknown): value is Duration {
    return value instanceof Duration;
  }

  private constructor(readonly millis: number) {
    if (!Number.isInteger(millis) || millis < 0) {
      throw new RangeError(`a duration must be a whole, non-negative number of milliseconds, got ${millis}`);
    }
  }

  get seconds(): number {
    return this.millis / 1000;
  }

  /** Scales the span (the e2e timing profile runs minutes as seconds); rounds to whole milliseconds. */
  times(factor: number): Duration {
    return new Duration(Math.round(this.millis * factor));
  }

  plus(other: Duration): Duration {
    return new Duration(this.millis + other.millis);
  }

  compare(other: Duration): number {
    return this.millis - other.millis;
  }

  equals(other: Duration): boolean {
    return this.millis === other.millis;
  }

  /** Prometheus notation, largest units first: 90 s -> `1m30s`, 0 -> `0s`. */
  toString(): string {
    if (this.millis === 0) return '0s';
    let rest = Math.floor(this.millis / 1000);
    let text = '';
    for (const unit of UNITS_LARGEST_FIRST) {
      const count = Math.floor(rest / UNIT_SECONDS[unit]);
      if (count > 0) text += `${count}${unit}`;
      rest -= count * UNIT_SECONDS[unit];
    }
    const ms = this.millis % 1000;
    return ms > 0 ? `${text}${ms}ms` : text;
  }

  toJSON(): string {
    return this.toString();
  }
}
