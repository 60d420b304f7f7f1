/**
 * Typed readers of raw configuration values. Each records a problem (field + value + what was
 * expected) on the shared `ConfigReader` and returns the fallback, so one run reports every bad value.
 */
import { Duration } from '../core/duration';
import { ConfigReader } from './errors';

export const HOST_PORT = /^[A-Za-z0-9_.-]+:\d{1,5}$/;
export const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export type RawSection = Record<string, unknown>;

export class Fields {
  constructor(readonly reader: ConfigReader) {}

  string(field: string, value: unknown, fallback: string, pattern?: RegExp, expected?: string): string {
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || value.trim() === '' || (pattern && !pattern.test(value))) {
      this.reader.problem(field, value, `is not valid: expected ${expected ?? 'a non-empty string'}`);
      return fallback;
    }
    return value;
  }

  duration(field: string, value: unknown, fallback: Duration, min: Duration = Duration.millis(1)): Duration {
    if (value === undefined) return fallback;
    if (Duration.isDuration(value)) return value;
    const parsed = this.reader.attempt(field, value, undefined, () => {
      if (typeof value !== 'string') throw new Error('is not a duration (expected a string such as 15s, 5m, 30d)');
      if (value.trim().startsWith('-'))
        throw new Error('is negative: expected a duration of zero or more, such as 15s, 5m, 30d');
      return Duration.parse(value);
    });
    if (parsed && parsed.compare(min) < 0) {
      this.reader.problem(field, value, `is too short: must be at least ${min}`);
      return fallback;
    }
    return parsed ?? fallback;
  }

  integer(field: string, value: unknown, fallback: number, min: number, max: number): number {
    if (value === undefined) return fallback;
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
      this.reader.problem(field, value, `is not valid: expected a whole number from ${min} to ${max}`);
      return fallback;
    }
    return n;
  }

  boolean(field: string, value: unknown, fallback: boolean): boolean {
    if (value === undefined) return fallback;
    if (typeof value === 'boolean') return value;
    if (value === 'true' || value === 'false') return value === 'true';
    this.reader.problem(field, value, 'is not valid: expected true or false');
    return fallback;
  }

  /** A list given as an array or a comma-separated string; items must match and be unique. */
  list(field: string, value: unknown, fallback: string[], pattern: RegExp, expected: string): string[] {
    if (value === undefined) return fallback;
    const items =
      typeof value === 'string'
        ? value
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : value;
    if (!Array.isArray(items) || items.some((item) => typeof item !== 'string' || !pattern.test(item))) {
      this.reader.problem(field, value, `is not valid: expected a list of ${expected}`);
      return fallback;
    }
    const duplicate = items.find((item, i) => items.indexOf(item) !== i);
    if (duplicate !== undefined) {
      this.reader.problem(field, value, `lists "${duplicate}" twice`);
      return fallback;
    }
    return items as string[];
  }

  oneOf<T extends string>(field: string, value: unknown, fallback: T, allowed: readonly T[]): T {
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      this.reader.problem(field, value, `is not one of ${allowed.join(', ')}`);
      return fallback;
    }
    return value as T;
  }

  address(field: string, value: unknown, fallback: string): string {
    const text = this.string(field, value, fallback, IPV4, 'an IPv4 address such as 127.0.0.1');
    if (text.split('.').some((octet) => Number(octet) > 255)) {
      this.reader.problem(field, value, 'is not valid: expected an IPv4 address such as 127.0.0.1');
      return fallback;
    }
    return text;
  }

  /** A nested object; anything else is a problem and reads as empty (so its fields take defaults). */
  section(field: string, raw: unknown): RawSection {
    if (raw === undefined) return {};
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      this.reader.problem(field, raw, 'is not an object');
      return {};
    }
    return raw as RawSection;
  }

  /** Records a problem for each key of `raw` that is not in `known` (a misspelt setting is not ignored). */
  onlyKnownKeys(prefix: string, raw: RawSection, known: readonly string[]): void {
    for (const key of Object.keys(raw)) {
      if (!known.includes(key)) {
        this.reader.problem(
          prefix ? `${prefix}.${key}` : key,
          raw[key],
          `is not a setting (expected one of ${known.join(', ')})`,
        );
      }
    }
  }
}
