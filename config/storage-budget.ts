/**
 * How much disk Prometheus may fill, and the retention by size that follows from it. One budget
 * (`prometheus.diskBudget`) feeds `--storage.tsdb.retention.size` on both targets, and on Kubernetes
 * the size of Prometheus' volume (`kubernetes.prometheusVolumeSize`), so the three never disagree.
 *
 * Why a share of the budget: Prometheus counts its WAL and head chunks in the size but deletes only
 * whole blocks, and a compaction keeps its source blocks and the new block on disk together until
 * the next retention run. Its storage docs (docs/storage.md, "Right-Sizing Retention Size")
 * recommend a retention size of at most 80-85 % of the space allotted; the lower end is taken.
 */
import { ByteSize } from '../core/byte-size';
import { ConfigReader } from './errors';

/** Share of the disk budget the TSDB may reach before Prometheus deletes its oldest blocks. */
export const RETENTION_SHARE_OF_BUDGET = 0.8;

/**
 * The Docker target's budget: the volume lives on the host's disk beside Stock Tracker's
 * PostgreSQL, so a bound well below a small host's disk. The catalog's series at a 15 s scrape take
 * tens of MB a day; 30 days fit many times over.
 */
export const DEFAULT_DOCKER_DISK_BUDGET = ByteSize.gibibytes(10);

/** The smallest budget: the WAL and head chunks alone take hundreds of MB on a busy server. */
export const MINIMUM_DISK_BUDGET = ByteSize.gibibytes(1);

/** What was given for each size: a derived default fills in only what the user left out. */
export interface GivenSizes {
  diskBudget: boolean;
  retentionSize: boolean;
  prometheusVolumeSize: boolean;
}

export interface PrometheusStorage {
  diskBudget: ByteSize;
  retentionSize: ByteSize;
  /** The Kubernetes volume size, as a quantity (`50Gi`). */
  prometheusVolumeSize: string;
}

/**
 * The budget, the retention size and the Kubernetes volume, each given or derived from the others:
 * on Kubernetes the budget is the volume (a volume given alone sets the budget; a budget given
 * alone sizes the volume); on Docker it defaults to `DEFAULT_DOCKER_DISK_BUDGET`. The retention size
 * defaults to `RETENTION_SHARE_OF_BUDGET` of the budget. Problems go to `reader`: a retention size
 * above the budget, a budget above the volume.
 */
export function prometheusStorage(
  target: 'docker' | 'kubernetes',
  parsed: PrometheusStorage,
  given: GivenSizes,
  reader: ConfigReader,
): PrometheusStorage {
  const volume = ByteSize.fromKubernetesQuantity(parsed.prometheusVolumeSize);
  const onKubernetes = target === 'kubernetes';
  const diskBudget = given.diskBudget ? parsed.diskBudget : onKubernetes ? volume : DEFAULT_DOCKER_DISK_BUDGET;
  const prometheusVolumeSize =
    onKubernetes && given.diskBudget && !given.prometheusVolumeSize
      ? diskBudget.toKubernetesQuantity()
      : parsed.prometheusVolumeSize;
  const retentionSize = given.retentionSize ? parsed.retentionSize : diskBudget.share(RETENTION_SHARE_OF_BUDGET);
  if (retentionSize.compare(diskBudget) > 0) {
    reader.problem(
      'prometheus.retentionSize',
      retentionSize.toString(),
      `is above prometheus.diskBudget (${diskBudget}): Prometheus would fill the disk before deleting anything (leave it out for ${Math.round(RETENTION_SHARE_OF_BUDGET * 100)}% of the budget)`,
    );
  }
  if (onKubernetes && given.diskBudget && given.prometheusVolumeSize && diskBudget.compare(volume) > 0) {
    reader.problem(
      'prometheus.diskBudget',
      diskBudget.toString(),
      `is above kubernetes.prometheusVolumeSize (${parsed.prometheusVolumeSize}), the volume it is spent on (leave one of them out and it follows the other)`,
    );
  }
  return { diskBudget, retentionSize, prometheusVolumeSize };
}
