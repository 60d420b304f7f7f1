/**
 * `npm run e2e`: the configuration this project renders, proven on real servers on loopback.
 * Starts the stack (testing/loopback-stack.ts) from a program set of the version matrix
 * (testing/program-sets.ts: `PROGRAM_SET`, default `current`, Debian sid's releases, fetched
 * when not cached), checks targets, rules, alert expressions and dashboard queries, runs the fault
 * drills side by side, restarts Alertmanager mid-alert, prints the time-to-notify table with the
 * versions each drill ran and ends with "N passed, M failed" (exit code 1 on any failure).
 */
import { Duration } from '../core/duration';
import { COMPONENTS, COMPONENT_DESCRIPTORS } from '../core/components';
import { LoopbackStack, loopbackBinaries } from '../testing/loopback-stack';
import { missingBinaries } from '../testing/processes';
import {
  PROGRAM_SET_NAMES,
  ProgramSet,
  ProgramSetName,
  fetchProgramSet,
  programSetHint,
} from '../testing/program-sets';
import { PrometheusApi } from '../clients/prometheus';
import { AlertName, alertRule } from '../domain/alerting';
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
  /** The programs it ran, once the set was found. */
  programs?: ProgramSet;
}

/** The set `npm run e2e` runs: `PROGRAM_SET`, default `current`. Throws naming a wrong name. */
export function e2eProgramSet(env: NodeJS.ProcessEnv = process.env): ProgramSetName {
  const name = env.PROGRAM_SET ?? 'current';
  if (!(PROGRAM_SET_NAMES as readonly string[]).includes(name))
    throw new Error(`PROGRAM_SET: ${name} is not a program set (expected ${PROGRAM_SET_NAMES.join(', ')})`);
  return name as ProgramSetName;
}

/** Starts both stacks from `programs`, runs `body` on them, and stops them whatever happens. */
async function withDrillStacks<T>(
  profile: TimingProfile,
  programs: ProgramSet,
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
      const missing = missingBinaries(loopbackBinaries(undefined, programs));
      expectThat(missing.length === 0, `missing ${missing.join(', ')}: ${programSetHint(programs.name, missing)}`);
      const startedAt = Date.now();
      stacks.main = await LoopbackStack.start({ profile, programs });
      stacks.shortTimeout = await LoopbackStack.start({
        components: ['postgres', 'postgresExporter', 'prometheus'],
        profile: { ...profile, prometheus: { ...profile.prometheus, scrapeTimeout: SHORT_SCRAPE_TIMEOUT } },
        ruleGroups: ['postgresql'],
        externalAlertmanager: stacks.main.address('alertmanager'),
        programs,
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
  setName: ProgramSetName = e2eProgramSet(),
): Promise<EndToEndResult> {
  const checklist = new Checklist(print);
  let programs: ProgramSet | undefined;
  await checklist.check(`the ${setName} program set is at hand`, async () => {
    programs = await fetchProgramSet(setName);
    return programs.title;
  });
  if (programs === undefined) return { checklist, timings: [] };
  const timings = await withDrillStacks(profile, programs, checklist, async (stacks) => {
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
  return { checklist, timings: timings ?? [], programs };
}

/**
 * The programs a drill's alert went through, with their versions: Prometheus and Alertmanager,
 * and the exporters whose metrics the alert reads (the simulator stands in for the application).
 */
export function drillPrograms(alert: AlertName, programs: ProgramSet): string {
  const sources = new Set(alertRule(alert).expr.metrics.map((metric) => metric.source));
  return COMPONENTS.filter(
    (component) =>
      component === 'prometheus' ||
      component === 'alertmanager' ||
      (COMPONENT_DESCRIPTORS[component].metricSource !== undefined &&
        sources.has(COMPONENT_DESCRIPTORS[component].metricSource!)),
  )
    .flatMap((component) => {
      const debian = COMPONENT_DESCRIPTORS[component].debian;
      const version = debian && programs.version(debian.binary);
      return version ? [`${COMPONENT_DESCRIPTORS[component].title} ${version}`] : [];
    })
    .join(', ');
}

/**
 * Time-to-notify per drill, titled: measured against its floor (for + group_wait + window) and
 * bound, and the program versions it ran (`drillPrograms`, from `programs`).
 */
export function timingTable(rows: readonly DrillTiming[], programs: ProgramSet): string {
  const s = (duration: Duration) => seconds(duration.millis);
  const title =
    `Time-to-notify on the ${programs.name} program set (${programs.suite}) (bound = floor + scrape interval + evaluation interval + scrape timeout;\n` +
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
      'versions',
    ],
    rows.map(({ drill, alert, timing, notifiedMs, detectedMs, resolvedMs }) => [
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
      drillPrograms(alert, programs),
    ]),
  )}`;
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const { checklist, timings, programs } = await runEndToEnd();
  if (programs) console.log(`\n${timingTable(timings, programs)}`);
  console.log(`\n${checklist.summary()} in ${seconds(Date.now() - startedAt)}`);
  process.exitCode = checklist.failed > 0 ? 1 : 0;
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(error.stack ?? error.message);
    process.exitCode = 1;
  });
}
