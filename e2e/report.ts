/**
 * What the harness prints: one line per check as it ends, tables, and the closing count. Checks are
 * recorded with the check CLI's model (tools/check/check.ts), so both runners judge alike.
 */
import { CheckRecord, passed, record } from '../tools/check/check';
export { formatTable } from '../tools/text-table';

/** Named checks: each runs, is printed as soon as it ends, and counts; a failure never stops the others. */
export class Checklist {
  readonly results: CheckRecord[] = [];

  /** @param print where each line goes; @default console.log */
  constructor(private readonly print: (line: string) => void = console.log) {}

  /** Runs `body`; a thrown error fails the check. `body` may return a detail to print. Resolves to whether it passed. */
  async check(name: string, body: () => Promise<string | void>): Promise<boolean> {
    const result = await record(name, async () => passed((await body()) ?? ''));
    this.results.push(result);
    const detail = result.detail ? `\n     ${result.detail.replace(/\n/g, '\n     ')}` : '';
    this.print(`${result.ok ? 'PASS' : 'FAIL'} ${name} (${seconds(result.durationMs)})${detail}`);
    return result.ok;
  }

  get failed(): number {
    return this.results.filter((result) => !result.ok).length;
  }

  /** The closing line: `N passed, M failed`. */
  summary(): string {
    return `${this.results.length - this.failed} passed, ${this.failed} failed`;
  }
}

/** Fails a check with `message` unless `condition` holds. */
export function expectThat(condition: boolean, message: string): void {
  if (!condition) throw new Error(message);
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
