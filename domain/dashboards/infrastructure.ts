/**
 * "Stock Tracker - Infrastructure": what the service stands on. PostgreSQL, Redis, the
 * containers (cAdvisor) and the host (node-exporter), each metric the requirements (docs/REQUIREMENTS.md) say is measured.
 */
import { Duration } from '../../core/duration';
import { METRICS } from '../metrics';
import { add, aggregateBy, avgBy, gt, increase, maxBy, not, rate, ratio, select, sum, sumBy } from '../metrics/promql';
import { RATE_WINDOW, RECORDINGS } from '../metrics/recordings';
import { containerRestarts } from '../metrics/restarts';
import { THRESHOLDS, windowOf } from '../metrics/thresholds';
import { defineDashboard, section } from './layout';
import { Query, barGaugePanel, gaugePanel, query, statPanel, timeSeriesPanel } from './panels';

const { postgres, redis, cadvisor, node, scrape, prometheus, alertmanager } = METRICS;

export const INFRASTRUCTURE_UID = 'stock-tracker-infrastructure';

/** cAdvisor also reports cgroups that are not containers, with an empty name. */
const containers = { name: not('') };
type ContainerCounter =
  | typeof cadvisor.cpuUsageSeconds
  | typeof cadvisor.networkReceiveBytes
  | typeof cadvisor.networkTransmitBytes
  | typeof cadvisor.fsReadBytes
  | typeof cadvisor.fsWriteBytes;

/** A cAdvisor counter per second and per container, summed over its CPUs, interfaces or devices. */
function perContainerRate(counter: ContainerCounter, legend: string): Query {
  return query(sumBy(['name'], rate(select(counter, containers), RATE_WINDOW)), legend);
}

/** The loopback interface carries no traffic of interest. */
const realInterfaces = { device: not('lo') };

