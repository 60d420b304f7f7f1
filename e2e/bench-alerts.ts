/**
 * `npm run bench:alerts [-- --json] [-- --serve]`: this checkout's rules and routing replayed over
 * a labelled month, scored against its ground truth.
 *
 * The month (testing/labelled-month/: 30 days of the application's and exporters' series with
 * outages, error and latency burns, backlogs, stopped syncs, and noise) is backfilled into a real
 * Prometheus with promtool, replayed with `npm run alerts:replay`'s engine under the default
 * configuration, and judged: per incident class detected or missed and time to detect, per noise
 * class what it raised, precision and recall of pages, warnings and tickets, notifications and
 * night pages per week, replay time. Targets: page recall 1.0, page precision >= 0.95, warning
 * precision >= 0.8, at most one announcement per incident per chat, 30 days replayed in under
 * 120 s; the exit code is 1 when one is missed. With `--json` the last line is one JSON object;
 * `--serve` keeps the month's Prometheus running (until Ctrl-C) for `npm run alerts:replay`.
 */
import { parseArgs } from 'node:util';
import { Duration } from '../core/duration';
import { replay } from '../tools/replay/replay';
import { NightHours, peopleMessages, renderSummaries, summarize } from '../tools/replay/report';
import { ROOT, loadRuleSet } from '../tools/replay/rule-set';
import { formatTable } from '../tools/text-table';
import { backfillMonth, serveHistory } from '../testing/labelled-month/backfill';
import { MONTH_END, MONTH_EVENTS, MONTH_START, MONTH_TIME_ZONE } from '../testing/labelled-month/events';
import { Announcement, EventOutcome, MonthScore, announcements, scoreMonth } from '../testing/labelled-month/score';
import { DEFAULT_SERIES_OPTIONS } from '../testing/labelled-month/series';
import { ProcessGroup, installHint, missingBinaries } from '../testing/processes';

const TARGETS = { pageRecall: 1, pagePrecision: 0.95, warningPrecision: 0.8, perChat: 1, replaySeconds: 120 };
/** Night in the month's time zone, where its users are. */
const NIGHT: NightHours = { startHour: 22, endHour: 7, timeZone: MONTH_TIME_ZONE };

