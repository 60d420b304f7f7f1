/**
 * The labelled month in a real Prometheus: its series written as OpenMetrics, one file per TSDB
 * block, turned into blocks by `promtool tsdb create-blocks-from openmetrics` (Prometheus 2.42's
 * promtool has it; its hidden `--max-block-duration` makes one block per file instead of one per
 * two hours, each of which would read the whole file again: cmd/promtool/backfill.go), then a
 * Prometheus started on those blocks on a free loopback port, scraping nothing.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HttpClient } from '../../clients/http';
import { PrometheusApi } from '../../clients/prometheus';
import { RANGE_QUERY_TIMEOUT_MS } from '../../tools/replay/evaluate';
import { ManagedProcess, ProcessGroup, freePort, waitForHttpOk } from '../processes';
import { LabelledEvent } from './events';
import { MonthSeries, SeriesOptions } from './series';

const run = promisify(execFile);

/**
 * The block span: the largest of the TSDB's block ranges (2h times powers of 3) that holds a week,
 * 162 h (tsdb.ExponentialBlockRanges). Files are cut at its multiples, as promtool aligns blocks.
 */
export const BLOCK_MS = 162 * 3_600_000;

/** A month turned into TSDB blocks. */
export interface BackfilledMonth {
  /** The TSDB directory Prometheus opens. */
  tsdb: string;
  samples: number;
  /** Time to write the files and make the blocks. */
  seconds: number;
}

/**
 * Writes the month's series into `dir` (OpenMetrics files, deleted once turned into blocks) and
 * backfills them into `dir/tsdb`; promtool makes one block while the next file is written.
 */
export async function backfillMonth(
  dir: string,
  options: SeriesOptions,
  events: readonly LabelledEvent[],
): Promise<BackfilledMonth> {
  const started = process.hrtime.bigint();
  const tsdb = join(dir, 'tsdb');
  mkdirSync(tsdb, { recursive: true });
  const series = new MonthSeries(options, events);
  let samples = 0;
  let pending: Promise<unknown> = Promise.resolve();
  for (let from = options.start; from < options.end;) {
    const to = Math.min(options.end, (Math.floor(from / BLOCK_MS) + 1) * BLOCK_MS);
    const file = join(dir, `month-${from}.om`);
    samples += series.chunk(from, to).write(file);
    await pending;
    pending = run(
      'promtool',
      [
        'tsdb',
        'create-blocks-from',
        'openmetrics',
        '--quiet',
        `--max-block-duration=${BLOCK_MS / 3_600_000}h`,
        file,
        tsdb,
      ],
      { timeout: 300_000 },
    ).then(
      () => rmSync(file),
      (error: { stderr?: string; message: string }) => {
        throw new Error(`promtool could not backfill ${file}: ${(error.stderr ?? error.message).trim()}`);
      },
    );
    from = to;
  }
  await pending;
  return { tsdb, samples, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

/** A Prometheus serving a backfilled TSDB. */
export interface HistoryServer {
  url: string;
  /** Its API, waiting as long as a replay waits for a range query. */
  api: PrometheusApi;
  process: ManagedProcess;
}

/**
 * Prometheus on `tsdb` (blocks only: it scrapes nothing, so its head stays empty), on a free
 * loopback port, started through `processes` (which stops it by pid). Retention is long, so blocks
 * of any age stay; blocks are never compacted further than the backfill made them.
 */
export async function serveHistory(tsdb: string, processes: ProcessGroup, timeoutMs = 60_000): Promise<HistoryServer> {
  const config = join(tsdb, '..', 'prometheus.yml');
  writeFileSync(config, 'global:\n  scrape_interval: 1m\n');
  const listen = `127.0.0.1:${await freePort()}`;
  const prometheus = processes.start('prometheus', 'prometheus', [
    `--config.file=${config}`,
    `--storage.tsdb.path=${tsdb}`,
    '--storage.tsdb.retention.time=10y',
    `--storage.tsdb.max-block-duration=${BLOCK_MS / 3_600_000}h`,
    `--web.listen-address=${listen}`,
  ]);
  const url = `http://${listen}`;
  try {
    await waitForHttpOk(`${url}/-/ready`, timeoutMs);
  } catch (error) {
    throw new Error(`Prometheus did not get ready on ${tsdb}: ${(error as Error).message}\n${prometheus.log}`, {
      cause: error,
    });
  }
  return { url, api: new PrometheusApi(url, new HttpClient(RANGE_QUERY_TIMEOUT_MS)), process: prometheus };
}