export function infrastructureDashboard() {
  const hits = sum(rate(redis.keyspaceHits, RATE_WINDOW));
  const misses = sum(rate(redis.keyspaceMisses, RATE_WINDOW));
  return defineDashboard({
    uid: INFRASTRUCTURE_UID,
    title: 'Stock Tracker - Infrastructure',
    description:
      'What Stock Tracker runs on: PostgreSQL, Redis, its containers and the host; and the monitoring itself.',
    refresh: Duration.seconds(30),
    timeRange: Duration.hours(6),
    variables: [],
    links: () => [],
    sections: [
      section('PostgreSQL', [
        timeSeriesPanel({
          title: 'PostgreSQL connections',
          description:
            'Server connections by state, and their total per server. The dashed lines are where HighDatabaseConnections and DatabaseConnectionPoolExhausted fire.',
          unit: 'count',
          queries: [
            query(sumBy(['state'], select(postgres.activityCount)), ['state']),
            query(select(RECORDINGS.postgresConnections), 'total {{instance}}'),
          ],
          thresholds: THRESHOLDS.postgresConnections,
        }),
        timeSeriesPanel({
          title: 'PostgreSQL transactions',
          description:
            'Transactions committed and rolled back per second, per database (5-minute rate). Rollbacks rising with API errors point at the application.',
          unit: 'operationsPerSecond',
          queries: [
            query(sumBy(['datname'], rate(postgres.transactionsCommitted, RATE_WINDOW)), '{{datname}} committed'),
            query(sumBy(['datname'], rate(postgres.transactionsRolledBack, RATE_WINDOW)), '{{datname}} rolled back'),
          ],
        }),
        timeSeriesPanel({
          title: 'PostgreSQL locks and deadlocks',
          description:
            'Locks held by mode, and deadlocks detected per database in the last 5 minutes. Exclusive locks piling up make queries wait.',
          unit: 'count',
          queries: [
            query(sumBy(['mode'], select(postgres.locks)), '{{mode}}'),
            query(sumBy(['datname'], increase(postgres.deadlocks, RATE_WINDOW)), '{{datname}} deadlocks'),
          ],
        }),
        timeSeriesPanel({
          title: 'PostgreSQL database size',
          description: 'Disk space used by each database.',
          unit: 'bytes',
          queries: [query(maxBy(['datname'], select(postgres.databaseSize)), ['datname'])],
        }),
        timeSeriesPanel({
          title: 'Database query time p95',
          description:
            '95th percentile of query time as the application measures it (5 minutes). SlowDatabaseQueries fires above the dashed line for 5 minutes.',
          unit: 'seconds',
          queries: [query(select(RECORDINGS.dbQueryLatencyP95), ['job'])],
          thresholds: THRESHOLDS.dbQueryLatencyP95,
        }),
      ]),
      section('Redis', [
        timeSeriesPanel({
          title: 'Redis memory',
          description: 'Memory Redis has allocated, and its maxmemory limit when one is set.',
          unit: 'bytes',
          queries: [
            query(select(redis.memoryUsed), 'used {{instance}}'),
            query(gt(select(redis.memoryMax), 0), 'maxmemory {{instance}}'),
          ],
        }),
        gaugePanel({
          title: 'Redis memory of maxmemory',
          description:
            'Memory used as a share of maxmemory (no value when unlimited). RedisHighMemoryUsage fires above the mark: Redis then evicts keys or refuses writes.',
          unit: 'ratio',
          queries: [query(select(RECORDINGS.redisMemoryUtilisation), ['instance'])],
          thresholds: THRESHOLDS.redisMemoryUsage,
        }),
        timeSeriesPanel({
          title: 'Redis clients',
          description: 'Client connections: the API, Celery workers and beat.',
          unit: 'count',
          queries: [query(select(redis.connectedClients), ['instance'])],
        }),
        timeSeriesPanel({
          title: 'Redis hit ratio',
          description:
            'Share of key lookups that found their key (5 minutes). A drop means cold caches or evicted keys.',
          unit: 'ratio',
          queries: [query(ratio(hits, add(hits, misses)), 'hits')],
        }),
        timeSeriesPanel({
          title: 'Redis evictions',
          description:
            'Keys evicted per second because of maxmemory (5-minute rate). Any eviction can drop Celery tasks.',
          unit: 'operationsPerSecond',
          queries: [query(rate(redis.evictedKeys, RATE_WINDOW), ['instance'])],
        }).bars(),
        timeSeriesPanel({
          title: 'Redis commands',
          description: 'Commands processed per second (5-minute rate).',
          unit: 'operationsPerSecond',
          queries: [query(rate(redis.commandsProcessed, RATE_WINDOW), ['instance'])],
        }),
      ]),
      section('Containers', [
        timeSeriesPanel({
          title: 'Container CPU',
          description: 'CPU used per container, in cores (1 = one full core; 5-minute rate).',
          unit: 'count',
          queries: [perContainerRate(cadvisor.cpuUsageSeconds, '{{name}}')],
        }),
        timeSeriesPanel({
          title: 'Container memory',
          description: 'Memory each container actively uses (working set), what its memory limit is compared with.',
          unit: 'bytes',
          queries: [query(sumBy(['name'], select(cadvisor.memoryWorkingSet, containers)), ['name'])],
        }),
        timeSeriesPanel({
          title: 'Container network',
          description: 'Bytes per second each container receives and sends (5-minute rate).',
          unit: 'bytesPerSecond',
          queries: [
            perContainerRate(cadvisor.networkReceiveBytes, '{{name}} received'),
            perContainerRate(cadvisor.networkTransmitBytes, '{{name}} sent'),
          ],
        }),
        timeSeriesPanel({
          title: 'Container disk I/O',
          description: 'Bytes per second each container reads from and writes to disk (5-minute rate).',
          unit: 'bytesPerSecond',
          queries: [
            perContainerRate(cadvisor.fsReadBytes, '{{name}} read'),
            perContainerRate(cadvisor.fsWriteBytes, '{{name}} written'),
          ],
        }),
        timeSeriesPanel({
          title: 'Container restarts',
          description:
            "Restarts by Docker's restart policy per container in the last 15 minutes (cAdvisor's restart count; a container without any is not listed). ContainerRestarting fires above the dashed line: the container is crash-looping.",
          unit: 'count',
          queries: [query(containerRestarts(windowOf(THRESHOLDS.containerRestarts), ['name']), ['name'])],
          thresholds: THRESHOLDS.containerRestarts,
        }).bars(),
      ]),
      section('Host', [
        timeSeriesPanel({
          title: 'Host CPU usage',
          description:
            'Share of CPU time not idle, over all cores (5-minute rate). HighCPUUsage and CriticalCPUUsage fire above the dashed lines.',
          unit: 'ratio',
          queries: [query(select(RECORDINGS.cpuUtilisation), ['instance'])],
          thresholds: THRESHOLDS.cpuUsage,
        }),
        timeSeriesPanel({
          title: 'Host memory usage',
          description:
            'Share of memory not available for new work. HighMemoryUsage and CriticalMemoryUsage fire above the dashed lines.',
          unit: 'ratio',
          queries: [query(select(RECORDINGS.memoryUtilisation), ['instance'])],
          thresholds: THRESHOLDS.memoryUsage,
        }),
        timeSeriesPanel({
          title: 'Host disk usage',
          description:
            'Share of each real filesystem in use (tmpfs and overlay excluded). HighDiskUsage and CriticalDiskUsage fire above the dashed lines.',
          unit: 'ratio',
          queries: [query(select(RECORDINGS.filesystemUtilisation), ['instance', 'mountpoint'])],
          thresholds: THRESHOLDS.diskUsage,
        }),
        timeSeriesPanel({
          title: 'Host network',
          description: 'Bytes per second received and sent per interface, loopback excluded (5-minute rate).',
          unit: 'bytesPerSecond',
          queries: [
            query(
              sumBy(['instance', 'device'], rate(select(node.networkReceiveBytes, realInterfaces), RATE_WINDOW)),
              '{{device}} received',
            ),
            query(
              sumBy(['instance', 'device'], rate(select(node.networkTransmitBytes, realInterfaces), RATE_WINDOW)),
              '{{device}} sent',
            ),
          ],
        }),
        timeSeriesPanel({
          title: 'Host load average',
          description:
            'Runnable and waiting processes averaged over 1, 5 and 15 minutes; above the number of cores, work queues up.',
          unit: 'count',
          queries: [
            query(select(node.load1), '{{instance}} 1m'),
            query(select(node.load5), '{{instance}} 5m'),
            query(select(node.load15), '{{instance}} 15m'),
          ],
        }),
      ]),
      section('Monitoring', monitoringPanels()),
    ],
  });
}

