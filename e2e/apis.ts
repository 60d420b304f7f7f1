/** The parts of Prometheus' and Alertmanager's HTTP APIs the harness reads. */

export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface RuleStatus {
  name: string;
  type: 'alerting' | 'recording';
  health: 'ok' | 'err' | 'unknown';
  lastError?: string;
  state?: 'inactive' | 'pending' | 'firing';
}

export interface RuleGroupStatus {
  name: string;
  file: string;
  rules: RuleStatus[];
}

export interface PrometheusAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: 'pending' | 'firing';
  /** When the condition first held (the alert went pending), RFC 3339. */
  activeAt: string;
}

export interface ScrapeTarget {
  labels: Record<string, string>;
  health: 'up' | 'down' | 'unknown';
  lastError: string;
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
  const body = (await response.json()) as { status?: string; error?: string; data?: T } & T;
  if (body.status === 'error') throw new Error(body.error ?? `${url} answered an error`);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (body.data ?? body) as T;
}

export class PrometheusApi {
  constructor(readonly url: string) {}

  /** An instant query; throws with Prometheus' message when the expression fails. */
  async query(expr: string): Promise<Sample[]> {
    const data = await getJson<{ result: Sample[] }>(`${this.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
    return data.result;
  }

  /** The single value of `expr`, or undefined when it returns nothing. */
  async value(expr: string): Promise<number | undefined> {
    const [sample] = await this.query(expr);
    return sample ? Number(sample.value[1]) : undefined;
  }

  async ruleGroups(): Promise<RuleGroupStatus[]> {
    return (await getJson<{ groups: RuleGroupStatus[] }>(`${this.url}/api/v1/rules`)).groups;
  }

  async alerts(): Promise<PrometheusAlert[]> {
    return (await getJson<{ alerts: PrometheusAlert[] }>(`${this.url}/api/v1/alerts`)).alerts;
  }

  async firing(alertname: string): Promise<PrometheusAlert[]> {
    return (await this.alerts()).filter((alert) => alert.labels.alertname === alertname && alert.state === 'firing');
  }

  async targets(): Promise<ScrapeTarget[]> {
    return (await getJson<{ activeTargets: ScrapeTarget[] }>(`${this.url}/api/v1/targets?state=active`)).activeTargets;
  }
}

export interface AlertmanagerAlert {
  labels: Record<string, string>;
  status: { state: 'active' | 'suppressed' | 'unprocessed'; inhibitedBy: string[]; silencedBy: string[] };
}

export class AlertmanagerApi {
  constructor(readonly url: string) {}

  async alerts(): Promise<AlertmanagerAlert[]> {
    return getJson<AlertmanagerAlert[]>(`${this.url}/api/v2/alerts`);
  }
}
