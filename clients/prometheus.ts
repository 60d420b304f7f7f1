/**
 * Prometheus' HTTP API (https://prometheus.io/docs/prometheus/latest/querying/api/), the parts the
 * check CLI, the e2e harness and the loopback stack read. One client over one base URL; every
 * request has the time limit of its {@link HttpClient}.
 */
import { HttpClient, excerpt } from './http';

/** One sample of an instant vector: its labels and `[unix seconds, value as text]`. */
export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

/** One series of a range query's matrix: its labels and `[unix seconds, value as text]` per step it exists at. */
export interface RangeSeries {
  metric: Record<string, string>;
  values: [number, string][];
}

/** A rule as `/api/v1/rules` reports it. */
export interface RuleStatus {
  name: string;
  type: 'alerting' | 'recording';
  health: 'ok' | 'err' | 'unknown';
  lastError?: string;
  state?: 'inactive' | 'pending' | 'firing';
  /** An alerting rule's `for`, seconds. */
  duration?: number;
}

/** A rule group as `/api/v1/rules` reports it. */
export interface RuleGroupStatus {
  name: string;
  file: string;
  rules: RuleStatus[];
}

/** An alert of `/api/v1/alerts`: pending or firing. */
export interface PrometheusAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  /** When the condition first held (the alert went pending), RFC 3339. */
  activeAt: string;
}

/** An active target of `/api/v1/targets`. */
export interface ScrapeTarget {
  /** The scrape job the target belongs to. */
  scrapePool: string;
  labels: Record<string, string>;
  /** The labels before relabelling, `__meta_*` of its discovery included. */
  discoveredLabels: Record<string, string>;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
  /** The URL Prometheus scrapes, e.g. `http://api:8000/metrics`. */
  scrapeUrl: string;
}

/** What `/api/v1/status/runtimeinfo` says of the loaded configuration. */
export interface RuntimeInfo {
  reloadConfigSuccess: boolean;
  /** RFC 3339. */
  lastConfigTime: string;
  /** As Prometheus prints it, e.g. `15d`. */
  storageRetention: string;
}

interface ApiAnswer<T> {
  status: 'success' | 'error';
  data: T;
  error?: string;
}

/** A Prometheus API client over one base URL (`http://host:9090`, no trailing slash). */
export class PrometheusApi {
  /**
   * @param baseUrl where Prometheus answers, without a trailing slash
   * @param http the transport; @default an {@link HttpClient} with a 5 s time limit
   */
  constructor(
    readonly baseUrl: string,
    private readonly http: HttpClient = new HttpClient(5_000),
  ) {}

  /**
   * The `data` of an API answer at `path` (`/api/v1/...`). Throws with Prometheus' own message when
   * it answers `status: error` (a bad expression is a 400 with one), else with the HTTP status.
   */
  async data<T>(path: string, method: 'GET' | 'POST' = 'GET'): Promise<T> {
    const answer = await this.http.request(method, `${this.baseUrl}${path}`);
    let parsed: ApiAnswer<T> | undefined;
    try {
      parsed = JSON.parse(answer.body) as ApiAnswer<T>;
    } catch {
      parsed = undefined;
    }
    const endpoint = path.split('?')[0];
    if (parsed?.status === 'error') throw new Error(`${endpoint}: ${parsed.error ?? 'error without a message'}`);
    if (answer.status < 200 || answer.status > 299 || parsed === undefined) {
      throw new Error(`${method} ${endpoint} answered ${answer.status}: ${excerpt(answer.body)}`);
    }
    return parsed.data;
  }

  /**
   * An instant query; the samples of its vector result (none for a scalar or string).
   * @param at evaluation time, ms since the epoch; @default now
   */
  async query(expr: string, at?: number): Promise<Sample[]> {
    const time = at === undefined ? '' : `&time=${at / 1000}`;
    const result = await this.data<{ resultType: string; result: Sample[] }>(
      `/api/v1/query?query=${encodeURIComponent(expr)}${time}`,
    );
    return result.resultType === 'vector' ? result.result : [];
  }

  /**
   * A range query (`/api/v1/query_range`): `expr` evaluated at `start`, `start + step`, ... up to
   * `end` (ms since the epoch, `step` in ms), as Prometheus evaluates a rule at each of those
   * instants. Each series of the matrix carries only the steps where the expression returned it.
   * Prometheus refuses more than 11,000 steps per query (web/api/v1/api.go): callers chunk.
   */
  async queryRange(expr: string, start: number, end: number, step: number): Promise<RangeSeries[]> {
    const result = await this.data<{ resultType: string; result: RangeSeries[] }>(
      `/api/v1/query_range?query=${encodeURIComponent(expr)}&start=${start / 1000}&end=${end / 1000}&step=${step / 1000}`,
    );
    return result.resultType === 'matrix' ? result.result : [];
  }

  /** The value of the first sample of `expr`, or undefined when it returns nothing. */
  async value(expr: string): Promise<number | undefined> {
    const [sample] = await this.query(expr);
    return sample ? Number(sample.value[1]) : undefined;
  }

  /**
   * Takes a snapshot of the TSDB, the head's samples included (the admin API: Prometheus runs with
   * `--web.enable-admin-api`, else this throws with its "admin APIs disabled"). Returns the
   * snapshot's directory name under `<storage.tsdb.path>/snapshots/`; its content is a data
   * directory Prometheus starts from.
   */
  async snapshot(): Promise<string> {
    return (await this.data<{ name: string }>('/api/v1/admin/tsdb/snapshot', 'POST')).name;
  }

  async ruleGroups(): Promise<RuleGroupStatus[]> {
    return (await this.data<{ groups: RuleGroupStatus[] }>('/api/v1/rules')).groups;
  }

  /** Pending and firing alerts. */
  async alerts(): Promise<PrometheusAlert[]> {
    return (await this.data<{ alerts: PrometheusAlert[] }>('/api/v1/alerts')).alerts;
  }

  /** The firing alerts named `alertname`. */
  async firing(alertname: string): Promise<PrometheusAlert[]> {
    return (await this.alerts()).filter((alert) => alert.labels.alertname === alertname && alert.state === 'firing');
  }

  /** Active targets of every job. */
  async targets(): Promise<ScrapeTarget[]> {
    return (await this.data<{ activeTargets: ScrapeTarget[] }>('/api/v1/targets?state=active')).activeTargets;
  }

  async runtimeInfo(): Promise<RuntimeInfo> {
    return this.data<RuntimeInfo>('/api/v1/status/runtimeinfo');
  }

  /** URLs of the Alertmanagers Prometheus sends to. */
  async alertmanagers(): Promise<string[]> {
    return (
      await this.data<{ activeAlertmanagers: { url: string }[] }>('/api/v1/alertmanagers')
    ).activeAlertmanagers.map((am) => am.url);
  }
}
