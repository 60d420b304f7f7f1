/**
 * HTTP for the checks: every request has a time limit, and a failure becomes one readable line
 * ("connection refused", "no answer within 5000 ms", "answered 503: ...") that never carries the
 * credentials (they travel in a header, never in the URL).
 */

export interface BasicAuth {
  user: string;
  password: string;
}

export interface HttpAnswer {
  status: number;
  body: string;
}

export class HttpClient {
  constructor(readonly timeoutMs: number) {}

  async request(
    method: 'GET' | 'POST' | 'DELETE',
    url: string,
    options: { auth?: BasicAuth; json?: unknown } = {},
  ): Promise<HttpAnswer> {
    const headers: Record<string, string> = {};
    if (options.auth)
      headers.authorization = `Basic ${Buffer.from(`${options.auth.user}:${options.auth.password}`).toString('base64')}`;
    if (options.json !== undefined) headers['content-type'] = 'application/json';
    try {
      const response = await fetch(url, {
        method,
        headers,
        body: options.json === undefined ? undefined : JSON.stringify(options.json),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      return { status: response.status, body: await response.text() };
    } catch (error) {
      throw new Error(`${method} ${withoutQuery(url)}: ${this.reason(error)}`, { cause: error });
    }
  }

  async get(url: string, auth?: BasicAuth): Promise<HttpAnswer> {
    return this.request('GET', url, { auth });
  }

  /** GET that must answer 2xx with JSON. */
  async getJson<T>(url: string, auth?: BasicAuth): Promise<T> {
    return parseJson<T>('GET', url, expectOk('GET', url, await this.get(url, auth)));
  }

  /** POST of a JSON body that must answer 2xx. */
  async postJson(url: string, body: unknown): Promise<HttpAnswer> {
    return expectOk('POST', url, await this.request('POST', url, { json: body }));
  }

  /** POST of a JSON body that must answer 2xx with JSON. */
  async postJsonForJson<T>(url: string, body: unknown): Promise<T> {
    return parseJson<T>('POST', url, await this.postJson(url, body));
  }

  /** DELETE that must answer 2xx. */
  async delete(url: string): Promise<HttpAnswer> {
    return expectOk('DELETE', url, await this.request('DELETE', url));
  }

  private reason(error: unknown): string {
    // fetch's errors may come from another realm (test runners): judged by shape, not instanceof.
    const { name, message, cause } = (error ?? {}) as {
      name?: string;
      message?: string;
      cause?: { code?: string; hostname?: string; message?: string };
    };
    if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${this.timeoutMs} ms`;
    switch (cause?.code) {
      case 'ECONNREFUSED':
        return 'connection refused (is it running, on this port?)';
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return `host not found from here (${cause.hostname ?? 'unknown host'})`;
      case 'ECONNRESET':
        return 'connection reset';
      default:
        return cause?.message ?? message ?? String(error);
    }
  }
}

/** The first line of a body, short, for error details. */
export function excerpt(body: string, limit = 120): string {
  const line = body.trim().split('\n')[0] ?? '';
  return line.length > limit ? `${line.slice(0, limit)}…` : line;
}

function expectOk(method: string, url: string, answer: HttpAnswer): HttpAnswer {
  if (answer.status < 200 || answer.status > 299)
    throw new Error(`${method} ${withoutQuery(url)} answered ${answer.status}: ${excerpt(answer.body)}`);
  return answer;
}

function parseJson<T>(method: string, url: string, answer: HttpAnswer): T {
  try {
    return JSON.parse(answer.body) as T;
  } catch {
    throw new Error(`${method} ${withoutQuery(url)} did not answer JSON: ${excerpt(answer.body)}`);
  }
}

/** A URL as error messages show it: long PromQL queries stay out of the table. */
function withoutQuery(url: string): string {
  return url.split('?')[0];
}
