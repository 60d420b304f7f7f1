/**
 * Alertmanager's v2 API (https://github.com/prometheus/alertmanager/blob/main/api/v2/openapi.yaml),
 * the parts the check CLI and the e2e harness read, the test alert it posts, and the silences the
 * silence and maintenance CLIs create, list and expire.
 */
import { HttpClient } from './http';

/** What `/api/v2/status` says. */
export interface AlertmanagerStatus {
  cluster: { status: string };
  /** The loaded configuration as YAML (secrets shown as `<secret>`). */
  config: { original: string };
  /** RFC 3339. */
  uptime: string;
  versionInfo?: { version?: string };
}

/** A silence matcher; `isEqual: false` is a negative matcher. */
export interface SilenceMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual?: boolean;
}

/** A matcher as Alertmanager writes it: `instance="api:8000"`, `alertname=~"A|B"`, `alertname!="Watchdog"`, `job!~"x.*"`. */
export function matcherText(m: SilenceMatcher): string {
  const negative = m.isEqual === false;
  const operator = m.isRegex ? (negative ? '!~' : '=~') : negative ? '!=' : '=';
  return `${m.name}${operator}${JSON.stringify(m.value)}`;
}

/** A silence as a client posts it; times are RFC 3339. Alertmanager needs a comment and an author. */
export interface PostableSilence {
  /** At least one must not match the empty string (Alertmanager refuses the silence otherwise). */
  matchers: SilenceMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

/** A silence Alertmanager holds: `pending` until it starts, `expired` once it ended or was expired. */
export interface Silence extends PostableSilence {
  id: string;
  status: { state: 'active' | 'pending' | 'expired' };
}

/** An alert Alertmanager holds: `suppressed` when silenced or inhibited (by the listed ids). */
export interface AlertmanagerAlert {
  labels: Record<string, string>;
  status: { state: 'active' | 'suppressed' | 'unprocessed'; inhibitedBy: string[]; silencedBy: string[] };
  receivers: { name: string }[];
}

/** An alert as a client posts it (what Prometheus sends). Times are RFC 3339. */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
}

/** An Alertmanager API client over one base URL (`http://host:9093`, no trailing slash). */
export class AlertmanagerApi {
  /**
   * @param baseUrl where Alertmanager answers, without a trailing slash
   * @param http the transport; @default an {@link HttpClient} with a 5 s time limit
   */
  constructor(
    readonly baseUrl: string,
    private readonly http: HttpClient = new HttpClient(5_000),
  ) {}

  async status(): Promise<AlertmanagerStatus> {
    return this.http.getJson<AlertmanagerStatus>(`${this.baseUrl}/api/v2/status`);
  }

  /** Names of the configured receivers. */
  async receivers(): Promise<string[]> {
    return (await this.http.getJson<{ name: string }[]>(`${this.baseUrl}/api/v2/receivers`)).map(
      (receiver) => receiver.name,
    );
  }

  async silences(): Promise<Silence[]> {
    return this.http.getJson<Silence[]>(`${this.baseUrl}/api/v2/silences`);
  }

  /**
   * Alerts held, active and suppressed alike.
   * @param filter label matchers such as `test_id="1"`; @default every alert
   */
  async alerts(filter?: string): Promise<AlertmanagerAlert[]> {
    const query = filter === undefined ? '' : `?filter=${encodeURIComponent(filter)}`;
    return this.http.getJson<AlertmanagerAlert[]>(`${this.baseUrl}/api/v2/alerts${query}`);
  }

  /** Creates a silence; returns its id. Throws with Alertmanager's reason when it refuses it (400). */
  async createSilence(silence: PostableSilence): Promise<string> {
    const answer = await this.http.postJsonForJson<{ silenceID: string }>(`${this.baseUrl}/api/v2/silences`, silence);
    return answer.silenceID;
  }

  /**
   * Expires a silence now (an expired one stays expired). Throws when Alertmanager has no silence of
   * that id (it answers 500 "not found") or the id is not a UUID (422).
   */
  async expireSilence(id: string): Promise<void> {
    await this.http.delete(`${this.baseUrl}/api/v2/silence/${encodeURIComponent(id)}`);
  }

  /** Posts alerts as Prometheus does; throws unless Alertmanager answers 2xx. */
  async post(alerts: readonly PostableAlert[]): Promise<void> {
    await this.http.postJson(`${this.baseUrl}/api/v2/alerts`, alerts);
  }
}
