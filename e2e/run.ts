/**
 * `npm run e2e`: the configuration this project renders, proven on real servers on loopback.
 * Starts the stack (testing/loopback-stack.ts), checks targets, rules, alert expressions and
 * dashboard queries, runs the fault drills side by side, restarts Alertmanager mid-alert, prints
 * the time-to-notify table and ends with "N passed, M failed" (exit code 1 on any failure).
 */
import { Duration } from '../core/duration';
import { LoopbackStack, loopbackBinaries } from '../testing/loopback-stack';
import { installHint, missingBinaries } from '../testing/processes';
import { PrometheusApi } from '../clients/prometheus';
import { checkRuleEvaluations, checkStack } from './checks';
import {
  DRILL_LANES,
  DrillStacks,
  DrillTiming,
  Episode,
  alertmanagerRestartDrill,
  checkToldOnce,
  runDrill,
} from './drills';
import { Checklist, expectThat, formatTable, seconds } from './report';
import { DRILL_PROFILE, TimingProfile } from '../testing/timing-profile';

/** Below postgres_exporter's ~1 s answer while PostgreSQL is down: its scrape fails instead. */
const SHORT_SCRAPE_TIMEOUT = Duration.millis(500);

export interface EndToEndResult {
  checklist: Checklist;
  timings: DrillTiming[];
}

/** Starts both stacks, runs `body` on them, and stops them whatever happens. */
async function withDrillStacks<T>(
  profile: TimingProfile,
  checklist: Checklist,
  body: (stacks: DrillStacks) => Promise<T>,
): Promise<T | undefined> {
  const stacks: Partial<DrillStacks> = {};
  const stopAll = async () => {
    await stacks.shortTimeout?.stop();
    await stacks.main?.stop();
  };
  const interrupted = () => void stopAll().then(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const started = await checklist.check('the loopback stacks start', async () => {
      const missing = missingBinaries(loopbackBinaries());
      expectThat(missing.length === 0, `missing ${missing.join(', ')}: ${installHint(missing)}`);
      const startedAt = Date.now();
      stacks.main = await LoopbackStack.start({ profile });
      stacks.shortTimeout = await LoopbackStack.start({
        components: ['postgres', 'postgresExporter', 'prometheus'],
        profile: { ...profile, prometheus: { ...profile.prometheus, scrapeTimeout: SHORT_SCRAPE_TIMEOUT } },
        ruleGroups: ['postgresql'],
        externalAlertmanager: stacks.main.address('alertmanager'),
      });
      await stacks.shortTimeout.waitForTargetsUp();
      return `in ${seconds(Date.now() - startedAt)}: ${stacks.main.components.join(', ')}; and PostgreSQL + exporter + Prometheus with a ${SHORT_SCRAPE_TIMEOUT} scrape timeout`;
    });
    return started ? await body(stacks as DrillStacks) : undefined;
  } finally {
    process.removeListener('SIGINT', interrupted);
    process.removeListener('SIGTERM', interrupted);
    await stopAll();
  }
}

export async function runEndToEnd(
  profile = DRILL_PROFILE,
  print: (line: string) => void = console.log,
): Promise<EndToEndResult> {
  const checklist = new Checklist(print);
  const timings = await withDrillStacks(profile, checklist, async (stacks) => {
    await checkStack(stacks.main, checklist);
    const episodes: Episode[] = [];
    const lanes = await Promise.all(
      DRILL_LANES.map(async (lane) => {
        const rows: DrillTiming[] = [];
        for (const drill of lane) rows.push(await runDrill(drill, stacks, checklist, episodes));
        return rows;
      }),
    );
    await alertmanagerRestartDrill(stacks, checklist, episodes);
    await checkToldOnce(stacks.main.telegram, new PrometheusApi(stacks.main.url('prometheus')), episodes, checklist);
    await checkRuleEvaluations(
      new PrometheusApi(stacks.main.url('prometheus')),
      checklist,
      'no rule evaluation failed during the drills',
    );
    return lanes.flat();
  });
  return { checklist, timings: timings ?? [] };
}

/** Time-to-notify per drill, titled: measured against its floor (for + group_wait + window) and bound. */
export function timingTable(rows: readonly DrillTiming[]): string {
  const s = (duration: Duration) => seconds(duration.millis);
  const title =
    'Time-to-notify (bound = floor + scrape interval + evaluation interval + scrape timeout;\n' +
    'seen after = from the fault to the evaluation that first saw the condition)';
  return `${title}\n${formatTable(
    [
      'drill',
      'for',
      'group_wait',
      'window',
      'floor',
      'bound',
      'measured',
      'inside bound',
      'measured/floor',
      'seen after',
      'resolved after',
    ],
    rows.map(({ drill, timing, notifiedMs, detectedMs, resolvedMs }) => [
      drill,
      s(timing.for),
      s(timing.groupWait),
      s(timing.conditionDelay),
      s(timing.floor),
      s(timing.bound),
      notifiedMs === undefined ? 'not told' : seconds(notifiedMs),
      notifiedMs === undefined
        ? '-'
        : notifiedMs <= timing.bound.millis
          ? 'yes'
          : `no, +${seconds(notifiedMs - timing.bound.millis)}`,
      notifiedMs === undefined ? '-' : `${(notifiedMs / timing.floor.millis).toFixed(2)}x`,
      detectedMs === undefined ? '-' : seconds(detectedMs),
      resolvedMs === undefined ? '-' : seconds(resolvedMs),
    ]),
  )}`;
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const { checklist, timings } = await runEndToEnd();
  console.log(`\n${timingTable(timings)}`);
  console.log(`\n${checklist.summary()} in ${seconds(Date.now() - startedAt)}`);
  process.exitCode = checklist.failed > 0 ? 1 : 0;
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(error.stack ?? error.message);
    process.exitCode = 1;
  });
}
