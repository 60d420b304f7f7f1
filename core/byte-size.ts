/**
 * An amount of storage as Prometheus reads it for `--storage.tsdb.retention.size`: a number and a
 * unit, powers of 2 whichever spelling (`512MB` and `512MiB` are both 512 × 1024² bytes). Parsed
 * the way Prometheus parses it (alecthomas/units `ParseBase2Bytes`, which Prometheus 2.x's
 * `BytesVar` flag uses): one or more `<number><unit>` terms (`1GiB512MiB`, `1.5GB`), every unit of
 * one family, `B KiB MiB GiB TiB PiB EiB` or `B KB MB GB TB PB EB`; a unit is required, and `kB`
 * (the SI kilobyte) is refused. Written back with the largest exact `iB` unit (`8GiB`), which
 * Prometheus and the Prometheus Operator's `retentionSize` pattern both accept.
 */

/** Bytes per unit, both spellings: Prometheus reads each as a power of 2. */
const BINARY_UNITS = { B: 1, KiB: 2 ** 10, MiB: 2 ** 20, GiB: 2 ** 30, TiB: 2 ** 40, PiB: 2 ** 50, EiB: 2 ** 60 };
const LEGACY_UNITS = { B: 1, KB: 2 ** 10, MB: 2 ** 20, GB: 2 ** 30, TB: 2 ** 40, PB: 2 ** 50, EB: 2 ** 60 };
const UNIT_FAMILIES: readonly Readonly<Record<string, number>>[] = [BINARY_UNITS, LEGACY_UNITS];
/** A number as Go's units package reads one: digits before or after a point, or both. */
const NUMBER = String.raw`(?:\d+\.?\d*|\.\d+)`;

/** Kubernetes' binary quantity suffixes a volume size is written with (`50Gi`). */
const KUBERNETES_UNITS = { Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 } as const;

/** The `iB` units from the largest down, for writing a size back. */
const LARGEST_FIRST = Object.entries(BINARY_UNITS).reverse();

function familyPattern(units: Readonly<Record<string, number>>): RegExp {
  return new RegExp(`^(?:${NUMBER}(?:${Object.keys(units).join('|')}))+$`);
}

export class ByteSize {
  static mebibytes(n: number): ByteSize {
    return new ByteSize(n * 2 ** 20);
  }
  static gibibytes(n: number): ByteSize {
    return new ByteSize(n * 2 ** 30);
  }

  /**
   * Parses Prometheus' size notation (`10GB`, `10GiB`, `1GiB512MiB`, `1.5GB`); throws a
   * `RangeError` saying what is expected on anything else, a negative size included.
   */
  static parse(text: string): ByteSize {
    const trimmed = text.trim();
    if (trimmed.startsWith('-')) throw new RangeError(`"${text}" is negative: a size is zero or more, such as 10GB`);
    const body = trimmed.replace(/^\+/, '');
    const units = UNIT_FAMILIES.find((family) => familyPattern(family).test(body));
    if (units === undefined) {
      throw new RangeError(
        `"${text}" is not a size: expected a number and a unit, powers of 2 as Prometheus reads them (B, KB, MB, GB, TB or KiB, MiB, GiB, TiB), such as 10GB or 512MiB`,
      );
    }
    let bytes = 0;
    for (const [, number, unit] of body.matchAll(new RegExp(`(${NUMBER})([A-Za-z]+)`, 'g'))) {
      bytes += Number(number) * units[unit];
    }
    // Go truncates the float sum to whole bytes (int64(f)).
    return new ByteSize(Math.trunc(bytes));
  }

  /** A Kubernetes quantity with a binary suffix, `Mi`, `Gi` or `Ti` (`50Gi`); throws on any other. */
  static fromKubernetesQuantity(quantity: string): ByteSize {
    const match = /^(\d+)(Mi|Gi|Ti)$/.exec(quantity);
    if (!match) throw new RangeError(`"${quantity}" is not a Kubernetes quantity such as 50Gi`);
    return new ByteSize(Number(match[1]) * KUBERNETES_UNITS[match[2] as keyof typeof KUBERNETES_UNITS]);
  }

  static isByteSize(value: unknown): value is ByteSize {
    return value instanceof ByteSize;
  }

  private constructor(readonly bytes: number) {
    if (!Number.isSafeInteger(bytes) || bytes < 0) {
      throw new RangeError(`a size must be a whole, non-negative number of bytes, got ${bytes}`);
    }
  }

  /** `factor` of this size, rounded down to whole mebibytes (sizes derived from a budget stay readable). */
  share(factor: number): ByteSize {
    return ByteSize.mebibytes(Math.floor((this.bytes * factor) / 2 ** 20));
  }

  compare(other: ByteSize): number {
    return this.bytes - other.bytes;
  }

  /** The smallest Kubernetes quantity (`Mi`, `Gi`, `Ti`) that holds this size: a volume is never smaller. */
  toKubernetesQuantity(): string {
    const bytes = Math.ceil(this.bytes / KUBERNETES_UNITS.Mi) * KUBERNETES_UNITS.Mi;
    const [suffix, size] = Object.entries(KUBERNETES_UNITS)
      .reverse()
      .find(([, size]) => bytes % size === 0) ?? ['Mi', KUBERNETES_UNITS.Mi];
    return `${bytes / size}${suffix}`;
  }

  /** Prometheus notation with the largest exact unit: 8 × 1024³ bytes -> `8GiB`, 0 -> `0B`. */
  toString(): string {
    if (this.bytes === 0) return '0B';
    const [unit, size] = LARGEST_FIRST.find(([, size]) => this.bytes % size === 0) ?? ['B', 1];
    return `${this.bytes / size}${unit}`;
  }

  toJSON(): string {
    return this.toString();
  }
}
