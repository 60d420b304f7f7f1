/**
 * Retention by size: Prometheus' size notation parsed as Prometheus parses it (checked against the
 * real Prometheus, which reports the size it read), and the disk budget that the retention size and
 * the Kubernetes volume follow.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ByteSize } from '../core/byte-size';
import { ConfigError } from '../config/errors';
import { loadMonitoringConfig } from '../config/load';
import { PrometheusApi } from '../clients/prometheus';
import { ProcessGroup, describeWithBinaries, freePort, waitFor, waitForHttpOk } from '../testing/processes';

const GiB = 2 ** 30;
const MiB = 2 ** 20;

/** The one-line problems of a configuration that must be refused. */
function problems(env: NodeJS.ProcessEnv): string {
  try {
    loadMonitoringConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe('ByteSize', () => {
  test.each([
    ['10GB', 10 * GiB],
    ['10GiB', 10 * GiB],
    ['512MB', 512 * MiB],
    ['1GiB512MiB', 1.5 * GiB],
    ['1.5GB', 1.5 * GiB],
    ['2TB', 2 * 1024 * GiB],
    ['100B', 100],
    ['+1KB', 1024],
  ])('reads %s as powers of 2, as Prometheus does', (text, bytes) => {
    expect(ByteSize.parse(text).bytes).toBe(bytes);
  });

  test.each([
    ['10', 'no unit'],
    ['10kB', 'the SI kilobyte, which Prometheus refuses'],
    ['10gb', 'lower case'],
    ['1GiB512MB', 'two unit families in one size'],
    ['10 GB', 'a space'],
    ['', 'nothing'],
  ])('refuses %j (%s)', (text) => {
    expect(() => ByteSize.parse(text)).toThrow(/is not a size: expected a number and a unit/);
  });

  test('refuses a negative size, saying so', () => {
    expect(() => ByteSize.parse('-1GB')).toThrow('"-1GB" is negative');
  });

  test('writes the largest exact unit, and sizes a volume up to whole mebibytes', () => {
    expect(ByteSize.gibibytes(8).toString()).toBe('8GiB');
    expect(ByteSize.parse('1.5GB').toString()).toBe('1536MiB');
    expect(ByteSize.parse('100B').toString()).toBe('100B');
    expect(ByteSize.gibibytes(1024).toKubernetesQuantity()).toBe('1Ti');
    expect(ByteSize.parse('1.5GB').toKubernetesQuantity()).toBe('1536Mi');
    expect(ByteSize.parse('1000B').toKubernetesQuantity()).toBe('1Mi');
    expect(ByteSize.fromKubernetesQuantity('50Gi').bytes).toBe(50 * GiB);
  });
});

describe('the disk budget', () => {
  test('on Docker: 10GiB, and a retention size of 80% of it', () => {
    const { prometheus } = loadMonitoringConfig({});
    expect([prometheus.diskBudget.toString(), prometheus.retentionSize.toString()]).toEqual(['10GiB', '8GiB']);
    expect(loadMonitoringConfig({ PROMETHEUS_DISK_BUDGET: '25GB' }).prometheus.retentionSize.toString()).toBe('20GiB');
  });

  test('on Kubernetes: the volume is the budget, whichever of the two is given', () => {
    const kubernetes = { MONITORING_TARGET: 'kubernetes' };
    const byDefault = loadMonitoringConfig(kubernetes);
    expect(byDefault.kubernetes.prometheusVolumeSize).toBe('50Gi');
    expect(byDefault.prometheus.retentionSize.toString()).toBe('40GiB');

    const budget = loadMonitoringConfig({ ...kubernetes, PROMETHEUS_DISK_BUDGET: '20GB' });
    expect(budget.kubernetes.prometheusVolumeSize).toBe('20Gi');
    expect(budget.prometheus.retentionSize.toString()).toBe('16GiB');

    const volume = loadMonitoringConfig({
      ...kubernetes,
      MONITORING_CONFIG: JSON.stringify({ kubernetes: { prometheusVolumeSize: '100Gi' } }),
    });
    expect(volume.prometheus.diskBudget.toString()).toBe('100GiB');
    expect(volume.prometheus.retentionSize.toString()).toBe('80GiB');
  });

  test('a retention size given is kept, up to the budget', () => {
    expect(loadMonitoringConfig({ PROMETHEUS_RETENTION_SIZE: '9GB' }).prometheus.retentionSize.toString()).toBe('9GiB');
    expect(problems({ PROMETHEUS_RETENTION_SIZE: '12GB' })).toContain(
      'PROMETHEUS_RETENTION_SIZE (setting prometheus.retentionSize): "12GiB" is above prometheus.diskBudget (10GiB)',
    );
  });

  test('a budget above the Kubernetes volume it is spent on is refused, naming both', () => {
    const message = problems({
      MONITORING_TARGET: 'kubernetes',
      PROMETHEUS_DISK_BUDGET: '60GB',
      MONITORING_CONFIG: JSON.stringify({ kubernetes: { prometheusVolumeSize: '50Gi' } }),
    });
    expect(message).toContain(
      'PROMETHEUS_DISK_BUDGET (setting prometheus.diskBudget): "60GiB" is above kubernetes.prometheusVolumeSize (50Gi)',
    );
  });

  test('a size Prometheus would not read, or a budget too small, is refused naming the variable and the value', () => {
    expect(problems({ PROMETHEUS_DISK_BUDGET: '10kB' })).toContain(
      'PROMETHEUS_DISK_BUDGET (setting prometheus.diskBudget): "10kB" is not a size',
    );
    expect(problems({ PROMETHEUS_DISK_BUDGET: '512MB' })).toContain(
      'PROMETHEUS_DISK_BUDGET (setting prometheus.diskBudget): "512MB" is too small: must be at least 1GiB',
    );
  });
});

describeWithBinaries('the real Prometheus reads the sizes as ByteSize does', ['prometheus'], () => {
  const processes = new ProcessGroup();
  afterAll(() => processes.stopAll());

  test.each(['8GiB', '1536MiB', '10GB', '1GiB512MiB'])(
    '--storage.tsdb.retention.size=%s',
    async (text) => {
      const dir = processes.tempDir('stm-retention-');
      writeFileSync(join(dir, 'prometheus.yml'), 'global: {}\n');
      const port = await freePort();
      const prometheus = processes.start('prometheus', 'prometheus', [
        `--config.file=${join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
        '--storage.tsdb.retention.time=30d',
        `--storage.tsdb.retention.size=${text}`,
      ]);
      try {
        await waitForHttpOk(`http://127.0.0.1:${port}/-/ready`);
        const { storageRetention } = await new PrometheusApi(`http://127.0.0.1:${port}`).runtimeInfo();
        // Prometheus prints what it read in its own notation: "30d or 1GiB512MiB".
        const [, read] = storageRetention.split(' or ');
        expect(ByteSize.parse(read).bytes).toBe(ByteSize.parse(text).bytes);
      } finally {
        await prometheus.stop();
      }
    },
    30_000,
  );

  test('a size ByteSize refuses, Prometheus refuses too', async () => {
    const dir = processes.tempDir('stm-retention-');
    const prometheus = processes.start('prometheus', 'prometheus', [
      `--storage.tsdb.path=${join(dir, 'data')}`,
      '--storage.tsdb.retention.size=10kB',
    ]);
    await waitFor('Prometheus to exit on the size', async () => !prometheus.running, 10_000);
    expect(prometheus.child.exitCode).not.toBe(0);
    expect(prometheus.log).toContain('unknown unit kB');
  }, 30_000);
});