/** The monitoring watching itself: what Prometheus scrapes and evaluates, and what Alertmanager delivers. */
function monitoringPanels() {
  const notificationWindow = windowOf(THRESHOLDS.alertmanagerNotificationFailureRatio);
  return [
    barGaugePanel({
      title: 'Scrape targets up',
      description:
        'Share of the targets of each scrape job Prometheus scraped at its last try. Below 100% a target is down: TargetDown fires after 5 minutes, and the alerts built on its metrics are blind.',
      unit: 'ratio',
      queries: [query(avgBy(['job'], select(scrape.up)), ['job'])],
      thresholds: 'up',
    }),
    timeSeriesPanel({
      title: 'Service discovery refresh failures',
      description:
        "Failed refreshes of each service discovery in 5 minutes (Docker: the socket is unreadable, or the engine refuses Prometheus' API version). When half of them fail for 5 minutes ServiceDiscoveryFailing fires: the targets it found are gone.",
      unit: 'count',
      queries: [
        query(sumBy(['mechanism'], increase(prometheus.serviceDiscoveryRefreshFailures, Duration.minutes(5))), [
          'mechanism',
        ]),
      ],
    }).bars(),
    timeSeriesPanel({
      title: 'Rule evaluation failures',
      description:
        'Rule evaluations that failed per rule group in 5 minutes. Any fires PrometheusRuleEvaluationFailures after 5 minutes: alerts of that group may never fire.',
      unit: 'count',
      queries: [
        query(sumBy(['rule_group'], increase(prometheus.ruleEvaluationFailures, Duration.minutes(5))), ['rule_group']),
      ],
    }).bars(),
    statPanel({
      title: 'Configuration loaded',
      description:
        'Whether the last configuration reload of Prometheus and of Alertmanager succeeded (1) or failed (0: it runs the previous one, and would not start again). 0 for 10 minutes fires PrometheusConfigReloadFailed or AlertmanagerConfigReloadFailed.',
      unit: 'count',
      queries: [
        query(aggregateBy('min', [], select(prometheus.configReloadSuccessful)), 'Prometheus'),
        query(aggregateBy('min', [], select(alertmanager.configReloadSuccessful)), 'Alertmanager'),
      ],
      thresholds: 'up',
    }),
    timeSeriesPanel({
      title: 'Storage (TSDB) failures',
      description:
        "Failed compactions, head truncations and block reloads, and WAL corruptions of Prometheus' storage (5-minute increase). Any fires PrometheusTSDBFailures, which stays while the failure is within its window: disk fills up or data is lost.",
      unit: 'count',
      queries: [
        query(sum(increase(prometheus.tsdbCompactionsFailed, RATE_WINDOW)), 'compactions'),
        query(sum(increase(prometheus.tsdbHeadTruncationsFailed, RATE_WINDOW)), 'head truncations'),
        query(sum(increase(prometheus.tsdbReloadsFailed, RATE_WINDOW)), 'block reloads'),
        query(sum(increase(prometheus.tsdbWalCorruptions, RATE_WINDOW)), 'WAL corruptions'),
      ],
    }).bars(),
    timeSeriesPanel({
      title: 'Alertmanager notification failures',
      description:
        "Share of Alertmanager's notifications that failed, per integration (telegram: the messages; webhook: the Watchdog's heartbeat), over 15 minutes. AlertmanagerNotificationsFailing fires above the dashed line; for telegram it also stops the heartbeat, so the dead man's switch raises the alarm outside Telegram.",
      unit: 'ratio',
      queries: [
        query(
          ratio(
            sumBy(['integration'], rate(alertmanager.notificationsFailed, notificationWindow)),
            sumBy(['integration'], rate(alertmanager.notifications, notificationWindow)),
          ),
          ['integration'],
        ),
      ],
      thresholds: THRESHOLDS.alertmanagerNotificationFailureRatio,
    }),
  ];
}
