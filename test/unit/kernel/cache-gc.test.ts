import { describe, expect, it } from 'vitest';
import { archiveListingProblem } from '../../../src/kernel/cache-archive.js';
import { planGc, type CacheEntry } from '../../../src/kernel/cache-entries.js';
import { formatAge, formatBytes } from '../../../src/cli/cache-command.js';

const DAY = 86_400_000;
const NOW = 100 * DAY;
const e = (key: string, ageDays: number, gib: number, extra: Partial<CacheEntry> = {}): CacheEntry => ({
  kind: 'kernel', key, path: `/c/kernels/${key}`, label: key, bytes: gib * 1024 ** 3, lastUse: NOW - ageDays * DAY, inUse: false, ...extra,
});
const keys = (l: CacheEntry[]) => l.map((x) => x.key);

describe('planGc', () => {
  it('removes entries unused for longer than max-age, never one in use', () => {
    const l = [e('new', 1, 1), e('old', 10, 1), e('oldUsed', 10, 1, { inUse: true })];
    expect(keys(planGc(l, { maxAgeDays: 5, now: NOW }))).toEqual(['old']);
  });

  it('then removes least recently used entries until the rest fits max-size, skipping those in use', () => {
    const l = [e('a', 1, 2), e('b', 3, 2), e('c', 2, 2, { inUse: true }), e('d', 5, 2)];
    expect(keys(planGc(l, { maxBytes: 4 * 1024 ** 3, now: NOW }))).toEqual(['b', 'd']);
    expect(keys(planGc(l, { maxBytes: 0, now: NOW }))).toEqual(['a', 'b', 'd']);
    expect(keys(planGc(l, { maxBytes: 100 * 1024 ** 3, now: NOW }))).toEqual([]);
  });

  it('always removes leftovers of interrupted writes older than a day', () => {
    const l = [e('x.tmp-1', 2, 0, { kind: 'leftover' }), e('y.tmp-2', 0.1, 0, { kind: 'leftover' })];
    expect(keys(planGc(l, { maxAgeDays: 30, now: NOW }))).toEqual(['x.tmp-1']);
  });
});

describe('archiveListingProblem', () => {
  const ok = [
    'drwxr-xr-x 0/0               0 1970-01-01 00:00 kernels/0123456789abcdef/',
    '-rw-r--r-- 0/0         3187712 1970-01-01 00:00 kernels/0123456789abcdef/bzImage',
    '-rwxr-xr-x 0/0           81920 1970-01-01 00:00 kernels/0123456789abcdef/selftests/gup_test',
  ];
  it('accepts plain files and directories under kernels/<key>/', () => {
    expect(archiveListingProblem(ok.join('\n'))).toBeNull();
  });
  it('refuses links, devices, other paths and ..', () => {
    expect(archiveListingProblem([...ok, 'lrwxrwxrwx 0/0 0 1970-01-01 00:00 kernels/0123456789abcdef/x -> /etc/passwd'].join('\n'))).toBe('kernels/0123456789abcdef/x is not a plain file or directory (type l)');
    expect(archiveListingProblem('hrw-r--r-- 0/0 0 1970-01-01 00:00 kernels/0123456789abcdef/y link to kernels/0123456789abcdef/bzImage')).toMatch(/type h/);
    expect(archiveListingProblem('-rw-r--r-- 0/0 1 1970-01-01 00:00 etc/cron.d/x')).toBe('etc/cron.d/x is outside kernels/<key>/');
    expect(archiveListingProblem('-rw-r--r-- 0/0 1 1970-01-01 00:00 kernels/0123456789abcdef/../../x')).toMatch(/outside/);
    expect(archiveListingProblem('-rw-r--r-- 0/0 1 1970-01-01 00:00 kernels/NOTAKEY/x')).toMatch(/outside/);
    expect(archiveListingProblem('')).toBe('the archive is empty');
  });
});

describe('formatting', () => {
  it('sizes and ages for people', () => {
    expect(formatBytes(3 * 1024 ** 2 + 200 * 1024)).toBe('3.2 MiB');
    expect(formatBytes(2.4 * 1024 ** 3)).toBe('2.40 GiB');
    expect(formatAge(5 * 60_000)).toBe('5 min');
    expect(formatAge(3 * 3600_000)).toBe('3 h');
    expect(formatAge(12 * DAY)).toBe('12 d');
  });
});
