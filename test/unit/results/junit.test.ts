import { describe, it, expect } from 'vitest';
import { toJUnit, xmlAttr, xmlText } from '../../../src/results/junit.js';
import { countsOf, result, summary } from './fixtures.js';

describe('xml escaping', () => {
  it('escapes the five XML specials', () => {
    expect(xmlText(`a & b < c > d "e" 'f'`)).toBe('a &amp; b &lt; c &gt; d &quot;e&quot; &apos;f&apos;');
  });

  it('strips control characters, ANSI colors and lone surrogates but keeps tabs, newlines and emoji', () => {
    expect(xmlText('a\x00b\x07c\x1bd\x7fe\tf\ng\r')).toBe('abcde\tf\ng\r');
    expect(xmlText('\x1b[31mFAIL\x1b[0m')).toBe('FAIL');
    expect(xmlText('x\uD800y\uDC00z 😀')).toBe('xyz 😀');
  });

  it('encodes whitespace in attributes as character references', () => {
    expect(xmlAttr('a\tb\nc\rd')).toBe('a&#9;b&#10;c&#13;d');
  });
});

describe('toJUnit', () => {
  it('renders suites per kernel/backend/fs with counts, failures, skips and errors', () => {
    const results = [
      result({ durationMs: 520 }),
      result({
        id: 'ext4/pin-race/index=5,pin=pread,race=truncate#2',
        status: 'fail',
        reason: 'kernel log: WARNING at fs/dax.c:397 dax_disassociate_entry',
        klogMatches: ['[   42.118921] WARNING: CPU: 1 PID: 215 at fs/dax.c:397 dax_disassociate_entry.constprop.0+0x5d/0x70'],
        timings: { pinMs: 512 },
        details: { errno: 0 },
        durationMs: 1250,
      }),
      result({ id: 'xfs/pin-race/x#1', fs: 'xfs', status: 'skip', reason: 'xfs <no dax> & "reflink"', timings: {}, durationMs: 0 }),
      result({ id: 'xfs/pin-race/y#1', fs: 'xfs', status: 'error', reason: 'guest\x00 died', timings: {}, durationMs: 30000.4 }),
    ];
    const xml = toJUnit(summary({ plan: 'smoke & co', durationMs: 65_432 }, countsOf(results)), results);
    expect(xml).toBe(
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<testsuites name="daxlab smoke &amp; co" tests="4" failures="1" errors="1" skipped="1" time="65.432">',
        '  <testsuite name="stock/pmem/ext4" tests="2" failures="1" errors="0" skipped="0" time="1.770" timestamp="2025-01-02T03:04:00.000Z">',
        '    <testcase classname="daxlab.ext4.pin-race" name="ext4/pin-race/index=5,pin=pread,race=truncate#1" time="0.520"/>',
        '    <testcase classname="daxlab.ext4.pin-race" name="ext4/pin-race/index=5,pin=pread,race=truncate#2" time="1.250">',
        '      <failure message="kernel log: WARNING at fs/dax.c:397 dax_disassociate_entry">kernel log: WARNING at fs/dax.c:397 dax_disassociate_entry',
        'kernel log:',
        '  [   42.118921] WARNING: CPU: 1 PID: 215 at fs/dax.c:397 dax_disassociate_entry.constprop.0+0x5d/0x70',
        'timings (ms):',
        '  pinMs = 512',
        'details:',
        '  errno = 0</failure>',
        '    </testcase>',
        '  </testsuite>',
        '  <testsuite name="stock/pmem/xfs" tests="2" failures="0" errors="1" skipped="1" time="30.000" timestamp="2025-01-02T03:04:00.000Z">',
        '    <testcase classname="daxlab.xfs.pin-race" name="xfs/pin-race/x#1" time="0.000">',
        '      <skipped message="xfs &lt;no dax&gt; &amp; &quot;reflink&quot;"/>',
        '    </testcase>',
        '    <testcase classname="daxlab.xfs.pin-race" name="xfs/pin-race/y#1" time="30.000">',
        '      <error message="guest died">guest died</error>',
        '    </testcase>',
        '  </testsuite>',
        '</testsuites>',
        '',
      ].join('\n'),
    );
  });

  it('renders an empty run as an empty testsuites element', () => {
    expect(toJUnit(summary({ durationMs: 0 }), [])).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="daxlab smoke" tests="0" failures="0" errors="0" skipped="0" time="0.000">\n</testsuites>\n',
    );
  });

  it('separates suites by kernel and backend too', () => {
    const xml = toJUnit(summary(), [result(), result({ kernel: 'fixed' }), result({ backend: 'virtio-pmem' })]);
    expect(xml.match(/<testsuite name="[^"]+"/g)).toEqual([
      '<testsuite name="stock/pmem/ext4"',
      '<testsuite name="fixed/pmem/ext4"',
      '<testsuite name="stock/virtio-pmem/ext4"',
    ]);
  });

  it('separates suites by target: the same case on two targets is two testcases in two suites', () => {
    const xml = toJUnit(summary(), [result({ target: 'local' }), result({ target: 'kvm1' }), result()]);
    expect(xml.match(/<testsuite name="[^"]+"/g)).toEqual(['<testsuite name="stock/pmem/ext4"', '<testsuite name="stock@kvm1/pmem/ext4"']);
  });
});
