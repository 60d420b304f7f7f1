/**
 * The rendered rule files against the real promtool: `promtool check rules` over every file, and
 * `promtool test rules` over every alert's typed cases (__tests__/rules-alert-cases.ts), each in
 * ONE promtool run; results are then reported per alert.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { renderRuleFiles } from '../domain/rules';
import { RULE_GROUPS } from '../domain/rules';
import { AlertRule, isAlert } from '../domain/rules/model';
import { missingCases, renderPromtoolTests } from '../domain/rules/unit-tests';
import { describeWithBinaries } from '../testing/processes';
import { ALERT_CASES } from './rules-alert-cases';

const run = promisify(execFile);
/** Every alert's cases in one run: about 15 s alone (the burn-rate alerts' spans of an hour and more), more on a busy machine. */
const PROMTOOL_TIMEOUT_MS = 120_000;

/**
 * promtool's output and exit code (a failing check is a result, not an exception). stderr is
 * merged into stdout by the shell, so failure details stay under the file they belong to.
 */
async function promtool(args: string[]): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run('sh', ['-c', 'exec promtool "$@" 2>&1', 'promtool', ...args], {
      timeout: PROMTOOL_TIMEOUT_MS,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === 'number' ? failed.code : -1,
      output: `${failed.stdout ?? ''}${failed.stderr ?? ''}`,
    };
  }
}

/** promtool test output, split per test file: `Unit Testing:  <file>` then SUCCESS or FAILED and details. */
function resultsByFile(output: string): Map<string, string> {
  const results = new Map<string, string>();
  for (const section of output.split(/^Unit Testing: +/m).slice(1)) {
    const newline = section.indexOf('\n');
    results.set(section.slice(0, newline).trim(), section.slice(newline + 1).trim());
  }
  return results;
}

const alerts: AlertRule[] = RULE_GROUPS.flatMap((group) => group.rules.filter(isAlert));

describe('alert test coverage', () => {
  test('every alert has a firing case and a just-below-threshold case', () => {
    const cases = ALERT_CASES as Record<string, (typeof ALERT_CASES)[keyof typeof ALERT_CASES] | undefined>;
    const gaps = alerts.flatMap((alert) => missingCases(cases[alert.name]).map((gap) => `${alert.name}: ${gap}`));
    expect(gaps).toEqual([]);
    expect(alerts.length).toBeGreaterThanOrEqual(24);
  });

  test('each case set belongs to the alert it is filed under', () => {
    const misfiled = Object.entries(ALERT_CASES).filter(([name, suite]) => suite.alert.name !== name);
    expect(misfiled.map(([name, suite]) => `${name} holds cases of ${suite.alert.name}`)).toEqual([]);
  });

  test('only the Watchdog may lack a quiet case', () => {
    const alwaysFiring = Object.values(ALERT_CASES)
      .filter((suite) => 'alwaysFires' in suite.cases.quiet)
      .map((suite) => suite.alert.name);
    expect(alwaysFiring).toEqual(['Watchdog']);
  });
});

describeWithBinaries('rule files with the real promtool', ['promtool'], () => {
  let dir: string;
  let ruleFiles: string[];
  let check: { code: number; output: string };
  let unitTests: { code: number; output: string };
  const testFileOf = (alertName: string) => join(dir, 'tests', `${alertName}.test.yml`);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stm-rules-'));
    mkdirSync(join(dir, 'rules'));
    mkdirSync(join(dir, 'tests'));
    ruleFiles = renderRuleFiles(RULE_GROUPS).map((file) => {
      const path = join(dir, file.path);
      writeFileSync(path, file.content);
      return path;
    });
    // Each alert's cases load its own group's file only: what it reads is recorded there (rules-render.test.ts).
    const fileOf = (alert: AlertRule) => ruleFiles[RULE_GROUPS.findIndex((group) => group.rules.includes(alert))];
    for (const alert of alerts) {
      const suite = ALERT_CASES[alert.name as keyof typeof ALERT_CASES];
      writeFileSync(testFileOf(alert.name), renderPromtoolTests(suite, { ruleFiles: [fileOf(alert)] }));
    }
    [check, unitTests] = await Promise.all([
      promtool(['check', 'rules', ...ruleFiles]),
      promtool(['test', 'rules', ...alerts.map((alert) => testFileOf(alert.name))]),
    ]);
  }, PROMTOOL_TIMEOUT_MS);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('promtool check rules accepts every file', () => {
    expect({ code: check.code, output: check.output }).toEqual({ code: 0, output: expect.any(String) });
    expect(check.output.match(/SUCCESS/g)?.length).toBe(RULE_GROUPS.length);
  });

  test('promtool ran every alert test file', () => {
    expect([...resultsByFile(unitTests.output).keys()].sort()).toEqual(
      alerts.map((alert) => testFileOf(alert.name)).sort(),
    );
  });

  test.each(alerts.map((alert) => [alert.name]))(
    '%s: fires after exactly its `for` with its labels and annotations, quiet below its threshold',
    (name) => {
      const result = resultsByFile(unitTests.output).get(testFileOf(name));
      expect(result ?? unitTests.output).toBe('SUCCESS');
    },
  );
});
