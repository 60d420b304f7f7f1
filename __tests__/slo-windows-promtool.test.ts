/**
 * The burn-rate tiers over SLO windows shorter than the workbook's 30 days. The workbook's budget
 * shares give `share × window / long`: over the shortest window allowed (7 days) the ticket tier's
 * 10% in 3 days is 0.23x, a burn that never exhausts the budget, so `burnRate` keeps every tier at
 * 1x or more. The numbers are checked for 7, 28 and 30 days, and every burn-rate alert generated for
 * 7-day windows runs its promtool cases (__tests__/slo-alert-cases.ts: fires just above its rate,
 * quiet just below, without traffic and with a trickle) on the real promtool of each program set.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SLO_SETTINGS, SHORTEST_SLO_WINDOW, SloSettings } from '../config/slo-settings';
import { Duration } from '../core/duration';
import { BURN_RATE_TIERS, burnRate } from '../domain/metrics/slo';
import { renderRuleFiles, ruleGroups } from '../domain/rules';
import { isAlert } from '../domain/rules/model';
import { rangeSelectionOf, renderPromtoolTests } from '../domain/rules/unit-tests';
import { describeOnProgramSets } from '../testing/program-sets';
import { RuleTestRun, testRules } from '../testing/promtool';
import { sloAlertCases } from './slo-alert-cases';

const PROMTOOL_TIMEOUT_MS = 120_000;

function withWindow(window: Duration): SloSettings {
  const d = DEFAULT_SLO_SETTINGS;
  return {
    apiAvailability: { ...d.apiAvailability, window },
    apiLatency: { ...d.apiLatency, window },
    syncSuccess: { ...d.syncSuccess, window },
  };
}

describe('burn rates over SLO windows shorter than 30 days', () => {
  const rates = (window: Duration) => BURN_RATE_TIERS.map((tier) => [tier.name, burnRate(tier, window)]);

  test("30 days: the workbook's 14.4x, 6x and 1x", () => {
    expect(rates(Duration.days(30))).toEqual([
      ['FastBurn', 14.4],
      ['SlowBurn', 6],
      ['SteadyBurn', 1],
    ]);
  });

  test('28 and 7 days: the page tiers keep their budget shares, the ticket tier never falls under 1x', () => {
    // 10% of a 28-day budget in 3 days is 0.93x; of a 7-day budget, 0.23x.
    expect(rates(Duration.days(28))).toEqual([
      ['FastBurn', 13.44],
      ['SlowBurn', 5.6],
      ['SteadyBurn', 1],
    ]);
    expect(rates(SHORTEST_SLO_WINDOW)).toEqual([
      ['FastBurn', 3.36],
      ['SlowBurn', 1.4],
      ['SteadyBurn', 1],
    ]);
  });
});

describeOnProgramSets(
  'burn-rate alerts over the shortest SLO window with the real promtool',
  ['promtool'],
  (programs) => {
    const settings = withWindow(SHORTEST_SLO_WINDOW);
    const group = ruleGroups(settings).find((candidate) => candidate.name === 'slo');
    const alerts = group?.rules.filter(isAlert) ?? [];
    let dir: string;
    let run: RuleTestRun;
    const testFileOf = (name: string) => join(dir, 'tests', `${name}.test.yml`);

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'stm-slo-windows-'));
      mkdirSync(join(dir, 'rules'));
      mkdirSync(join(dir, 'tests'));
      const file = renderRuleFiles(ruleGroups(settings)).find((rendered) => rendered.path === 'rules/slo.yml');
      const ruleFile = join(dir, 'rules', 'slo.yml');
      writeFileSync(ruleFile, file?.content ?? '');
      const cases = sloAlertCases(settings) as Record<
        string,
        ReturnType<typeof sloAlertCases>[keyof ReturnType<typeof sloAlertCases>]
      >;
      const rangeSelection = rangeSelectionOf(programs.version('promtool') ?? '');
      for (const alert of alerts)
        writeFileSync(
          testFileOf(alert.name),
          renderPromtoolTests(cases[alert.name], { ruleFiles: [ruleFile], rangeSelection }),
        );
      run = await testRules(
        programs.binary('promtool'),
        alerts.map((alert) => testFileOf(alert.name)),
        { timeoutMs: PROMTOOL_TIMEOUT_MS },
      );
    }, PROMTOOL_TIMEOUT_MS);

    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    test('every tier of every SLO fires just above its rate and is quiet just below it', () => {
      expect(alerts.map((alert) => alert.name)).toHaveLength(9);
      const verdicts = Object.fromEntries(
        alerts.map((alert) => [alert.name, run.byFile.get(testFileOf(alert.name)) ?? run.output.slice(0, 2000)]),
      );
      expect(verdicts).toEqual(Object.fromEntries(alerts.map((alert) => [alert.name, 'SUCCESS'])));
    });
  },
);
