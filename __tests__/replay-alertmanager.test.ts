/**
 * The replay's Alertmanager model (tools/replay/alertmanager.ts) against the real Alertmanager:
 * the same alerts, posted at the same moments, to the same configuration (timings scaled to
 * seconds) give the same messages to each receiver, with the same firing and resolved alerts, at
 * the same flushes. The scenario has what the replay counts on: group_wait, group_interval, an
 * inhibition that holds a dependent alert back until its cause resolves, resolved messages only
 * where send_resolved is set, and a repeat.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Document } from 'yaml';
import { simulateAlertmanager } from '../tools/replay/alertmanager';
import { AlertEpisode } from '../tools/replay/evaluate';
import { ReplayAlertmanager } from '../tools/replay/rule-set';
import { FakeHeartbeat } from '../testing/fake-heartbeat';
import { ProcessGroup, describeWithBinaries, freePort, sleep, waitForHttpOk } from '../testing/processes';

/**
 * A flush of the real Alertmanager may come this much later than the model's (timers, HTTP, a
 * busy machine: 728 ms seen at a 2 s group interval). Under half the group interval: a message at
 * another flush than the model's is still caught.
 */
const TOLERANCE_MS = 1_900;
const END_MS = 28_000;

describeWithBinaries('replay Alertmanager model against the real Alertmanager', ['prometheus-alertmanager'], () => {
  const processes = new ProcessGroup();
  let sink: FakeHeartbeat;
  afterAll(async () => {
    await processes.stopAll();
    await sink?.stop();
  });

  test('the same alerts give the same messages per receiver at the same flushes', async () => {
    sink = await FakeHeartbeat.start();
    const route = {
      receiver: 'pages',
      group_by: ['alertname'],
      group_wait: '2s',
      group_interval: '4s',
      repeat_interval: '10s',
      routes: [{ matchers: ['severity="warning"'], receiver: 'warnings' }],
    };
    const inhibition = { source_matchers: ['alertname="RedisDown"'], target_matchers: ['alertname="WorkerDown"'] };
    const dir = processes.tempDir('stm-replay-am-');
    const sinkUrl = sink.url.replace(/\/ping\/.*$/, '');
    writeFileSync(
      join(dir, 'alertmanager.yml'),
      new Document({
        route,
        inhibit_rules: [inhibition],
        receivers: [
          { name: 'pages', webhook_configs: [{ url: `${sinkUrl}/pages`, send_resolved: true }] },
          { name: 'warnings', webhook_configs: [{ url: `${sinkUrl}/warnings`, send_resolved: false }] },
        ],
      }).toString(),
    );
    mkdirSync(join(dir, 'data'));
    const url = `http://127.0.0.1:${await freePort()}`;
    processes.start('alertmanager', 'prometheus-alertmanager', [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=${url.slice('http://'.length)}`,
      '--cluster.listen-address=',
    ]);
    await waitForHttpOk(`${url}/-/ready`);

    const labels = {
      RedisDown: { alertname: 'RedisDown', severity: 'critical' },
      WorkerDown: { alertname: 'WorkerDown', severity: 'critical' },
      QueueBacklog: { alertname: 'QueueBacklog', severity: 'warning' },
    };
    const fired = new Map<keyof typeof labels, number>();
    const episodes = new Map<keyof typeof labels, AlertEpisode>();
    const t0 = Date.now();
    /** Posts an alert firing (until an hour from now, as Prometheus' resends would keep it) or resolved now. */
    const post = async (name: keyof typeof labels, resolved = false) => {
      const now = Date.now();
      if (!resolved) fired.set(name, now);
      const startsAt = new Date(fired.get(name) ?? now).toISOString();
      const endsAt = new Date(resolved ? now : now + 3_600_000).toISOString();
      const response = await fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify([{ labels: labels[name], startsAt, endsAt }]),
      });
      expect(response.status).toBe(200);
      const firedAt = fired.get(name) ?? now;
      episodes.set(name, {
        labels: labels[name],
        activeAt: firedAt,
        firedAt,
        ...(resolved ? { resolvedAt: now } : {}),
      });
    };
    const at = (ms: number) => sleep(Math.max(0, t0 + ms - Date.now()));

    // Flushes of a group come 2 s after its first alert, then every 4 s: changes land between them.
    await post('RedisDown');
    await post('QueueBacklog');
    await at(600);
    await post('WorkerDown');
    await at(8_000);
    await post('RedisDown', true);
    await at(16_000);
    await post('WorkerDown', true);
    await at(END_MS);

    const config: ReplayAlertmanager = {
      route,
      inhibit_rules: [inhibition],
      receivers: [
        { name: 'pages', integrations: ['webhook'], sendResolved: true },
        { name: 'warnings', integrations: ['webhook'], sendResolved: false },
      ],
      time_intervals: [],
    };
    const names = (alerts: { labels: Record<string, string> }[]) => alerts.map((a) => a.labels.alertname).sort();
    const modelled = simulateAlertmanager(config, [...episodes.values()], t0, t0 + END_MS).map((message) => ({
      receiver: message.receiver,
      at: message.at - t0,
      firing: names(message.firing),
      resolved: names(message.resolved),
    }));
    const received = sink.pings.map((ping) => {
      const body = JSON.parse(ping.body) as {
        receiver: string;
        alerts: { status: string; labels: Record<string, string> }[];
      };
      return {
        receiver: body.receiver,
        at: ping.receivedAt - t0,
        firing: names(body.alerts.filter((alert) => alert.status === 'firing')),
        resolved: names(body.alerts.filter((alert) => alert.status === 'resolved')),
      };
    });
    const withoutTimes = (messages: typeof received) =>
      messages.map(({ receiver, firing, resolved }) => ({ receiver, firing, resolved }));
    const order = (messages: typeof received) =>
      [...messages].sort((a, b) => a.receiver.localeCompare(b.receiver) || a.at - b.at);
    expect(withoutTimes(order(received))).toEqual(withoutTimes(order(modelled)));
    // The scenario shows what it is meant to: the inhibited alert told only after its cause resolved, two repeats.
    expect(order(modelled).map(({ receiver, firing, resolved }) => `${receiver}: ${firing} / ${resolved}`)).toEqual([
      'pages: RedisDown / ',
      'pages:  / RedisDown',
      'pages: WorkerDown / ',
      'pages:  / WorkerDown',
      'warnings: QueueBacklog / ',
      'warnings: QueueBacklog / ',
      'warnings: QueueBacklog / ',
    ]);
    const late = order(received).map((message, i) => ({ ...message, lateMs: message.at - order(modelled)[i].at }));
    expect(late.filter((message) => Math.abs(message.lateMs) > TOLERANCE_MS)).toEqual([]);
  }, 90_000);
});
