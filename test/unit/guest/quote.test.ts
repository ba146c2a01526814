import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { quoteWord, shellQuote } from '../../../src/guest/quote.js';

// What a POSIX shell makes of a quoted command line: the words it would pass to printf.
function wordsAfterShell(argv: string[]): string[] {
  const out = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${shellQuote(argv.length ? argv : [''])}`]);
  return out.toString().split('\0').slice(0, -1);
}

describe('shellQuote', () => {
  it('always quotes the first word: a keyword or an assignment there is run as a command, never parsed', () => {
    for (const first of ['if', 'time', 'FOO=bar', '!', '{']) {
      const r = spawnSync('/bin/sh', ['-c', shellQuote([first, 'x'])], { encoding: 'utf8', env: { PATH: '/nonexistent' } });
      expect(r.status, `${first}: ${r.stderr}`).toBe(127);
      expect(r.stderr).toMatch(/not found/);
    }
  });

  it('leaves plain words alone and quotes the rest', () => {
    expect(shellQuote(['ls', '-l', '/tmp/a_b.c', 'x=1,y'])).toBe("'ls' -l /tmp/a_b.c x=1,y");
    expect(quoteWord('')).toBe("''");
    expect(quoteWord('a b')).toBe("'a b'");
    expect(quoteWord("it's")).toBe("'it'\\''s'");
    expect(quoteWord('$(reboot)')).toBe("'$(reboot)'");
  });

  const nasty = [
    '$(touch /tmp/pwned)',
    '`id`',
    'a; rm -rf /',
    "it's \"quoted\"",
    'line1\nline2',
    '$HOME ${PATH} $1 $@',
    '*?[a]~',
    'a|b&c>d<e',
    '\\back\\slash',
    "'",
    '',
    ' leading and trailing ',
    'tab\there',
    'ünïcødé',
    '#comment',
    '!bang',
  ];

  it('keeps every metacharacter literal when a shell reads it', () => {
    expect(wordsAfterShell(nasty)).toEqual(nasty);
  });

  it('handles each nasty word alone', () => {
    for (const w of nasty) expect(wordsAfterShell([w])).toEqual([w]);
  });

  it('rejects NUL bytes and empty argv', () => {
    expect(() => quoteWord('a\0b')).toThrow(/NUL/);
    expect(() => shellQuote([])).toThrow(/empty/);
  });
});
