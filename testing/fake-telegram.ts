/**
 * A fake Telegram Bot API on loopback, for tests and the e2e harness: Alertmanager's
 * `telegram_configs.api_url` points here. It records every `sendMessage`, checks HTML messages the
 * way Telegram does (refusing a broken one with 400, as Telegram would) and can be told to fail
 * ("answer 500 twice, then 200"), or to refuse every message with one of the Bot API's own error
 * answers until told otherwise (`refuse(BOT_API_ERRORS.groupMigrated(...))`: the chat became a
 * supergroup). Any other POST (a Watchdog heartbeat, say) is recorded as is.
 */
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { waitFor } from './processes';

/** Telegram's limit on a message's text, after entities are parsed. */
export const TELEGRAM_MAX_MESSAGE_LENGTH = 4096;

export interface SentMessage {
  token: string;
  chatId: string;
  /**
   * `message_thread_id`: the forum topic of a supergroup the message goes to (an Integer in the
   * Bot API; Alertmanager's client sends it as a decimal string); undefined when not given (the
   * General topic, or a chat without topics).
   */
  messageThreadId?: number;
  text: string;
  parseMode?: string;
  disableNotification: boolean;
  /** HTTP status the fake answered: 200 when delivered. */
  status: number;
  /** Why Telegram would refuse the message (bad HTML, too long); empty when it is accepted. */
  problems: string[];
  receivedAt: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: string;
  receivedAt: number;
}

/** A scripted failure: the next matching `sendMessage` gets `status` instead of success. */
interface ScriptedFailure {
  status: number;
  when: (message: SentMessage) => boolean;
}

/**
 * An error answer of the Bot API, field for field as Telegram sends it
 * (https://core.telegram.org/bots/api#making-requests): the HTTP status is `error_code`, and
 * `parameters` (a ResponseParameters object) says how to recover when it can.
 */
export interface BotApiError {
  error_code: number;
  description: string;
  parameters?: { migrate_to_chat_id?: number; retry_after?: number };
}

/** The answers Telegram gives `sendMessage` when the bot, its token or its chat is no longer right. */
export const BOT_API_ERRORS = {
  /** The group became a supergroup: it has a new id, and the old one is refused for good. */
  groupMigrated: (newChatId: number): BotApiError => ({
    error_code: 400,
    description: 'Bad Request: group chat was upgraded to a supergroup chat',
    parameters: { migrate_to_chat_id: newChatId },
  }),
  /** Someone removed the bot from the group. */
  botKicked: { error_code: 403, description: 'Forbidden: bot was kicked from the group chat' },
  /** The token was revoked or regenerated in @BotFather, or is wrong. */
  unauthorized: { error_code: 401, description: 'Unauthorized' },
  /** A wrong chat id, or a chat the bot was never added to. */
  chatNotFound: { error_code: 400, description: 'Bad Request: chat not found' },
} satisfies Record<string, BotApiError | ((newChatId: number) => BotApiError)>;

/** A lasting refusal: every matching `sendMessage` gets `error` until `stopRefusing()`. */
interface Refusal {
  error: BotApiError;
  when: (message: SentMessage) => boolean;
}

export class FakeTelegram {
  /** Every sendMessage attempt, in order, including the refused ones. */
  readonly attempts: SentMessage[] = [];
  /** Requests to any other path (e.g. a heartbeat URL pointed here). */
  readonly otherRequests: RecordedRequest[] = [];
  private readonly failures: ScriptedFailure[] = [];
  private refusal?: Refusal;
  private messageId = 0;

  private constructor(private readonly server: Server) {}

  /** Listens on `host`:`port` (0: any free port; `0.0.0.0` in a container, reached by its name). */
  static async start(port = 0, host = '127.0.0.1'): Promise<FakeTelegram> {
    const server = createServer();
    const fake = new FakeTelegram(server);
    server.on('request', (request, response) => void fake.handle(request, response));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    return fake;
  }

  /** What to put in `api_url`. */
  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Messages Telegram would have shown (answered 200). */
  get delivered(): SentMessage[] {
    return this.attempts.filter((message) => message.status === 200);
  }

  /** The next sendMessage calls matching `when` are answered with these statuses, in order. */
  failNext(statuses: number[], when: (message: SentMessage) => boolean = () => true): void {
    this.failures.push(...statuses.map((status) => ({ status, when })));
  }

  /**
   * From now on every sendMessage matching `when` is answered with `error`, as Telegram answers
   * it, until `stopRefusing()` (a lasting fault, unlike `failNext`).
   */
  refuse(error: BotApiError, when: (message: SentMessage) => boolean = () => true): void {
    this.refusal = { error, when };
  }

  /** Telegram accepts messages again. */
  stopRefusing(): void {
    this.refusal = undefined;
  }

