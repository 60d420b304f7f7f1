/**
 * The volume transport of `npm run backup` and `npm run restore`: where each component keeps its
 * data and how the CLI reads and replaces it. One interface, two ways: the named Docker volumes of
 * a deployed stack (`DockerStore`, through the Docker Engine API) and plain directories
 * (`DirectoryStore`: the loopback stack's programs, and a host without Docker). Everything else,
 * what is copied and how it is made consistent, is the same for both (backup.ts).
 */

/** The components whose data a backup holds, in the order they are backed up and restored. */
export const BACKUP_COMPONENTS = ['prometheus', 'alertmanager', 'grafana'] as const;
export type BackupComponent = (typeof BACKUP_COMPONENTS)[number];

export function isBackupComponent(name: string): name is BackupComponent {
  return (BACKUP_COMPONENTS as readonly string[]).includes(name);
}

/** A component's data directory; paths are relative to it (`snapshots/<name>`, `silences`). */
export interface DataStore {
  /** Where the component's data is, for messages: `Docker volume stock-tracker-prometheus-data`. */
  describe(component: BackupComponent): string;
  /** When `path` was last written, in ms since the epoch; undefined when it does not exist. */
  modifiedAt(component: BackupComponent, path: string): Promise<number | undefined>;
  /** Copies the file or directory `path` into the local directory `into`, under its own name. */
  copyOut(component: BackupComponent, path: string, into: string): Promise<void>;
  /** Deletes the file or directory `path`. */
  remove(component: BackupComponent, path: string): Promise<void>;
  /**
   * Runs `work` while the component's process is stopped (cleanly: it writes what it holds), then
   * starts it again, also when `work` fails. A component that was not running stays stopped.
   */
  whileStopped<T>(component: BackupComponent, work: () => Promise<T>): Promise<T>;
  /** Replaces everything in the component's data with the content of the local directory `from`; call it stopped. */
  replace(component: BackupComponent, from: string): Promise<void>;
}
