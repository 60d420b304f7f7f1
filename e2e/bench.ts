/**
 * `npm run bench:e2e`: what the end-to-end run measures, against its targets.
 * - Time-to-notify of every drill (under BENCH_PROFILE): measured vs floor (for + group_wait +
 *   window) and bound (floor + scrape interval + evaluation interval + scrape timeout). Target:
 *   inside the bound, at most 1.2x the floor.
 * - Series Prometheus stores for the whole loopback stack with the project's relabelling (exporters
 *   keep only the catalog's series) and without. Target: at least 40 % fewer, with every alert's
 *   metrics and every panel still answered (checked on the relabelled stack).
 * - Prometheus' resident memory once the series count has settled, both ways.
 */
import { PrometheusApi } from '../clients/prometheus';
import { checkStack } from './checks';
import { Checklist, formatTable, seconds } from './report';
import { runEndToEnd, timingTable } from './run';
import { BENCH_PROFILE } from '../testing/timing-profile';
import { LoopbackStack } from '../testing/loopback-stack';
import { ProgramSet } from '../testing/program-sets';
import { sleep, waitFor } from '../testing/processes';

const TARGET_FLOOR_RATIO = 1.2;
const TARGET_SERIES_REDUCTION = 0.4;
/** Series counts read this far apart must agree for the stack to count as settled. */
const SETTLE_STEP_MS = 5_000;

interface Footprint {
  seriesByJob: Map<string, number>;
  total: number;
  rssBytes: number;
}

async function countByJob(prometheus: PrometheusApi): Promise<Map<string, number>> {
  const samples = await prometheus.query('count by (job) ({__name__=~".+"})');
  return new Map(samples.map((sample) => [sample.metric.job ?? '(recording rules)', Number(sample.value[1])]));
}

/**
 * Series per job and Prometheus' RSS, once two readings a step apart give the same total. The
 * stack's checks run first, both ways, so both Prometheus servers answered the same queries.
 */
async function footprint(
  keepAllExporterSeries: boolean,
  programs: ProgramSet,
  checklist: Checklist,
): Promise<Footprint> {
  const stack = await LoopbackStack.start({ keepAllExporterSeries, programs });
  try {
    const prometheus = new PrometheusApi(stack.url('prometheus'));
    await checkStack(stack, checklist);
    let previous = -1;
    const seriesByJob = await waitFor(
      'the series count to settle',
      async () => {
        await sleep(SETTLE_STEP_MS);
        const counts = await countByJob(prometheus);
        const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
        const settled = total === previous;
        previous = total;
        return settled && counts;
      },
      120_000,
      0,
    );
    const rssBytes = (await prometheus.value('process_resident_memory_bytes{job="prometheus"}')) ?? NaN;
    return { seriesByJob, total: previous, rssBytes };
  } finally {
    await stack.stop();
  }
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

async function main(): Promise<void> {
  console.log(`Drills of npm run e2e, minutes run as ${60 * BENCH_PROFILE.timeScale} s...`);
  const { checklist, timings, programs } = await runEndToEnd(BENCH_PROFILE, () => undefined);
  if (programs === undefined) throw new Error(`no program set: ${checklist.results[0]?.detail ?? ''}`);
  console.log(`\n${timingTable(timings, programs)}`);
  const missed = timings.filter(
    ({ notifiedMs, timing }) =>
      notifiedMs === undefined ||
      notifiedMs > timing.bound.millis ||
      notifiedMs > timing.floor.millis * TARGET_FLOOR_RATIO,
  );
  console.log(
    missed.length === 0
      ? `target met: every drill inside its bound and within ${TARGET_FLOOR_RATIO}x its floor`
      : `target missed by: ${missed.map((row) => `${row.drill} (${row.notifiedMs === undefined ? 'not told' : seconds(row.notifiedMs)})`).join(', ')}`,
  );
  console.log(`e2e checks: ${checklist.summary()}`);

  console.log('\nSeries, with and without the relabelling (each stack started alone, measured once settled)...');
  const relabelChecks = new Checklist(() => undefined);
  const catalogOnly = await footprint(false, programs, relabelChecks);
  const everything = await footprint(true, programs, new Checklist(() => undefined));
  const jobs = [...new Set([...everything.seriesByJob.keys(), ...catalogOnly.seriesByJob.keys()])].sort();
  const fewer = (all: number, kept: number) => (all === 0 ? '-' : `${(((all - kept) / all) * 100).toFixed(0)}%`);
  const rows = jobs.map((job) => {
    const all = everything.seriesByJob.get(job) ?? 0;
    const kept = catalogOnly.seriesByJob.get(job) ?? 0;
    return [job, String(all), String(kept), fewer(all, kept)];
  });
  rows.push(['total', String(everything.total), String(catalogOnly.total), fewer(everything.total, catalogOnly.total)]);
  console.log(formatTable(['job', 'all exporter series', 'catalog series only', 'fewer'], rows));
  const reduction = (everything.total - catalogOnly.total) / everything.total;
  const answered = relabelChecks.failed === 0;
  console.log(
    `${reduction >= TARGET_SERIES_REDUCTION && answered ? 'target met' : 'target missed'}: ${(reduction * 100).toFixed(0)}% fewer series (target ${TARGET_SERIES_REDUCTION * 100}%); ` +
      `alert metrics and panels on the relabelled stack: ${relabelChecks.summary()}`,
  );
  for (const failed of relabelChecks.results.filter((result) => !result.ok))
    console.log(`  FAIL ${failed.name}: ${failed.detail}`);
  console.log(
    `\nPrometheus resident memory once settled: ${mib(catalogOnly.rssBytes)} with the relabelling, ${mib(everything.rssBytes)} without`,
  );
  process.exitCode = checklist.failed + relabelChecks.failed > 0 ? 1 : 0;
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exitCode = 1;
});
