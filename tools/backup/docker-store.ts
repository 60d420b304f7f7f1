/**
 * The data of a deployed Docker stack: each component's protected named volume
 * (`<prefix>-<component>-data`, mounted in its container), reached through the Docker Engine API at
 * `dockerHost`. Files are read and written through the container's archive endpoints, which reach
 * into its volumes, running or stopped; what those cannot do (delete) a short-lived helper container
 * does, from the component's own image (its busybox or Alpine `sh`), with only the volume mounted.
 */
import { DockerEngine } from '../../clients/docker';
import { dataVolumeName } from '../../targets/docker/monitored-container';
import { BackupComponent, DataStore } from './store';
import { extractTar, packTar } from './tar';

/** Where the helper container mounts the volume. */
const HELPER_MOUNT = '/data';

export interface DockerStoreOptions {
  docker: DockerEngine;
  /** The container of each component (`containerName(config, component)`). */
  containers: Readonly<Record<BackupComponent, string>>;
  /** SIGTERM to SIGKILL when a container is stopped, in seconds (time to write its data). */
  stopGraceSeconds: number;
  /** How long a helper container may take, in ms. */
  helperWaitMs: number;
}

interface Located {
  container: string;
  volume: string;
  /** Where the volume is mounted in the component's container. */
  mountPath: string;
  image: string;
}

/** A single-quoted `sh` word. */
function shellQuoted(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

export class DockerStore implements DataStore {
  constructor(private readonly options: DockerStoreOptions) {}

  describe(component: BackupComponent): string {
    const container = this.options.containers[component];
    return `Docker volume ${dataVolumeName(container)} of ${container}`;
  }

  async modifiedAt(component: BackupComponent, path: string): Promise<number | undefined> {
    const { container, mountPath } = await this.locate(component);
    const stat = await this.options.docker.stat(container, `${mountPath}/${path}`);
    return stat && Date.parse(stat.mtime);
  }

  async copyOut(component: BackupComponent, path: string, into: string): Promise<void> {
    const { container, mountPath } = await this.locate(component);
    await extractTar(await this.options.docker.readArchive(container, `${mountPath}/${path}`), into);
  }

  async remove(component: BackupComponent, path: string): Promise<void> {
    await this.helper(component, `rm -rf -- ${shellQuoted(`${HELPER_MOUNT}/${path}`)}`);
  }

  async whileStopped<T>(component: BackupComponent, work: () => Promise<T>): Promise<T> {
    const { container } = await this.locate(component);
    const running = (await this.options.docker.inspect(container))?.State.Running ?? false;
    if (running) await this.options.docker.stop(container, this.options.stopGraceSeconds);
    try {
      return await work();
    } finally {
      if (running) await this.options.docker.start(container);
    }
  }

  async replace(component: BackupComponent, from: string): Promise<void> {
    const { container, mountPath } = await this.locate(component);
    // Every entry of the volume, dot files too; a pattern that matches nothing stays literal, and rm -f ignores it.
    await this.helper(component, `rm -rf ${HELPER_MOUNT}/* ${HELPER_MOUNT}/.[!.]* ${HELPER_MOUNT}/..?*`);
    await this.options.docker.writeArchive(container, mountPath, packTar(from));
    // Owned by the volume's owner, the component's user (the image made it so), as the component would have written them.
    await this.helper(component, `chown -R "$(stat -c %u:%g ${HELPER_MOUNT})" ${HELPER_MOUNT}`);
  }

  private async helper(component: BackupComponent, script: string): Promise<void> {
    const { volume, image } = await this.locate(component);
    await this.options.docker.runHelper({
      image,
      volume,
      mountPath: HELPER_MOUNT,
      script,
      waitMs: this.options.helperWaitMs,
    });
  }

  /** The component's container and its data volume; throws, naming both, when either is missing. */
  private async locate(component: BackupComponent): Promise<Located> {
    const container = this.options.containers[component];
    const volume = dataVolumeName(container);
    const inspect = await this.options.docker.inspect(container);
    if (!inspect) {
      throw new Error(
        `no container ${container} on ${this.options.docker.dockerHost}: deploy the stack first (with the same MONITORING_NAME_PREFIX)`,
      );
    }
    const mount = inspect.Mounts.find((candidate) => candidate.Type === 'volume' && candidate.Name === volume);
    if (!mount) throw new Error(`${container} has no volume ${volume} mounted: it is not a container of this stack`);
    return { container, volume, mountPath: mount.Destination, image: inspect.Image };
  }
}
