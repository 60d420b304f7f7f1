/**
 * Component data in local directories, for programs that run without Docker: the loopback stack's
 * Prometheus and Alertmanager (`--storage.tsdb.path`, `--storage.path`), which the tests back up
 * and restore with the same code as a deployed stack's volumes.
 */
import { cpSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { BackupComponent, DataStore } from './store';

/** One component's data directory and how its process is stopped and started. */
export interface DirectoryOfComponent {
  dir: string;
  /** Stops the process cleanly (it writes what it holds); resolves once it has exited. */
  stop(): Promise<void>;
  /** Starts it again on the same directory; resolves once it is ready. */
  start(): Promise<void>;
}

export class DirectoryStore implements DataStore {
  constructor(private readonly directories: Readonly<Partial<Record<BackupComponent, DirectoryOfComponent>>>) {}

  describe(component: BackupComponent): string {
    return `directory ${this.of(component).dir}`;
  }

  async modifiedAt(component: BackupComponent, path: string): Promise<number | undefined> {
    try {
      return statSync(join(this.of(component).dir, path)).mtimeMs;
    } catch {
      return undefined;
    }
  }

  async copyOut(component: BackupComponent, path: string, into: string): Promise<void> {
    cpSync(join(this.of(component).dir, path), join(into, basename(path)), { recursive: true });
  }

  async remove(component: BackupComponent, path: string): Promise<void> {
    rmSync(join(this.of(component).dir, path), { recursive: true, force: true });
  }

  async whileStopped<T>(component: BackupComponent, work: () => Promise<T>): Promise<T> {
    const directory = this.of(component);
    await directory.stop();
    try {
      return await work();
    } finally {
      await directory.start();
    }
  }

  async replace(component: BackupComponent, from: string): Promise<void> {
    const { dir } = this.of(component);
    for (const entry of readdirSync(dir)) rmSync(join(dir, entry), { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    cpSync(from, dir, { recursive: true });
  }

  private of(component: BackupComponent): DirectoryOfComponent {
    const directory = this.directories[component];
    if (!directory) throw new Error(`${component}: no data directory given`);
    return directory;
  }
}
