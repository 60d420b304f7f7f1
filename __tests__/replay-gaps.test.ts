/**
 * The replay where Prometheus held no data, against a real Prometheus: three hours of the labelled
 * month's series with a one-hour API outage, backfilled with promtool with nothing before them and
 * a quarter of an hour without a single sample inside the outage (Prometheus down). A replay asked
 * to start two hours before the data starts at the first sample and says so; nothing is pending or
 * firing before it or in the gap, though `absent(up{...})` reads true there; and the outage's alert
 * resolves where the data stops and fires again only its `for` after the data is back, as a
 * Prometheus restarted without its state would have fired it.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { main } from '../tools/replay/main';
import { replay } from '../tools/replay/replay';
import { ReplaySummary } from '../tools/replay/report';
import { ROOT, loadRuleSet } from '../tools/replay/rule-set';
import { HistoryServer, serveHistory } from '../testing/labelled-month/backfill';
import { LabelledEvent, MONTH_EVENTS, monthTime } from '../testing/labelled-month/events';
import { DEFAULT_SERIES_OPTIONS, MonthSeries } from '../testing/labelled-month/series';
import { ProcessGroup, describeWithBinaries } from '../testing/processes';

const run = promisify(execFile);
const MINUTE = 60_000;

const DATA_START = monthTime(1, '12:00');
const DATA_END = monthTime(1, '15:00');
const OUTAGE = { start: monthTime(1, '13:00'), end: monthTime(1, '14:00') };
/** No sample at all from GAP.start to GAP.end: longer than the 5m lookback, so a gap a query sees. */
const GAP = { start: monthTime(1, '13:20'), end: monthTime(1, '13:35') };
const REPLAY_FROM = DATA_START - 120 * MINUTE;

describeWithBinaries(
  'replay over a history with no data before it and a gap inside',
  ['promtool', 'prometheus'],
  () => {
    const processes = new ProcessGroup();
    afterAll(() => processes.stopAll());
    let server: HistoryServer;

    beforeAll(async () => {
      const dir = processes.tempDir('stm-replay-gaps-');
      const outage = MONTH_EVENTS.find((event) => event.id === 'api-outage-1') as LabelledEvent;
      const scrapeMs = DEFAULT_SERIES_OPTIONS.scrapeIntervalMs;
      const month = new MonthSeries({ ...DEFAULT_SERIES_OPTIONS, start: DATA_START, end: DATA_END }, [
        { ...outage, ...OUTAGE },
      ]);
      const chunk = month.chunk(DATA_START, DATA_END);
      for (const buffer of chunk.series.values())
        buffer.values.fill(NaN, (GAP.start - DATA_START) / scrapeMs, (GAP.end - DATA_START) / scrapeMs);
      chunk.write(join(dir, 'window.om'));
      await run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'window.om'), join(dir, 'tsdb')], {
        timeout: 60_000,
      });
      server = await serveHistory(join(dir, 'tsdb'), processes);
    }, 120_000);

    test('starts at the first sample, nothing pends or fires where there is no data, a for starts over after a gap', async () => {
      const ruleSet = loadRuleSet(ROOT, {}, 'this checkout');
      const result = await replay(server.api, ruleSet, REPLAY_FROM, DATA_END);
      expect({ requestedFromMs: result.requestedFromMs, fromMs: result.fromMs }).toEqual({
        requestedFromMs: REPLAY_FROM,
        fromMs: DATA_START,
      });
      // The gap as a query sees it: from when the last sample before it leaves the lookback, to the first after.
      expect(result.gaps).toHaveLength(1);
      const [gap] = result.gaps;
      expect(gap.toMs).toBe(GAP.end);
      expect(gap.fromMs).toBeGreaterThan(GAP.start);
      expect(gap.fromMs).toBeLessThanOrEqual(GAP.start + 5 * MINUTE + 15_000);

      const episodes = result.outcomes.flatMap((outcome) => outcome.episodes);
      for (const episode of episodes) {
        expect(episode.activeAt).toBeGreaterThanOrEqual(DATA_START);
        // Wholly before the gap (resolved where it begins) or wholly after it.
        expect(episode.activeAt >= gap.toMs || (episode.resolvedAt ?? Infinity) <= gap.fromMs).toBe(true);
      }
      // `absent(up{job="celery"})` is true before the data, yet the workers were there all along.
      expect(episodes.filter((episode) => episode.labels.alertname === 'CeleryWorkerDown')).toEqual([]);

      const apiDown = result.outcomes.find((outcome) => outcome.rule.name === 'APIDown');
      const forMs = apiDown?.rule.forMs ?? NaN;
      const [before, after] = apiDown?.episodes ?? [];
      expect(apiDown?.episodes).toHaveLength(2);
      // Before the gap: from the outage's first scrape, fired `for` later, resolved where the data stops.
      expect(before.activeAt - OUTAGE.start).toBeLessThan(MINUTE);
      expect(before.firedAt - before.activeAt).toBe(forMs);
      expect(before.resolvedAt).toBe(gap.fromMs);
      // After it: pending again from the first step with data, so fired a whole `for` after it.
      expect(after).toMatchObject({ activeAt: gap.toMs, firedAt: gap.toMs + forMs });
      // Resolved after the outage, once the target is scraped again and keep_firing_for has run out.
      expect((after.resolvedAt ?? NaN) - OUTAGE.end).toBeLessThanOrEqual(
        (apiDown?.rule.keepFiringForMs ?? NaN) + 3 * MINUTE,
      );

      let stdout = '';
      const io = {
        stdout: { write: (text: string) => (stdout += text) },
        stderr: { write: () => true },
        color: false,
      };
      const args = ['--prometheus', server.url, '--from', String(REPLAY_FROM / 1000), '--to', String(DATA_END / 1000)];
      expect(await main(args, {}, io)).toBe(0);
      expect(stdout).toContain(
        `Prometheus holds no sample before ${new Date(DATA_START).toISOString()}: replayed from there, not from ${new Date(REPLAY_FROM).toISOString()}.`,
      );
      expect(stdout).toContain(
        `Prometheus held no data from ${new Date(gap.fromMs).toISOString()} to ${new Date(GAP.end).toISOString()}`,
      );
      stdout = '';
      expect(await main([...args, '--json'], {}, io)).toBe(0);
      const [summary] = (JSON.parse(stdout) as { replays: ReplaySummary[] }).replays;
      expect(summary).toMatchObject({
        requestedFrom: new Date(REPLAY_FROM).toISOString(),
        from: new Date(DATA_START).toISOString(),
        gaps: [{ from: new Date(gap.fromMs).toISOString(), to: new Date(GAP.end).toISOString() }],
      });
    }, 180_000);
  },
);