  /** Waits until `count` delivered messages match `predicate`; returns them. */
  async waitForDelivered(
    what: string,
    predicate: (message: SentMessage) => boolean,
    count = 1,
    timeoutMs = 15_000,
  ): Promise<SentMessage[]> {
    return waitFor(
      `${count} Telegram message(s): ${what}`,
      async () => {
        const found = this.delivered.filter(predicate);
        return found.length >= count ? found : undefined;
      },
      timeoutMs,
      50,
    );
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const match = /^\/bot([^/]+)\/sendMessage$/.exec(request.url ?? '');
    if (!match) {
      this.otherRequests.push({ method: request.method ?? '', path: request.url ?? '', body, receivedAt: Date.now() });
      return reply(response, 200, { ok: true });
    }
    const params = parseParams(body, request.headers['content-type']);
    const message: SentMessage = {
      token: match[1],
      chatId: String(params.chat_id ?? ''),
      messageThreadId: params.message_thread_id === undefined ? undefined : Number(params.message_thread_id),
      text: String(params.text ?? ''),
      parseMode: params.parse_mode === undefined ? undefined : String(params.parse_mode),
      disableNotification: String(params.disable_notification) === 'true',
      status: 200,
      problems: [],
      receivedAt: Date.now(),
    };
    message.problems =
      message.parseMode === 'HTML'
        ? telegramHtmlProblems(message.text)
        : message.text.length > TELEGRAM_MAX_MESSAGE_LENGTH
          ? ['message is too long']
          : [];
    this.attempts.push(message);

    if (this.refusal?.when(message)) {
      const { error } = this.refusal;
      message.status = error.error_code;
      return reply(response, error.error_code, { ok: false, ...error });
    }
    const failure = this.failures.findIndex((f) => f.when(message));
    if (failure >= 0) {
      message.status = this.failures.splice(failure, 1)[0].status;
      return reply(response, message.status, {
        ok: false,
        error_code: message.status,
        description: 'Internal Server Error',
      });
    }
    if (message.problems.length > 0) {
      message.status = 400;
      return reply(response, 400, {
        ok: false,
        error_code: 400,
        description: `Bad Request: can't parse entities: ${message.problems[0]}`,
      });
    }
    this.messageId += 1;
    // A Message as the Bot API returns it: in a forum topic, from a supergroup with topics, marked as a topic message.
    const topic = message.messageThreadId;
    reply(response, 200, {
      ok: true,
      result: {
        message_id: this.messageId,
        date: Math.floor(message.receivedAt / 1000),
        chat:
          topic === undefined
            ? { id: Number(message.chatId), type: 'group' }
            : { id: Number(message.chatId), type: 'supergroup', is_forum: true },
        ...(topic === undefined ? {} : { message_thread_id: topic, is_topic_message: true }),
        text: message.text,
      },
    });
  }
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

/** Alertmanager's client sends JSON (all values as strings); Telegram also takes form posts. */
function parseParams(body: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json')) return JSON.parse(body) as Record<string, unknown>;
  return Object.fromEntries(new URLSearchParams(body));
}

/**
 * Telegram's HTML parse mode (https://core.telegram.org/bots/api#html-style): these tags, with
 * these attributes; every `<`, `>` and `&` outside tags written as an entity.
 */
const ALLOWED_TAGS: Record<string, RegExp | undefined> = {
  b: undefined,
  strong: undefined,
  i: undefined,
  em: undefined,
  u: undefined,
  ins: undefined,
  s: undefined,
  strike: undefined,
  del: undefined,
  'tg-spoiler': undefined,
  span: /^class="tg-spoiler"$/,
  a: /^href="[^"<>]+"$/,
  'tg-emoji': /^emoji-id="\d+"$/,
  code: /^(class="language-[\w+-]+")?$/,
  pre: undefined,
  blockquote: /^(expandable)?$/,
};
/** Tags whose content Telegram shows verbatim: no other tag inside (but `<code>` in `<pre>`). */
const VERBATIM = new Set(['code', 'pre']);
const ENTITY = /^&(lt|gt|amp|quot|#\d{1,7}|#x[0-9a-fA-F]{1,6});/;
const TAG = /^<(\/?)([a-z-]+)((?:\s+[a-z-]+(?:="[^"]*")?)*)\s*>/;

/** Why Telegram would refuse `html` in HTML parse mode; empty when it would accept it. */
export function telegramHtmlProblems(html: string): string[] {
  const problems: string[] = [];
  const open: string[] = [];
  let visible = '';
  for (let i = 0; i < html.length;) {
    const rest = html.slice(i);
    const char = html[i];
    if (char === '<') {
      const tag = TAG.exec(rest);
      if (!tag) {
        problems.push(`unescaped "<" at ${i}: ${JSON.stringify(rest.slice(0, 20))}`);
        i += 1;
        continue;
      }
      const [whole, closing, name, attributes] = tag;
      if (!(name in ALLOWED_TAGS)) problems.push(`tag <${name}> is not supported`);
      else if (closing) {
        if (open[open.length - 1] !== name)
          problems.push(`</${name}> at ${i} closes ${open[open.length - 1] ?? 'nothing'}`);
        else open.pop();
      } else {
        const allowed = ALLOWED_TAGS[name];
        const given = attributes.trim();
        if (given !== '' && !allowed?.test(given)) problems.push(`<${name}> has attributes ${JSON.stringify(given)}`);
        if (name === 'a' && !given) problems.push('<a> without href');
        const parent = open[open.length - 1];
        if (parent && VERBATIM.has(parent) && !(parent === 'pre' && name === 'code'))
          problems.push(`<${name}> inside <${parent}>`);
        open.push(name);
      }
      i += whole.length;
    } else if (char === '&') {
      const entity = ENTITY.exec(rest);
      if (!entity) problems.push(`unescaped "&" at ${i}: ${JSON.stringify(rest.slice(0, 12))}`);
      visible += entity ? 'x' : char;
      i += entity ? entity[0].length : 1;
    } else {
      if (char === '>') problems.push(`unescaped ">" at ${i}`);
      visible += char;
      i += 1;
    }
  }
  if (open.length > 0) problems.push(`unclosed ${open.map((name) => `<${name}>`).join(', ')}`);
  if (visible.length > TELEGRAM_MAX_MESSAGE_LENGTH)
    problems.push(`${visible.length} characters after parsing, more than ${TELEGRAM_MAX_MESSAGE_LENGTH}`);
  return problems;
}
