/** What the harness prints: one line per check as it ends, tables, and the closing count. */

export interface CheckResult {
  name: string;
  passed: boolean;
  /** What was seen (on success) or what went wrong. */
  detail: string;
}

/** Named checks: each runs, is printed as soon as it ends, and counts; a failure never stops the others. */
export class Checklist {
  readonly results: CheckResult[] = [];

  constructor(private readonly print: (line: string) => void = console.log) {}

  /** Runs `body`; a thrown error fails the check. `body` may return a detail to print. */
  async check(name: string, body: () => Promise<string | void>): Promise<boolean> {
    const started = Date.now();
    let result: CheckResult;
    try {
      result = { name, passed: true, detail: (await body()) ?? '' };
    } catch (error) {
      result = { name, passed: false, detail: error instanceof Error ? error.message : String(error) };
    }
    this.results.push(result);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    this.print(`${result.passed ? 'PASS' : 'FAIL'} ${name} (${seconds} s)${result.detail ? `\n     ${result.detail.replace(/\n/g, '\n     ')}` : ''}`);
    return result.passed;
  }

  get failed(): number {
    return this.results.filter((result) => !result.passed).length;
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

/** A plain-text table with a header row, columns padded to their widest cell. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column])).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
