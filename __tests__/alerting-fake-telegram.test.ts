/**
 * The fake Bot API judges messages as Telegram does; these cases keep that judgement honest, so a
 * passing end-to-end test means Telegram would have shown the message.
 */
import { BOT_API_ERRORS, FakeTelegram, telegramHtmlProblems } from '../testing/fake-telegram';

describe('Telegram HTML check', () => {
  test('accepts what Telegram accepts', () => {
    const message =
      '🔴 <b>FIRING</b> · <code>a &lt;b&gt; &amp; &quot;c&quot; &#34;</code>\n<a href="https://x.org/?a=1">Runbook</a> <i>it <u>is</u></i> "quoted"';
    expect(telegramHtmlProblems(message)).toEqual([]);
  });

  test.each([
    ['a message cut inside a tag', '<b>FIRING</b> <a href="https://x.org/aaa…', /unescaped "<"/],
    ['an unclosed tag', '<b>FIRING', /unclosed <b>/],
    ['tags closed out of order', '<b><i>x</b></i>', /<\/b> at \d+ closes i/],
    ['a tag Telegram does not know', '<div>x</div>', /<div> is not supported/],
    ['a link without a target', '<a>x</a>', /<a> without href/],
    ['a bare ampersand', 'R&D', /unescaped "&"/],
    ['a bare > (the Bot API documentation asks for &gt;)', 'CPU > 80%', /unescaped ">"/],
    ['a tag inside <code>', '<code><b>x</b></code>', /<b> inside <code>/],
    ['more than 4096 characters after parsing', '&amp;'.repeat(4097), /4097 characters after parsing/],
  ])('refuses %s', (_, message, problem) => {
    expect(telegramHtmlProblems(message).join('\n')).toMatch(problem);
  });
});

describe('fake Bot API', () => {
  let telegram: FakeTelegram;
  beforeAll(async () => {
    telegram = await FakeTelegram.start();
  });
  afterAll(() => telegram.stop());

  const send = (text: string) =>
    fetch(`${telegram.url}/bot1:x/sendMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ chat_id: '-5', text, parse_mode: 'HTML' }),
    });

  test('answers like Telegram: scripted failures first, 400 for broken HTML, then the message', async () => {
    telegram.failNext([500], (m) => m.text === 'ok');
    expect((await send('ok')).status).toBe(500);
    const refused = await send('<b>cut');
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      ok: false,
      description: expect.stringContaining("can't parse entities"),
    });
    const accepted = await send('ok');
    expect(await accepted.json()).toMatchObject({ ok: true, result: { message_id: 1, chat: { id: -5 } } });
    expect(telegram.attempts.map((m) => m.status)).toEqual([500, 400, 200]);
    expect(telegram.delivered.map((m) => [m.token, m.chatId, m.text])).toEqual([['1:x', '-5', 'ok']]);
  });

  test('records the forum topic (message_thread_id, as a string like Alertmanager sends it or a number) and answers with a topic message', async () => {
    const post = (params: Record<string, unknown>) =>
      fetch(`${telegram.url}/bot1:x/sendMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ chat_id: '-1005', text: 'topic', ...params }),
      });
    const inTopic = await (await post({ message_thread_id: '7' })).json();
    expect(inTopic).toMatchObject({
      ok: true,
      result: { chat: { id: -1005, type: 'supergroup', is_forum: true }, message_thread_id: 7, is_topic_message: true },
    });
    await post({ message_thread_id: 8 });
    const general = (await (await post({})).json()) as { result: object };
    expect(general.result).not.toHaveProperty('message_thread_id');
    expect(telegram.delivered.filter((m) => m.text === 'topic').map((m) => m.messageThreadId)).toEqual([
      7,
      8,
      undefined,
    ]);
  });

  test("refuses every message with Telegram's own answer until told to stop: a group upgraded to a supergroup", async () => {
    telegram.refuse(BOT_API_ERRORS.groupMigrated(-1001234567890));
    for (const text of ['first', 'second']) {
      const refused = await send(text);
      expect(refused.status).toBe(400);
      // Byte for byte what the Bot API answers (the new id is a JSON number).
      expect(await refused.text()).toBe(
        '{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1001234567890}}',
      );
    }
    telegram.stopRefusing();
    expect((await send('third')).status).toBe(200);
    expect(telegram.attempts.slice(-3).map((m) => [m.text, m.status])).toEqual([
      ['first', 400],
      ['second', 400],
      ['third', 200],
    ]);
  });

  test.each([
    [
      'the bot was removed from the group',
      BOT_API_ERRORS.botKicked,
      403,
      'Forbidden: bot was kicked from the group chat',
    ],
    ['the token was revoked', BOT_API_ERRORS.unauthorized, 401, 'Unauthorized'],
    ['the chat id is wrong', BOT_API_ERRORS.chatNotFound, 400, 'Bad Request: chat not found'],
  ])('answers as Telegram does when %s', async (_, error, status, description) => {
    telegram.refuse(error);
    try {
      const refused = await send('x');
      expect(refused.status).toBe(status);
      expect(await refused.json()).toEqual({ ok: false, error_code: status, description });
    } finally {
      telegram.stopRefusing();
    }
  });
});
