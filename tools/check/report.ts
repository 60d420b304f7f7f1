/** How `npm run check` shows its results: a table for people, JSON for machines. */
import {
  COMPONENT_LABELS,
  CheckComponent,
  CheckResult,
  CheckStatus,
  allPassed,
  countByStatus,
  nothingAnswers,
} from './check';

/** The mark of each status: passed, failed, not checked (what it needs failed first). */
export const MARK: Readonly<Record<CheckStatus, string>> = { passed: '✔', failed: '✘', 'not-checked': '–' };
const COLOR = { green: '\x1b[32m', red: '\x1b[31m', dim: '\x1b[2m', reset: '\x1b[0m' };
const STATUS_COLOR: Readonly<Record<CheckStatus, keyof typeof COLOR>> = {
  passed: 'green',
  failed: 'red',
  'not-checked': 'dim',
};

/**
 * The line before the table when nothing answered at all: the addresses tried and what they are.
 * Undefined when anything answered.
 */
export function nothingAnswersLine(results: readonly CheckResult[]): string | undefined {
  const tried = nothingAnswers(results);
  return tried && `nothing answers on ${tried.join(', ')}: is the stack deployed?`;
}

/** `2 passed, 1 failed`, then `, 4 not checked` when some were not. */
export function summaryCounts(results: readonly CheckResult[]): string {
  const counts = countByStatus(results);
  const notChecked = counts['not-checked'] > 0 ? `, ${counts['not-checked']} not checked` : '';
  return `${counts.passed} passed, ${counts.failed} failed${notChecked}`;
}

interface Row {
  status: CheckStatus;
  component: CheckComponent;
  name: string;
  detail: string;
}

/**
 * The rows of the table: one per check, except that the checks of a component not checked for the
 * same reason (what they need failed) are one row, `N checks`.
 */
function tableRows(results: readonly CheckResult[]): Row[] {
  const rows: (Row & { count: number })[] = [];
  for (const { status, component, name, detail } of results) {
    const last = rows[rows.length - 1];
    if (status === 'not-checked' && last?.status === status && last.component === component && last.detail === detail)
      last.count++;
    else rows.push({ status, component, name, detail, count: 1 });
  }
  return rows.map(({ count, ...row }) => (count > 1 ? { ...row, name: `${count} checks` } : row));
}

/** One row per check (those not checked for one reason grouped): mark, component, check, detail; then a summary line. */
export function renderTable(results: readonly CheckResult[], options: { color: boolean; elapsedMs: number }): string {
  const paint = (color: keyof typeof COLOR, text: string) =>
    options.color ? `${COLOR[color]}${text}${COLOR.reset}` : text;
  if (results.length === 0) return paint('red', `${MARK.failed} nothing was checked`);
  const rows = tableRows(results);
  const componentWidth = Math.max(...rows.map((r) => COMPONENT_LABELS[r.component].length));
  const nameWidth = Math.max(...rows.map((r) => r.name.length));
  const lines = rows.map((row) => {
    const mark = paint(STATUS_COLOR[row.status], MARK[row.status]);
    const detail = row.status === 'passed' ? row.detail : paint(STATUS_COLOR[row.status], row.detail);
    return `${mark} ${COMPONENT_LABELS[row.component].padEnd(componentWidth)}  ${row.name.padEnd(nameWidth)}  ${detail}`;
  });
  const headline = nothingAnswersLine(results);
  const summary = `${summaryCounts(results)} in ${(options.elapsedMs / 1000).toFixed(1)} s`;
  return [
    ...(headline === undefined ? [] : [paint('red', headline), '']),
    ...lines,
    '',
    allPassed(results) ? paint('green', `${MARK.passed} ${summary}`) : paint('red', `${MARK.failed} ${summary}`),
  ].join('\n');
}

export interface JsonReport {
  /** Every check passed (none failed, none left not checked), and there was one at least. */
  ok: boolean;
  passed: number;
  failed: number;
  notChecked: number;
  /** The table's first line when nothing answered at all. */
  nothingAnswers?: string;
  /** Each check with its `status`: `passed`, `failed` or `not-checked`. */
  checks: CheckResult[];
}

export function renderJson(results: readonly CheckResult[]): string {
  const counts = countByStatus(results);
  const headline = nothingAnswersLine(results);
  const report: JsonReport = {
    ok: allPassed(results),
    passed: counts.passed,
    failed: counts.failed,
    notChecked: counts['not-checked'],
    ...(headline === undefined ? {} : { nothingAnswers: headline }),
    checks: [...results],
  };
  return JSON.stringify(report, null, 2);
}
