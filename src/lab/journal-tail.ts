// Follow a run's events.jsonl while the run writes it: each complete line once, in order; a torn
// last line waits for its newline.
import { open } from 'node:fs/promises';
import type { RunEvent } from '../results/types.js';

/** Pure: the complete lines of `text` and what is left after the last newline. */
export function completeLines(text: string): { lines: string[]; rest: string } {
  const cut = text.lastIndexOf('\n');
  if (cut < 0) return { lines: [], rest: text };
  return { lines: text.slice(0, cut).split('\n').filter((l) => l !== ''), rest: text.slice(cut + 1) };
}

/** Reads new events from a journal file on each poll(); a file not there yet has none. */
export class JournalTail {
  private offset = 0;
  private rest = Buffer.alloc(0);

  constructor(private readonly file: string) {}

  /** The events appended since the last poll. */
  async poll(): Promise<RunEvent[]> {
    let fh;
    try {
      fh = await open(this.file, 'r');
    } catch {
      return [];
    }
    try {
      const { size } = await fh.stat();
      if (size <= this.offset) return [];
      const buf = Buffer.alloc(size - this.offset);
      const { bytesRead } = await fh.read(buf, 0, buf.length, this.offset);
      this.offset += bytesRead;
      // Cut at the last newline byte before decoding: a character split across two polls stays whole.
      const bytes = Buffer.concat([this.rest, buf.subarray(0, bytesRead)]);
      const cut = bytes.lastIndexOf(0x0a);
      this.rest = bytes.subarray(cut + 1);
      if (cut < 0) return [];
      return completeLines(bytes.subarray(0, cut + 1).toString('utf8')).lines.map((l) => JSON.parse(l) as RunEvent);
    } finally {
      await fh.close();
    }
  }
}
