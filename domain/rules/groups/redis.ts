/** Redis' rules, through redis-exporter: Redis down, near its maxmemory, evicting keys (it is also the Celery broker). */
import { Duration } from '../../../core/duration';
import { JOB } from '../../../core/components';
import { METRICS } from '../../metrics';
import { RECORDINGS } from '../../metrics/recordings';
import { THRESHOLDS, formatLevel, windowOf } from '../../metrics/thresholds';
import { gt, increase, select } from '../../metrics/promql';
import { BACKEND_RECOVERY, backendDown, level } from '../conditions';
import { $label, $labelOr, $value, alert, ruleGroup, t } from '../model';

const { redis } = METRICS;

const RedisDown = alert({
  name: 'RedisDown',
  expr: backendDown(METRICS.redis.up, JOB.redisExporter),
  for: Duration.minutes(1),
  keepFiringFor: BACKEND_RECOVERY,
  severity: 'critical',
  panel: { dashboard: 'overview', title: 'Redis' },
  summary: t`Redis is unreachable (seen by ${$labelOr('instance', 'no redis-exporter target')})`,
  // What it holds back first: a message shows the description's first 200 characters.
  description: t`Celery lost its broker: workers get no task; syncs and Sheets exports stop. CeleryWorkerDown and the sync alerts are held back while it fires. redis_up is 0, or job ${$label('job')} cannot be scraped.`,
});

const RedisHighMemoryUsage = alert({
  name: 'RedisHighMemoryUsage',
  expr: gt(select(RECORDINGS.redisMemoryUtilisation), level(THRESHOLDS.redisMemoryUsage, 'warning')),
  for: Duration.minutes(5),
  severity: 'warning',
  panel: { dashboard: 'infrastructure', title: 'Redis memory of maxmemory' },
  summary: t`Redis ${$label('instance')} uses ${$value('percent')} of its maxmemory`,
  description: t`Redis memory on ${$label('instance')} has been above ${formatLevel(THRESHOLDS.redisMemoryUsage, 'warning')} of maxmemory for 5 minutes. At the limit Redis evicts keys or refuses writes, and Celery loses or rejects tasks.`,
});

const RedisEvictingKeys = alert({
  name: 'RedisEvictingKeys',
  expr: gt(
    increase(redis.evictedKeys, windowOf(THRESHOLDS.redisEvictions)),
    level(THRESHOLDS.redisEvictions, 'warning'),
  ),
  for: Duration.seconds(0),
  severity: 'warning',
  panel: { dashboard: 'infrastructure', title: 'Redis evictions' },
  summary: t`Redis ${$label('instance')} evicted ${$value('number')} keys in 5 minutes`,
  description: t`Redis is at its maxmemory and evicts keys to make room. It is also the Celery broker: an evicted key can be a whole queue of waiting tasks, lost without any error.`,
});

export const REDIS = ruleGroup('redis', [RECORDINGS.redisMemoryUtilisation], {
  RedisDown,
  RedisHighMemoryUsage,
  RedisEvictingKeys,
});
