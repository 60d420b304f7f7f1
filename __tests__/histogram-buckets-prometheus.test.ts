/**
 * The bucket selectors of the latency rules on the real Prometheus of each program set. Python's
 * client writes a whole bound as `le="1.0"`, Go's as `le="1"`; Prometheus 3 stores both as `1.0`
 * (model/textparse: `normalizeFloatsInLabelValues`, OpenMetrics float format), Prometheus 2 as
 * written. Each threshold's bucket (`bucketAt`, domain/metrics/promql.ts) and the `+Inf` bucket must
 * find the series either way.
 */
import { createServer, Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PrometheusApi } from '../clients/prometheus';
import { Histogram } from '../domain/metrics';
import { bucketAt } from '../domain/metrics/promql';
import { THRESHOLDS } from '../domain/metrics/thresholds';
import { ProcessGroup, freePort, waitFor, waitForHttpOk } from '../testing/processes';
import { describeOnProgramSets } from '../testing/program-sets';

/** Each latency threshold's histogram and the bound the rules read (a bucket of it). */
const THRESHOLD_BUCKETS = Object.values(THRESHOLDS).flatMap((threshold) =>
  threshold.quantileOf
    ? Object.values(threshold.levels).map((bound) => ({ metric: threshold.quantileOf!, bound }))
    : [],
);
const HISTOGRAMS = [...new Set(THRESHOLD_BUCKETS.map(({ metric }) => metric))];

/** How each client writes a bound: Python's repr of a float (`1.0`, `0.005`), Go's shortest form (`1`). */
const STYLES = {
  python: (bound: number) => (Number.isInteger(bound) ? `${bound}.0` : String(bound)),
  go: (bound: number) => String(bound),
} as const;
type Style = keyof typeof STYLES;

/** The histograms' series in the text format, bounds written in `style`; one observation in every bucket. */
function exposition(style: Style): string {
  return HISTOGRAMS.flatMap((metric: Histogram) => [
    `# TYPE ${metric.name} histogram`,
    ...(metric.buckets ?? []).map((bound, i) => `${metric.name}_bucket{le="${STYLES[style](bound)}"} ${i + 1}`),
    `${metric.name}_bucket{le="+Inf"} ${(metric.buckets ?? []).length + 1}`,
    `${metric.name}_sum 1`,
    `${metric.name}_count ${(metric.buckets ?? []).length + 1}`,
  ]).join('\n');
}

describeOnProgramSets(
  'latency buckets in the real Prometheus, as Python and Go write them',
  ['prometheus'],
  (programs) => {
    const processes = new ProcessGroup();
    let server: Server;
    let prometheus: PrometheusApi;
    const major = Number(programs.version('prometheus')?.split('.')[0]);

    beforeAll(async () => {
      expect(THRESHOLD_BUCKETS.map(({ bound }) => bound).sort()).toEqual([1, 2.5]);
      server = createServer((request, response) => {
        const style = request.url?.slice(1) as Style;
        if (!(style in STYLES)) return void response.writeHead(404).end();
        response
          .writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' })
          .end(`${exposition(style)}\n`);
      });
      const exporterPort = await freePort();
      await new Promise<void>((resolve) => server.listen(exporterPort, '127.0.0.1', resolve));
      const dir = processes.tempDir('stm-buckets-');
      const jobs = (Object.keys(STYLES) as Style[]).map(
        (style) =>
          `  - job_name: ${style}\n    metrics_path: /${style}\n    static_configs: [{ targets: ['127.0.0.1:${exporterPort}'] }]`,
      );
      writeFileSync(
        join(dir, 'prometheus.yml'),
        `global: { scrape_interval: 1s }\nscrape_configs:\n${jobs.join('\n')}\n`,
      );
      const listen = `127.0.0.1:${await freePort()}`;
      processes.start('prometheus', programs.binary('prometheus'), [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=${listen}`,
      ]);
      await waitForHttpOk(`http://${listen}/-/ready`, 30_000);
      prometheus = new PrometheusApi(`http://${listen}`);
      await waitFor('both styles scraped', async () => (await prometheus.query('up == 1')).length === 2, 20_000, 250);
    });

    afterAll(async () => {
      await processes.stopAll();
      await new Promise((resolve) => server?.close(resolve));
    });

    test.each(THRESHOLD_BUCKETS.map(({ metric, bound }) => [metric.name, bound, metric] as const))(
      '%s bucket %s: the rules find it written either way',
      async (_name, bound, metric) => {
        const found = await prometheus.query(`count by (job) (${bucketAt(metric, bound)})`);
        expect(found.map((sample) => [sample.metric.job, sample.value[1]]).sort()).toEqual([
          ['go', '1'],
          ['python', '1'],
        ]);
      },
    );

    test('Prometheus 3 stores a whole bound as 1.0 whoever wrote it, Prometheus 2 as written', async () => {
      const { metric } = THRESHOLD_BUCKETS.find(({ bound }) => bound === 1)!;
      const stored = await prometheus.query(`group by (job, le) (${bucketAt(metric, 1)})`);
      expect(Object.fromEntries(stored.map((sample) => [sample.metric.job, sample.metric.le]))).toEqual(
        major >= 3 ? { go: '1.0', python: '1.0' } : { go: '1', python: '1.0' },
      );
    });
  },
);