function minutes(ms: number): string {
  return Duration.millis(Math.round(ms / 60_000) * 60_000).toString();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** One row per class of incident or noise: how many, what became of them. */
function classTable(outcomes: readonly EventOutcome[], kind: 'incident' | 'noise'): string {
  const classes = [...new Set(outcomes.filter((o) => o.event.kind === kind).map((o) => o.event.class))];
  const rows = classes.map((name) => {
    const own = outcomes.filter((outcome) => outcome.event.class === name);
    const mostPerChat = Math.max(0, ...own.flatMap((outcome) => Object.values(outcome.perChat)));
    if (kind === 'noise') {
      const raised = (tier: string) =>
        own.filter((outcome) => outcome.announcements.some((a) => a.tier === tier)).length;
      return [name, String(own.length), `${raised('page')}`, `${raised('warning')}`, `${raised('ticket')}`];
    }
    const times = own.flatMap((outcome) => (outcome.detectedAfterMs === undefined ? [] : [outcome.detectedAfterMs]));
    return [
      name,
      own[0].event.deserves,
      `${times.length}/${own.length}`,
      String(own.length - times.length),
      times.length > 0 ? `${minutes(median(times))} (max ${minutes(Math.max(...times))})` : '-',
      String(mostPerChat),
    ];
  });
  return kind === 'noise'
    ? formatTable(['noise', 'events', 'paged', 'warned', 'ticketed'], rows)
    : formatTable(
        ['incident class', 'deserves', 'detected', 'missed', 'time to detect (median)', 'most per chat'],
        rows,
      );
}

function tierTable(score: MonthScore): string {
  const show = (value: number | null) => (value === null ? '-' : value.toFixed(2));
  return formatTable(
    ['tier', 'announced', 'true', 'precision', 'incidents', 'detected', 'recall'],
    Object.entries(score.tiers).map(([tier, t]) => [
      tier,
      String(t.sent),
      String(t.trueSent),
      show(t.precision),
      String(t.incidents),
      String(t.detected),
      show(t.recall),
    ]),
  );
}

/** The alerts of the messages sent to `chat`, in order, with their times (UTC): which rules told the same incident twice. */
function announcedAlerts(sent: readonly Announcement[], chat: string): string {
  return sent
    .filter((announcement) => announcement.message.receiver === chat)
    .map(
      (announcement) =>
        `${announcement.message.firing.map((alert) => alert.labels.alertname).join('+')} (${new Date(announcement.message.at).toISOString().slice(5, 16)})`,
    )
    .join(' then ');
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean', default: false }, serve: { type: 'boolean', default: false } },
    strict: true,
  });
  const missing = missingBinaries(['promtool', 'prometheus']);
  if (missing.length > 0) {
    console.error(`bench:alerts needs ${missing.join(', ')}: ${installHint(missing)}`);
    return 2;
  }
  const processes = new ProcessGroup();
  try {
    const dir = processes.tempDir('stm-month-');
    console.log(
      `Writing the labelled month (${MONTH_EVENTS.length} labelled events) and backfilling it with promtool...`,
    );
    const month = await backfillMonth(dir, DEFAULT_SERIES_OPTIONS, MONTH_EVENTS);
    console.log(`${month.samples} samples in ${month.seconds.toFixed(1)} s`);
    const server = await serveHistory(month.tsdb, processes);
    const ruleSet = loadRuleSet(ROOT, {}, 'this checkout');
    const result = await replay(server.api, ruleSet, MONTH_START, MONTH_END);
    const summary = summarize(result, ruleSet.alertmanager.receivers, NIGHT);
    const score = scoreMonth(
      announcements(result, peopleMessages(result, ruleSet.alertmanager.receivers), MONTH_EVENTS),
      MONTH_EVENTS,
    );
    const overOne = score.events.filter(
      (outcome) => outcome.event.kind === 'incident' && Object.values(outcome.perChat).some((n) => n > TARGETS.perChat),
    );
    const { page, warning, ticket } = score.tiers;
    const checks: [string, boolean][] = [
      [`page recall ${page.recall} (target ${TARGETS.pageRecall})`, (page.recall ?? 0) >= TARGETS.pageRecall],
      [
        `page precision ${page.precision} (target >= ${TARGETS.pagePrecision})`,
        (page.precision ?? 1) >= TARGETS.pagePrecision,
      ],
      [
        `warning precision ${warning.precision} (target >= ${TARGETS.warningPrecision})`,
        (warning.precision ?? 1) >= TARGETS.warningPrecision,
      ],
      [
        `incidents announced more than once in a chat: ${
          overOne
            .map(
              (o) =>
                `${o.event.id} (${Object.entries(o.perChat)
                  .map(([chat, n]) => `${n} in ${chat}: ${announcedAlerts(o.announcements, chat)}`)
                  .join(', ')})`,
            )
            .join('; ') || 'none'
        }`,
        overOne.length === 0,
      ],
      [
        `30 days replayed in ${result.seconds.toFixed(1)} s (target < ${TARGETS.replaySeconds} s)`,
        result.seconds < TARGETS.replaySeconds,
      ],
    ];
    // What the replay itself says (per chat, per alert): where the misses and the noise come from.
    console.log(`\n${renderSummaries([summary], NIGHT)}`);
    console.log(
      `\n${classTable(score.events, 'incident')}\n\n${classTable(score.events, 'noise')}\n\n${tierTable(score)}`,
    );
    console.log(
      `\nnotifications per week: ${summary.messagesPerWeek} (${summary.messages} in ${summary.weeks} weeks); night pages per week: ${summary.nightPagesPerWeek} (night ${NIGHT.startHour}:00-${NIGHT.endHour}:00 ${NIGHT.timeZone}); replay: ${result.seconds.toFixed(1)} s`,
    );
    for (const announcement of score.unexplained)
      console.log(
        `about no labelled event: ${announcement.tier} ${announcement.message.firing.map((a) => a.labels.alertname).join(', ')} at ${new Date(announcement.message.at).toISOString()}`,
      );
    for (const skipped of result.skipped) console.log(`not replayed: ${skipped.name}: ${skipped.reason}`);
    // Where the replay time goes: the rules Prometheus took longest to answer (queries overlap, so these add up to more).
    const slowest = [...result.outcomes].sort((a, b) => b.queryMs - a.queryMs).slice(0, 5);
    console.log(
      `slowest rules to replay: ${slowest.map((o) => `${o.rule.name} ${(o.queryMs / 1000).toFixed(1)} s`).join(', ')}`,
    );
    console.log('');
    for (const [text, met] of checks) console.log(`${met ? 'target met   ' : 'target MISSED'} ${text}`);
    if (values.json)
      console.log(
        JSON.stringify({
          pages: { precision: page.precision, recall: page.recall },
          warnings: { precision: warning.precision, recall: warning.recall },
          tickets: { precision: ticket.precision, recall: ticket.recall },
          notificationsPerWeek: summary.messagesPerWeek,
          nightPagesPerWeek: summary.nightPagesPerWeek,
          replaySeconds: Number(result.seconds.toFixed(1)),
        }),
      );
    if (values.serve) {
      console.error(
        `\nThe month's Prometheus answers at ${server.url} until Ctrl-C. Replay it:\n  npm run alerts:replay -- --prometheus ${server.url} --from ${new Date(MONTH_START).toISOString()} --to ${new Date(MONTH_END).toISOString()} --time-zone ${NIGHT.timeZone}`,
      );
      await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    }
    return checks.every(([, met]) => met) ? 0 : 1;
  } finally {
    await processes.stopAll();
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(error.stack ?? error.message);
    process.exitCode = 2;
  },
);
