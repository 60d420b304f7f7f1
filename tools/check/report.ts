/** How `npm run check` shows its results: a table for people, JSON for machines. */
import { CheckResult, allPassed } from './check';
import { COMPONENT_LABELS } from './/index';

const MARK = { ok: '✔', failed: '✘' };
const COLOR = { green: '\x1b[32m', red: '\x1b[31m', dim: '\x1b[2m', reset: '\x1b[0m' };

/** One row per check: mark, component, check, detail; then a summary line. */
export function renderTable(results: readonly CheckResult[], options: { color: boolean; elapsedMs: number }): string {
  const paint = (color: keyof typeof COLOR, text: string) =>
    options.color ? `${COLOR[color]}${text}${COLOR.reset}` : text;
  const componentWidth = Math.max(...results.map((r) => COMPONENT_LABELS[r.component].length));
  const nameWidth = Math.max(...results.map((r) => r.name.length));
  const rows = results.map((result) => {
    const mark = result.ok ? paint('green', MARK.ok) : paint('red', MARK.failed);
    const detail = result.ok ? result.detail : paint('red', result.detail);
    return `${mark} ${COMPONENT_LABELS[result.component].padEnd(componentWidth)}  ${result.name.padEnd(nameWidth)}  ${detail}`;
  });
  const failures = results.filter((result) => !result.ok).length;
  const summary = `${results.length - failures} passed, ${failures} failed in ${(options.elapsedMs / 1000).toFixed(1)} s`;
  return [
    ...rows,
    '',
    allPassed(results) ? paint('green', `${MARK.ok} ${summary}`) : paint('red', `${MARK.failed} ${summary}`),
  ].join('\n');
}

export interface JsonReport {
  ok: boolean;
  passed: number;
  failed: number;
  checks: CheckResult[];
}

export function renderJson(results: readonly CheckResult[]): string {
  const failures = results.filter((result) => !result.ok).length;
  const report: JsonReport = {
    ok: failures === 0,
    passed: results.length - failures,
    failed: failures,
    checks: [...results],
  };
  return JSON.stringify(report, null, 2);
}
