/**
 * A span of time as Prometheus and Alertmanager write it (`15s`, `5m`, `1h30m`, `30d`).
 * Rules, scrape settings and routing timings take a `Duration`, never a free string, so a
 * malformed value is caught where it is written, and the e2e timing profile can scale them.
 */
const UNIT_SECONDS = { d: 86_400, h: 3_600, m: 60, s: 1 } as const;
type Unit = keyof typeof UNIT_SECONDS;
const UNITS_LARGEST_FIRST = Object.keys(UNIT_SECONDS) as Unit[];
const DURATION_PATTERN = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/;

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

  /** Parses Prometheus notation (`1h30m`, `15s`, `500ms`); throws on anything else. */
  static parse(text: string): Duration {
    const match = DURATION_PATTERN.exec(text.trim());
    if (!match || text.trim() === '') {
      throw new RangeError(`"${text}" is not a duration (expected Prometheus notation such as 15s, 5m, 1h30m, 30d)`);
    }
    const [d, h, m, s, ms] = match.slice(1).map((part) => Number(part ?? 0));
    return new Duration((((d * 24 + h) * 60 + m) * 60 + s) * 1000 + ms);
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
