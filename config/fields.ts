/**
 * Typed readers of raw configuration values. Each records a problem (field + value + what was
 * expected) on the shared `ConfigReader` and returns the fallback, so one run reports every bad value.
 */
import { isIP } from 'node:net';
import { ByteSize } from '../core/byte-size';
import { Duration } from '../core/duration';
import { ConfigReader } from './errors';

/** `host:port`: a DNS name, an IPv4 address or a bracketed IPv6 one, and a port (checked 1-65535 by `hostPort`). */
const HOST_PORT = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):(\d{1,5})$/;
export const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
/** See `Fields.publicUrl`. */
const PUBLIC_URL = /^(?=.{1,100}$)https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~/-]*[A-Za-z0-9._~-])?$/;

/**
 * An image reference as Docker parses it (distribution/reference): an optional registry host with
 * an optional port, a lower-case repository path, then a tag, a digest or both.
 */
const IMAGE_REFERENCE =
  /^(?:((?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::\d{1,5})?)\/)?([a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::([\w][\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$/;

/** `host:port` whose port is one and whose bracketed host, if any, is an IPv6 address. */
function validHostPort(text: string): boolean {
  const match = HOST_PORT.exec(text);
  const bracketed = /^\[([^\]]+)\]:/.exec(text)?.[1];
  return match !== null && isPort(match[1]) && (bracketed === undefined || isIP(bracketed) === 6);
}

/** Whether `port` (text or number) is a TCP port a program can listen on or be reached at. */
function isPort(port: string | number): boolean {
  const n = Number(port);
  return Number.isInteger(n) && n >= 1 && n <= 65_535;
}

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

  /**
   * A duration in Prometheus' notation (`15s`, `5m`, `30d`), at least `min` (default 1ms) and at
   * most `max.limit` when given (its `why` completes the refusal); `fallback` when not given.
   */
  duration(
    field: string,
    value: unknown,
    fallback: Duration,
    min: Duration = Duration.millis(1),
    max?: { limit: Duration; why: string },
  ): Duration {
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
    if (parsed && max && parsed.compare(max.limit) > 0) {
      this.reader.problem(field, value, `is too long: must be at most ${max.limit} (${max.why})`);
      return fallback;
    }
    return parsed ?? fallback;
  }

  /** A size in Prometheus' notation (`10GB`, `512MiB`), at least `min`. */
  byteSize(field: string, value: unknown, fallback: ByteSize, min: ByteSize): ByteSize {
    if (value === undefined) return fallback;
    if (ByteSize.isByteSize(value)) return value;
    const parsed = this.reader.attempt(field, value, undefined, () => {
      if (typeof value !== 'string') throw new Error('is not a size (expected a string such as 10GB or 512MiB)');
      return ByteSize.parse(value);
    });
    if (parsed && parsed.compare(min) < 0) {
      this.reader.problem(field, value, `is too small: must be at least ${min}`);
      return fallback;
    }
    return parsed ?? fallback;
  }

  integer(field: string, value: unknown, fallback: number, min: number, max: number): number {
    if (value === undefined) return fallback;
    // Decimal digits only: Number() would also read 0x1538 and 1e3.
    const n = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
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

  /**
   * A host address to publish ports on: an IPv4 or IPv6 address, or `localhost` (read as
   * 127.0.0.1: Docker publishes on addresses, not names).
   */
  address(field: string, value: unknown, fallback: string): string {
    if (value === undefined) return fallback;
    if (value === 'localhost') return '127.0.0.1';
    if (typeof value !== 'string' || isIP(value) === 0) {
      this.reader.problem(field, value, 'is not valid: expected an IP address such as 127.0.0.1 or ::1, or localhost');
      return fallback;
    }
    return value;
  }

  /** `host:port` with a port from 1 to 65535. */
  hostPort(field: string, value: unknown, fallback: string): string {
    const text = this.string(field, value, fallback, HOST_PORT, 'host:port');
    if (text !== fallback && !validHostPort(text)) {
      this.reader.problem(field, value, 'is not valid: expected host:port with a port from 1 to 65535');
      return fallback;
    }
    return text;
  }

  /**
   * A list of `host:port` (an array or a comma-separated string), each port from 1 to 65535.
   * @param minimum how many at least; @default 1
   */
  hostPorts(field: string, value: unknown, fallback: string[], minimum = 1): string[] {
    const items = this.list(field, value, fallback, HOST_PORT, 'host:port');
    const bad = items.find((item) => !validHostPort(item));
    if (bad !== undefined) {
      this.reader.problem(field, value, `is not valid: ${bad} is not host:port with a port from 1 to 65535`);
      return fallback;
    }
    if (items.length < minimum) {
      this.reader.problem(field, value, `is empty: expected at least ${minimum} host:port`);
      return fallback;
    }
    return items;
  }

  /**
   * An image reference pinned to a release: `[registry[:port]/]repository:tag` or `...@sha256:<digest>`.
   * A reference without a tag or digest, or with the moving tag `latest`, is refused: a deploy must
   * know what it runs.
   */
  image(field: string, value: unknown, fallback: string): string {
    const example = 'such as prom/prometheus:v3.5.5 or registry.local:5000/prom/prometheus:v3.5.5';
    const text = this.string(field, value, fallback, undefined, `an image reference ${example}`);
    if (text === fallback) return text;
    const match = IMAGE_REFERENCE.exec(text);
    const registry = match?.[1];
    // Docker reads the first part as a registry only with a dot, a port or as localhost; else it is a (lower-case) path.
    const isRegistry = registry !== undefined && (/[.:]/.test(registry) || registry === 'localhost');
    if (
      !match ||
      (registry !== undefined && (isRegistry ? !isPort(registry.split(':')[1] ?? '1') : /[A-Z]/.test(registry)))
    ) {
      this.reader.problem(
        field,
        value,
        `is not valid: expected an image reference (repository in lower case) ${example}`,
      );
      return fallback;
    }
    const [, , , tag, digest] = match;
    if (digest === undefined && (tag === undefined || tag === 'latest')) {
      this.reader.problem(
        field,
        value,
        `is not pinned: expected an exact release tag or a digest ${example}, not ${tag === undefined ? 'without a tag' : tag}`,
      );
      return fallback;
    }
    return text;
  }

  /**
   * An http(s) URL. Credentials in it are refused (they would be written into the synthesized
   * files): the value is then shown with them masked.
   */
  url(field: string, value: unknown, fallback: string, pattern: RegExp, expected: string): string {
    const credentials = typeof value === 'string' ? withoutCredentials(value) : undefined;
    if (typeof value === 'string' && credentials !== value.trim()) {
      this.reader.problem(
        field,
        credentials,
        'carries credentials: they would be written into the synthesized files; give the URL without them',
      );
      return fallback;
    }
    return this.string(field, value, fallback, pattern, expected);
  }

  /**
   * A URL people open from a Telegram message (Alertmanager's external URL, Grafana's public URL):
   * plain http(s) without quotes, spaces, query or a trailing slash, at most 100 characters. It is
   * written into every message's links as is, and counts against Telegram's 4096.
   */
  publicUrl(field: string, value: unknown, fallback: string, example: string): string {
    return this.url(
      field,
      value,
      fallback,
      PUBLIC_URL,
      `an http(s) URL of at most 100 characters without a trailing slash, such as ${example}`,
    );
  }

  /** A nested object; anything else is a problem and reads as empty (so its fields take defaults). */
  section(field: string, raw: unknown): RawSection {
    if (raw === undefined) return {};
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      // Not shown: a value where a section belongs may be anything, a secret included.
      this.reader.problem(
        field,
        undefined,
        `is ${Array.isArray(raw) ? 'a list' : raw === null ? 'null' : `a ${typeof raw}`}, not an object of settings`,
      );
      return {};
    }
    return raw as RawSection;
  }

  /** Records a problem for each key of `raw` that is not in `known` (a misspelt setting is not ignored). */
  onlyKnownKeys(prefix: string, raw: RawSection, known: readonly string[]): void {
    for (const key of Object.keys(raw)) {
      if (known.includes(key)) continue;
      // The value is not shown: a key that is not a setting may well hold a password.
      const guess = closest(key, known);
      this.reader.problem(
        prefix ? `${prefix}.${key}` : key,
        undefined,
        `is not a setting (${guess ? `did you mean ${guess}? ` : ''}expected one of ${known.join(', ')})`,
      );
    }
  }
}

/** Edits (insert, delete, replace one character) that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * The candidate `name` most likely misspells (case aside, at most a third of its letters off), or
 * undefined when none is close.
 */
export function closest(name: string, candidates: readonly string[], maxDistance?: number): string | undefined {
  const scored = candidates.map((candidate) => ({
    candidate,
    distance: editDistance(name.toLowerCase(), candidate.toLowerCase()),
  }));
  const best = scored.sort((a, b) => a.distance - b.distance)[0];
  return best && best.distance <= (maxDistance ?? Math.max(1, Math.floor(name.length / 3)))
    ? best.candidate
    : undefined;
}

/**
 * `url` with any user information (`user:password@`) masked as `***@`: everything in the
 * authority up to its last `@`, whatever the password holds (spaces, another `@`).
 */
export function withoutCredentials(url: string): string {
  return url.trim().replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*@)/i, '$1***@');
}
