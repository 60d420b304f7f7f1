/**
 * The few tar archives the Docker harness exchanges with the Engine API: files to upload into a
 * container (`PUT /containers/{id}/archive`, as the docker provider's `upload` does) and files read
 * back from one (`GET /containers/{id}/archive`). POSIX ustar, regular files only.
 */

const BLOCK = 512;

/** A regular file in an archive: its path, content and permission bits. */
export interface TarFile {
  /** Path inside the archive, e.g. `/etc/prometheus/prometheus.yml` (the provider writes it absolute). */
  name: string;
  content: Buffer;
  /** Permission bits, e.g. `0o644`. */
  mode: number;
  /** Seconds since the epoch. @default now */
  mtime?: number;
}

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

/** One ustar header. */
function header(file: TarFile): Buffer {
  const block = Buffer.alloc(BLOCK);
  if (Buffer.byteLength(file.name) > 100) throw new Error(`tar: path longer than ustar's 100 bytes: ${file.name}`);
  block.write(file.name, 0, 100, 'utf8');
  block.write(octal(file.mode, 8), 100, 8, 'ascii');
  block.write(octal(0, 8), 108, 8, 'ascii'); // uid 0: the provider's tar.Header sets no owner
  block.write(octal(0, 8), 116, 8, 'ascii'); // gid 0
  block.write(octal(file.content.length, 12), 124, 12, 'ascii');
  block.write(octal(file.mtime ?? Math.floor(Date.now() / 1000), 12), 136, 12, 'ascii');
  block.write('        ', 148, 8, 'ascii'); // checksum field counts as spaces while summing
  block.write('0', 156, 1, 'ascii'); // regular file
  block.write('ustar\0', 257, 6, 'ascii');
  block.write('00', 263, 2, 'ascii');
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(octal(sum, 7) + ' ', 148, 8, 'ascii');
  return block;
}

/** A ustar archive of `files`, ended by the two zero blocks. */
export function tarOf(files: readonly TarFile[]): Buffer {
  const parts: Buffer[] = [];
  for (const file of files) {
    parts.push(header(file), file.content);
    const padding = (BLOCK - (file.content.length % BLOCK)) % BLOCK;
    parts.push(Buffer.alloc(padding));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

function field(block: Buffer, offset: number, length: number): string {
  const raw = block.subarray(offset, offset + length);
  const end = raw.indexOf(0);
  return raw.subarray(0, end < 0 ? length : end).toString('utf8');
}

/**
 * The regular files of an archive, by path (`prefix/name`). Other entries (directories, links,
 * PAX headers) are skipped; a truncated archive throws.
 */
export function filesOf(archive: Buffer): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (let offset = 0; offset + BLOCK <= archive.length;) {
    const block = archive.subarray(offset, offset + BLOCK);
    if (block.every((byte) => byte === 0)) break;
    const size = parseInt(field(block, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(block[156]);
    const prefix = field(block, 345, 155);
    const name = prefix ? `${prefix}/${field(block, 0, 100)}` : field(block, 0, 100);
    const start = offset + BLOCK;
    if (start + size > archive.length) throw new Error(`tar: ${name} is cut short`);
    if (type === '0' || type === '\0') files.set(name, Buffer.from(archive.subarray(start, start + size)));
    offset = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  return files;
}
