// Atomic file replacement: a reader sees the old file or the whole new one, never half.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resultsIoError } from './ioerror.js';

// Best-effort fsync of a directory so the rename itself is durable.
function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some file systems refuse fsync on directories; the data itself is synced.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Write data to `path.tmp-<pid>`, fsync, then rename over path; throws DaxlabError RESULTS_IO. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, 'w', 0o644);
    let off = 0;
    while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    fs.renameSync(tmp, file);
  } catch (err) {
    if (fd !== undefined) {
      try {
        fs.closeSync(fd);
      } catch {
        // already failing; report the first error
      }
    }
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // leave the temporary file; the target is untouched
    }
    throw resultsIoError('write', file, err);
  }
  fsyncDir(path.dirname(path.resolve(file)));
}
