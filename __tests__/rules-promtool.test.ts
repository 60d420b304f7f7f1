/**
 * The rendered rule files against the real promtool of each program set of the version matrix
 * (testing/program-sets.ts: Debian stable's 2.42 and sid's 3.5 by default): `promtool check rules`
 * over every file, and `promtool test rules` over every alert's typed cases
 * (__tests__/rules-alert-cases.ts), each in ONE promtool run; results are then reported per alert.
 * A case whose timing depends on how a release selects ranges gives both times.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderRuleFiles } from '../domain/rules';
import { RULE_GROUPS } from '../domain/rules';
import { AlertRule, isAlert } from '../domain/rules/model';
import { missingCases, rangeSelectionOf, renderPromtoolTests } from '../domain/rules/unit-tests';
import { describeOnProgramSets } from '../testing/program-sets';
import { PromtoolRun, RuleTestRun, runPromtool, testRules } from '../testing/promtool';
import { ALERT_CASES } from './rules-alert-cases';

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

describeOnProgramSets('rule files with the real promtool', ['promtool'], (programs) => {
  const promtool = programs.binary('promtool');
  const rangeSelection = rangeSelectionOf(programs.version('promtool') ?? '');
  let dir: string;
  let ruleFiles: string[];
  let check: PromtoolRun;
  let unitTests: RuleTestRun;
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
    for (const alert of alerts) {
      const suite = ALERT_CASES[alert.name as keyof typeof ALERT_CASES];
      writeFileSync(testFileOf(alert.name), renderPromtoolTests(suite, { ruleFiles, rangeSelection }));
    }
    [check, unitTests] = await Promise.all([
      runPromtool(promtool, ['check', 'rules', ...ruleFiles]),
      testRules(
        promtool,
        alerts.map((alert) => testFileOf(alert.name)),
      ),
    ]);
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('promtool check rules accepts every file', () => {
    expect({ code: check.code, output: check.output }).toEqual({ code: 0, output: expect.any(String) });
    expect(check.output.match(/SUCCESS/g)?.length).toBe(RULE_GROUPS.length);
  });

  test('promtool ran every alert test file', () => {
    expect([...unitTests.byFile.keys()].sort()).toEqual(alerts.map((alert) => testFileOf(alert.name)).sort());
  });

  test.each(alerts.map((alert) => [alert.name]))(
    '%s: fires after exactly its `for` with its labels and annotations, quiet below its threshold',
    (name) => {
      const result = unitTests.byFile.get(testFileOf(name));
      expect(result ?? unitTests.output).toBe('SUCCESS');
    },
  );
});
