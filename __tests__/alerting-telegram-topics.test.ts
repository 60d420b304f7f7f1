/**
 * Telegram forum topics: one supergroup, a topic per severity (`message_thread_id`), the
 * alternative to separate chats. Refused at synth unless the Alertmanager image is 0.28 or later
 * (Debian's amtool 0.25 refuses the field, shown below); proven on each program set of the matrix
 * whose Alertmanager is 0.28 or later (the current set: Debian sid's) against the fake Bot API.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { ALERTMANAGER_CONFIG_FILE, renderAlertmanagerFiles, telegramReceiver } from '../domain/alerting';
import { AlertmanagerConfigFile } from '../domain/alerting/model';
import { ConfigError } from '../config/errors';
import { uncheckedImages } from '../config/image-requirements';
import { loadMonitoringConfig } from '../config/load';
import { TELEGRAM_TOPICS_MINIMUM } from '../config/image-requirements';
import { parseMonitoringConfig } from '../config/monitoring-config';
import { compareReleases, formatRelease, parseRelease } from '../core/release';
import { SEVERITIES } from '../core/severity';
import { FakeTelegram } from '../testing/fake-telegram';
import { describeOnProgramSets } from '../testing/program-sets';
import { ProcessGroup, describeWithBinaries, freePort, waitForHttpOk } from '../testing/processes';

/** One supergroup for every severity: what the stack's secrets are without separate chats. */
const SECRETS = {
  telegramBotToken: '123456:TEST-not-a-token',
  telegramChatIds: { critical: '-1001', warning: '-1001', info: '-1001' },
};
const NEWER_IMAGE = { components: { alertmanager: { image: 'prom/alertmanager:v0.28.1' } } };
const TOPICS = { critical: 12, warning: 13 };
/** Alertmanager's binary in a program set. */
const ALERTMANAGER = 'prometheus-alertmanager';

