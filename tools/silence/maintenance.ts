/**
 * `npm run maintenance -- start|stop`: planned work as a silence. `start` silences every alert but
 * the Watchdog (or those of the rule groups named, narrowed by labels) from now for a duration,
 * its comment marked as maintenance; `stop` expires the maintenance silences, so what still fires
 * is sent at the next group flush. Recurring work belongs in alerting.maintenanceWindows.
 */
import { WATCHDOG } from '../../domain/alerting';
import { DEFAULT_TIMEOUT_MS, Io, cdktfContext, runAsProgram, wrapped } from '../cli';
import { Command, runTool, single, strings } from './command';
import {
  GROUP_NAMES,
  MAINTENANCE_MARK,
  authorOf,
  checkedMatchers,
  commentOf,
  createSilence,
  describeSilence,
  durationOf,
  groupMatcher,
  labelMatchers,
  maintenanceSilences,
} from './silences';

export const USAGE = `Usage: npm run maintenance -- start|stop [options]

Planned work as a silence in the deployed Alertmanager (its v2 API), at the address the stack's
configuration gives (.env, MONITORING_CONFIG), as npm run check finds it.

Commands:
  start                  silence alerts from now for the work's duration: every alert but the
                         ${WATCHDOG} (its heartbeat must go on), or those of the groups named
    --duration <d>       how long: 30m, 2h (needed)
    --comment <text>     what work (needed; the silence's comment starts "${MAINTENANCE_MARK}")
    --group <name>       only the alerts of a rule group (repeat):
                         ${wrapped(GROUP_NAMES.join(', '), 25)}
    --label <matcher>    only alerts with these labels too: name=value, name!=value, name=~regex,
                         name!~regex (repeat)
    --author <name>      who (default $USER@<host>)
  stop                   end the maintenance now: expire every maintenance silence in force or
                         pending; what still fires is sent at the next group flush
    --id <id>            only this one

Options:
  --json                 print the result as JSON
  --timeout <ms>         time limit of each request (default ${DEFAULT_TIMEOUT_MS})
  --help                 show this help

Recurring work (a nightly backup) belongs in the configuration: alerting.maintenanceWindows.

Exit code: 0 done (stop with no maintenance in force included), 1 Alertmanager did not answer or
refused, or --id is no maintenance silence in force, 2 for a usage or configuration error.`;

const start: Command = {
  options: ['duration', 'comment', 'group', 'label', 'author'],
  async run(api, values, _, env) {
    const matchers = checkedMatchers([
      ...groupMatcher(strings(values, 'group')),
      ...labelMatchers(strings(values, 'label')),
    ]);
    const created = await createSilence(api, {
      matchers,
      duration: durationOf(single(values, 'duration')),
      comment: `${MAINTENANCE_MARK}${commentOf(single(values, 'comment'))}`,
      author: authorOf(single(values, 'author'), env),
    });
    const mutes = created.mutesNow;
    return {
      ok: true,
      json: { silence: created },
      lines: [
        `✔ maintenance ${describeSilence(created)}`,
        `  mutes ${mutes.length === 0 ? 'no alert firing now' : `${mutes.length} firing now: ${mutes.join(', ')}`}`,
        '  to end it: npm run maintenance -- stop',
      ],
    };
  },
};

const stop: Command = {
  options: ['id'],
  async run(api, values) {
    const id = single(values, 'id');
    const inForce = await maintenanceSilences(api);
    const chosen = id === undefined ? inForce : inForce.filter((silence) => silence.id === id);
    if (id !== undefined && chosen.length === 0)
      return {
        ok: false,
        json: { expired: [] },
        lines: [`✘ ${id} is no maintenance silence in force or pending (npm run silence -- list)`],
      };
    for (const silence of chosen) await api.expireSilence(silence.id);
    return {
      ok: true,
      json: { expired: chosen.map((silence) => silence.id) },
      lines:
        chosen.length === 0
          ? ['no maintenance in force or pending: nothing to stop']
          : chosen.map((silence) => `✔ ended ${describeSilence(silence)}`),
    };
  },
};

export const MAINTENANCE_TOOL = {
  usage: USAGE,
  options: {
    duration: { type: 'string' },
    comment: { type: 'string' },
    group: { type: 'string', multiple: true },
    label: { type: 'string', multiple: true },
    author: { type: 'string' },
    id: { type: 'string' },
  },
  commands: { start, stop },
} as const;

/** Runs the CLI; returns the exit code. */
export function main(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: Io,
  context: unknown = cdktfContext(),
): Promise<number> {
  return runTool(MAINTENANCE_TOOL, argv, env, io, context);
}

if (require.main === module) runAsProgram((argv, env, io) => main(argv, env, io));
