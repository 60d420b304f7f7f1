/**
 * `npm run silence -- create|list|expire`: silences in the deployed Alertmanager, through its v2
 * API, at the address the stack's configuration gives (as `npm run check` reads it).
 */
import { ALERT_NAMES, WATCHDOG } from '../../domain/alerting';
import { DEFAULT_TIMEOUT_MS, Io, UsageError, cdktfContext, runAsProgram, wrapped } from '../cli';
import { Command, runTool, single, strings } from './command';
import {
  alertMatcher,
  authorOf,
  checkedMatchers,
  commentOf,
  createSilence,
  describeSilence,
  durationOf,
  labelMatchers,
  listSilences,
} from './silences';

export const USAGE = `Usage: npm run silence -- <command> [options]

Silences in the deployed Alertmanager (its v2 API), at the address the stack's configuration gives
(.env, MONITORING_CONFIG), as npm run check finds it.

Commands:
  create                 silence alerts by name and labels, from now for a while
    --alert <name>       an alert of this stack (repeat for several):
                         ${wrapped(ALERT_NAMES.filter((name) => name !== WATCHDOG).join(', '), 25)}
    --label <matcher>    name=value, name!=value, name=~regex or name!~regex (repeat; all must hold)
    --duration <d>       how long: 30m, 2h, 1d (needed)
    --comment <text>     why, for whoever finds the silence (needed)
    --author <name>      who (default $USER@<host>)
  list                   the silences in force or pending
    --all                the expired ones too
  expire <id>...         end silences now (list shows their ids)

Options:
  --json                 print the result as JSON
  --timeout <ms>         time limit of each request (default ${DEFAULT_TIMEOUT_MS})
  --help                 show this help

The Watchdog is never silenced: its heartbeat would stop and the dead man's switch would raise the
alarm. For planned work: npm run maintenance.

Exit code: 0 done, 1 Alertmanager did not answer or refused (or an id was not expired), 2 for a
usage or configuration error.`;

const create: Command = {
  options: ['alert', 'label', 'duration', 'comment', 'author'],
  async run(api, values, _, env) {
    const matchers = checkedMatchers([
      ...alertMatcher(strings(values, 'alert')),
      ...labelMatchers(strings(values, 'label')),
    ]);
    const created = await createSilence(api, {
      matchers,
      duration: durationOf(single(values, 'duration')),
      comment: commentOf(single(values, 'comment')),
      author: authorOf(single(values, 'author'), env),
    });
    const mutes = created.mutesNow;
    return {
      ok: true,
      json: { silence: created },
      lines: [
        `✔ silence ${describeSilence(created)}`,
        `  mutes ${mutes.length === 0 ? 'no alert firing now' : `${mutes.length} firing now: ${mutes.join(', ')}`}`,
        `  to end it: npm run silence -- expire ${created.id}`,
      ],
    };
  },
};

const list: Command = {
  options: ['all'],
  async run(api, values) {
    const found = await listSilences(api, values.all === true);
    return {
      ok: true,
      json: { silences: found },
      lines:
        found.length === 0
          ? [`no silence${values.all ? '' : ' in force or pending'}`]
          : found.map((silence) => describeSilence(silence)),
    };
  },
};

const expire: Command = {
  options: [],
  positionals: 'some',
  async run(api, _, ids) {
    if (ids.length === 0) throw new UsageError('expire which silence? give its id (npm run silence -- list)');
    const results = await Promise.all(
      ids.map(async (id) => {
        try {
          await api.expireSilence(id);
          return { id, expired: true as const };
        } catch (error) {
          return { id, expired: false as const, reason: error instanceof Error ? error.message : String(error) };
        }
      }),
    );
    return {
      ok: results.every((result) => result.expired),
      json: { results },
      lines: results.map((result) =>
        result.expired ? `✔ silence ${result.id} expired` : `✘ silence ${result.id} not expired: ${result.reason}`,
      ),
    };
  },
};

export const SILENCE_TOOL = {
  usage: USAGE,
  options: {
    alert: { type: 'string', multiple: true },
    label: { type: 'string', multiple: true },
    duration: { type: 'string' },
    comment: { type: 'string' },
    author: { type: 'string' },
    all: { type: 'boolean' },
  },
  commands: { create, list, expire },
} as const;

/** Runs the CLI; returns the exit code. */
export function main(
  argv: string[],
  env: NodeJS.ProcessEnv,
  io: Io,
  context: unknown = cdktfContext(),
): Promise<number> {
  return runTool(SILENCE_TOOL, argv, env, io, context);
}

if (require.main === module) runAsProgram((argv, env, io) => main(argv, env, io));