function problems(env: NodeJS.ProcessEnv): string {
  try {
    loadMonitoringConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('forum topics: settings', () => {
  test('TELEGRAM_TOPICS with an Alertmanager image of 0.28 or later: a topic per severity listed', () => {
    const config = loadMonitoringConfig({
      TELEGRAM_TOPICS: 'critical:12, warning:13',
      MONITORING_CONFIG: JSON.stringify(NEWER_IMAGE),
    });
    expect(config.alerting.telegramTopics).toEqual(TOPICS);
    expect(
      parseMonitoringConfig({ alerting: { telegramTopics: { info: 4 } }, ...NEWER_IMAGE }).alerting.telegramTopics,
    ).toEqual({
      info: 4,
    });
  });

  test('refused with an older image, naming the image, the minimum and the setting that needs it', () => {
    const older = { components: { alertmanager: { image: 'prom/alertmanager:v0.27.0' } } };
    expect(problems({ TELEGRAM_TOPICS: 'critical:12', MONITORING_CONFIG: JSON.stringify(older) })).toContain(
      '"prom/alertmanager:v0.27.0" is release 0.27.0, below the 0.28.0 it needs: 0.28.0 is the first with message_thread_id, which alerting.telegramTopics renders',
    );
    // Without topics the same image is accepted: the requirement is the setting's.
    expect(loadMonitoringConfig({ MONITORING_CONFIG: JSON.stringify(older) }).components.alertmanager.image).toBe(
      'prom/alertmanager:v0.27.0',
    );
    const digestOnly = `prom/alertmanager@sha256:${'a'.repeat(64)}`;
    const pinned = parseMonitoringConfig({
      alerting: { telegramTopics: TOPICS },
      components: { alertmanager: { image: digestOnly } },
    });
    expect(uncheckedImages(pinned)).toContain(
      `components.alertmanager.image "${digestOnly}" names no release in its tag: the stack cannot check it is at least 0.28.0`,
    );
  });

  test("on Kubernetes the chart's own Alertmanager runs: the Docker image is not asked", () => {
    expect(
      loadMonitoringConfig({ TELEGRAM_TOPICS: 'critical:12', MONITORING_TARGET: 'kubernetes' }).alerting.telegramTopics,
    ).toEqual({ critical: 12 });
  });

  test('not together with separate chats; bad pairs named with their value', () => {
    expect(
      problems({
        TELEGRAM_TOPICS: 'critical:12',
        TELEGRAM_SEPARATE_CHATS: 'warning',
        MONITORING_CONFIG: JSON.stringify(NEWER_IMAGE),
      }),
    ).toContain(
      'TELEGRAM_TOPICS (setting alerting.telegramTopics): "critical" are topics of the one alert chat, while telegramSeparateChats (warning) gives severities chats of their own: choose one',
    );
    const message = problems({
      TELEGRAM_TOPICS: 'urgent:3,critical:0,warning:x,info:4,info:5',
      MONITORING_CONFIG: JSON.stringify(NEWER_IMAGE),
    });
    expect(message).toContain('alerting.telegramTopics): "urgent" is not a severity');
    expect(message).toContain('alerting.telegramTopics.critical): "0" is not a topic id');
    expect(message).toContain('alerting.telegramTopics.warning): "x" is not a topic id');
    expect(message).toContain('"info" is given a topic twice');
    expect(problems({ TELEGRAM_TOPICS: 'critical' })).toContain(
      '"critical" is not valid: expected severity:topic pairs',
    );
  });
});

function renderTopics(dir: string, telegramApiUrl?: string, timeScale?: number): AlertmanagerConfigFile {
  const config = parseMonitoringConfig({ alerting: { telegramTopics: TOPICS }, ...NEWER_IMAGE });
  const files = renderAlertmanagerFiles(config.alerting, SECRETS, { configDir: dir, telegramApiUrl, timeScale });
  for (const file of files) {
    mkdirSync(dirname(join(dir, file.path)), { recursive: true });
    writeFileSync(join(dir, file.path), file.content);
  }
  return parse(files[0].content) as AlertmanagerConfigFile;
}

describe('forum topics: the rendered configuration', () => {
  const processes = new ProcessGroup();
  afterAll(() => processes.stopAll());

  test('each listed severity carries its topic; the others none', () => {
    const parsed = renderTopics(processes.tempDir('stm-topics-'));
    const threads = SEVERITIES.map(
      (severity) => parsed.receivers.find((r) => r.name === telegramReceiver(severity))?.telegram_configs?.[0],
    ).map((config) => [config?.chat_id, config?.message_thread_id]);
    expect(threads).toEqual([
      [-1001, 12],
      [-1001, 13],
      [-1001, undefined],
    ]);
  });
});

describeWithBinaries("Debian's Alertmanager 0.25 and forum topics", ['amtool'], () => {
  const processes = new ProcessGroup();
  afterAll(() => processes.stopAll());

  test('amtool 0.25 refuses message_thread_id: why topics need the newer image', () => {
    const dir = processes.tempDir('stm-topics-old-');
    renderTopics(dir);
    const result = spawnSync('amtool', ['check-config', join(dir, ALERTMANAGER_CONFIG_FILE)], { encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(result.stdout + result.stderr).toMatch(/field message_thread_id not found/);
  });
});

describeOnProgramSets('forum topics on a real Alertmanager (fake Bot API)', [ALERTMANAGER], (programs) => {
  const release = parseRelease(programs.version(ALERTMANAGER) ?? '0.0.0');
  if (compareReleases(release, parseRelease(TELEGRAM_TOPICS_MINIMUM)) < 0) {
    test(`Alertmanager ${formatRelease(release)} has no topics: an image of that release is refused with them`, () => {
      const image = `prom/alertmanager:v${formatRelease(release)}`;
      expect(
        problems({
          TELEGRAM_TOPICS: 'critical:12',
          MONITORING_CONFIG: JSON.stringify({ components: { alertmanager: { image } } }),
        }),
      ).toContain(`"${image}" is release ${formatRelease(release)}, below the ${TELEGRAM_TOPICS_MINIMUM} it needs`);
    });
    return;
  }
  const processes = new ProcessGroup();
  let telegram: FakeTelegram;
  let alertmanager: string;

  beforeAll(async () => {
    telegram = await FakeTelegram.start();
    const dir = processes.tempDir('stm-topics-new-');
    renderTopics(dir, telegram.url, 1 / 60);
    alertmanager = `http://127.0.0.1:${await freePort()}`;
    processes.start('alertmanager', programs.binary(ALERTMANAGER), [
      `--config.file=${join(dir, ALERTMANAGER_CONFIG_FILE)}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=${alertmanager.slice('http://'.length)}`,
      '--cluster.listen-address=',
    ]);
    await waitForHttpOk(`${alertmanager}/-/ready`);
  });

  afterAll(async () => {
    await processes.stopAll();
    await telegram?.stop();
  });

  test('every severity to the one supergroup, critical and warning each in its topic, info in General', async () => {
    const response = await fetch(`${alertmanager}/api/v2/alerts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        SEVERITIES.map((severity) => ({
          labels: { alertname: `Topic${severity}`, severity, instance: `topic-${severity}:1` },
          annotations: { summary: `a ${severity} alert` },
        })),
      ),
    });
    expect(response.status).toBe(200);
    const sent = await Promise.all(
      SEVERITIES.map(
        async (severity) =>
          (await telegram.waitForDelivered(severity, (m) => m.text.includes(`topic-${severity}:1`)))[0],
      ),
    );
    expect(sent.map((message) => [message.chatId, message.messageThreadId])).toEqual([
      ['-1001', 12],
      ['-1001', 13],
      ['-1001', undefined],
    ]);
  });
});
