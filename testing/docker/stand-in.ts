/**
 * What the Docker harness's Node containers run: a stand-in of one of the application's services,
 * listening on every address of its container (reached by its name on the application's network).
 *
 *   stand-in.ts api --port 8000 [--redis redis:6379]        the API's metrics (the simulator)
 *   stand-in.ts celery-exporter --port 9808 --redis redis:6379   the celery-exporter's series shapes
 *   stand-in.ts telegram --port 8081 --record-port 8082      the fake Bot API, and what it received
 *
 * The fake Telegram's record port answers `GET /recorded` with `{attempts, otherRequests}` (see
 * FakeTelegram), which the harness, outside the container, reads. SIGTERM (`docker stop`) stops it.
 */
import { createServer } from 'node:http';
import { FakeTelegram } from '../fake-telegram';
import { StockTrackerSimulator } from '../simulator';

/** Every address of the container. */
const ANY = '0.0.0.0';

/** What `GET /recorded` answers. */
export interface TelegramRecord {
  attempts: FakeTelegram['attempts'];
  otherRequests: FakeTelegram['otherRequests'];
}

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(`--${name}`);
  return at < 0 ? undefined : args[at + 1];
}

function port(args: string[], name: string): number {
  const value = Number(option(args, name));
  if (!Number.isInteger(value) || value < 1 || value > 65_535)
    throw new Error(`--${name}: ${option(args, name)} is not a port`);
  return value;
}

async function startTelegram(args: string[]): Promise<() => Promise<void>> {
  const telegram = await FakeTelegram.start(port(args, 'port'), ANY);
  const record = createServer((request, response) => {
    if (request.method !== 'GET' || request.url !== '/recorded') {
      response.writeHead(404).end();
      return;
    }
    const body: TelegramRecord = { attempts: telegram.attempts, otherRequests: telegram.otherRequests };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => record.listen(port(args, 'record-port'), ANY, resolve));
  return async () => {
    record.close();
    await telegram.stop();
  };
}

async function start(role: string | undefined, args: string[]): Promise<() => Promise<void>> {
  switch (role) {
    case 'api': {
      const simulator = await StockTrackerSimulator.start({
        host: ANY,
        api: port(args, 'port'),
        redis: option(args, 'redis'),
      });
      return () => simulator.stop();
    }
    case 'celery-exporter': {
      const simulator = await StockTrackerSimulator.start({
        host: ANY,
        celeryExporter: port(args, 'port'),
        redis: option(args, 'redis'),
      });
      return () => simulator.stop();
    }
    case 'telegram':
      return startTelegram(args);
    default:
      throw new Error(`unknown stand-in ${JSON.stringify(role)}: api, celery-exporter or telegram`);
  }
}

if (require.main === module) {
  const [role, ...args] = process.argv.slice(2);
  start(role, args)
    .then((stop) => {
      console.log(`${role} ready`);
      process.once('SIGTERM', () => void stop().then(() => process.exit(0)));
    })
    .catch((error: Error) => {
      console.error(error.message);
      process.exit(1);
    });
}
