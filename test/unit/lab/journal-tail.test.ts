import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { completeLines, JournalTail } from '../../../src/lab/journal-tail.js';
import type { RunEvent } from '../../../src/results/types.js';
import { tempDirs } from '../temp-dirs.js';

const tmp = tempDirs('daxlab-journal-tail-');

describe('completeLines', () => {
  it('splits complete lines and keeps what follows the last newline', () => {
    expect(completeLines('a\nb\nc')).toEqual({ lines: ['a', 'b'], rest: 'c' });
    expect(completeLines('a\nb\n')).toEqual({ lines: ['a', 'b'], rest: '' });
  });

  it('gives no line before the first newline', () => {
    expect(completeLines('{"type":"beg')).toEqual({ lines: [], rest: '{"type":"beg' });
    expect(completeLines('')).toEqual({ lines: [], rest: '' });
  });

  it('drops empty lines', () => {
    expect(completeLines('\n\na\n\nb\n')).toEqual({ lines: ['a', 'b'], rest: '' });
    expect(completeLines('\n')).toEqual({ lines: [], rest: '' });
  });
});

const begin: RunEvent = { type: 'begin', plan: 'smoke', kernel: 'stock', cases: 2 };
const stage: RunEvent = { type: 'stage', stage: 'boot', message: 'up — ünïcode' };
const stage2: RunEvent = { type: 'stage', stage: 'setup', message: 'mkfs' };
const line = (e: RunEvent) => `${JSON.stringify(e)}\n`;

describe('JournalTail', () => {
  it('gives nothing for a file that is not there yet, then its events once it appears', async () => {
    const file = join(tmp(), 'events.jsonl');
    const tail = new JournalTail(file);
    expect(await tail.poll()).toEqual([]);
    expect(await tail.poll()).toEqual([]);
    writeFileSync(file, line(begin));
    expect(await tail.poll()).toEqual([begin]);
  });

  it('returns each complete line once, in order, and a torn line only when its newline arrives', async () => {
    const file = join(tmp(), 'events.jsonl');
    const tail = new JournalTail(file);
    const s = line(stage);
    writeFileSync(file, line(begin) + s.slice(0, 10));
    expect(await tail.poll()).toEqual([begin]);
    expect(await tail.poll()).toEqual([]); // nothing new
    appendFileSync(file, s.slice(10, -1)); // all of the line but its newline
    expect(await tail.poll()).toEqual([]);
    appendFileSync(file, '\n');
    expect(await tail.poll()).toEqual([stage]);
    expect(await tail.poll()).toEqual([]);
    appendFileSync(file, line(stage2) + line(begin));
    expect(await tail.poll()).toEqual([stage2, begin]);
  });

  it('reads a journal written a byte at a time', async () => {
    const file = join(tmp(), 'events.jsonl');
    writeFileSync(file, '');
    const tail = new JournalTail(file);
    const text = line(begin) + line(stage2);
    const got: RunEvent[] = [];
    for (const ch of text) {
      appendFileSync(file, ch);
      got.push(...(await tail.poll()));
    }
    expect(got).toEqual([begin, stage2]);
  });

  it('two tails of one file each see every event', async () => {
    const file = join(tmp(), 'events.jsonl');
    writeFileSync(file, line(begin));
    const a = new JournalTail(file);
    expect(await a.poll()).toEqual([begin]);
    appendFileSync(file, line(stage2));
    const b = new JournalTail(file);
    expect(await b.poll()).toEqual([begin, stage2]);
    expect(await a.poll()).toEqual([stage2]);
  });
});

describe('JournalTail across a multi-byte character', () => {
  it('decodes a character whose bytes arrive in two polls', async () => {
    const file = join(tmp(), 'events.jsonl');
    const line = Buffer.from('{"type":"stage","stage":"boot","message":"ü"}\n', 'utf8');
    const cut = line.indexOf(0xc3) + 1;
    writeFileSync(file, line.subarray(0, cut));
    const tail = new JournalTail(file);
    expect(await tail.poll()).toEqual([]);
    appendFileSync(file, line.subarray(cut));
    expect(await tail.poll()).toEqual([{ type: 'stage', stage: 'boot', message: 'ü' }]);
  });
});
