import { describe, it, expect } from 'vitest';
import { ConsoleReporter, formatCaseLine, formatStageLine, formatSummary } from '../../../src/results/console.js';
import { verdictLine } from '../../../src/results/summary.js';
import { countsOf, result, summary } from './fixtures.js';

function sink() {
  const chunks: string[] = [];
  return { chunks, write: (s: string) => chunks.push(s), text: () => chunks.join('') };
}

describe('line formats', () => {
  it('formats stage lines with right-aligned elapsed seconds', () => {
    expect(formatStageLine(12_340, 'build', 'compiling (make -j2)')).toBe('[  12.3s] build: compiling (make -j2)');
    expect(formatStageLine(1_234_567, 'boot', 'up')).toBe('[1234.6s] boot: up');
  });

  it('formats case lines', () => {
    expect(formatCaseLine(result())).toBe('PASS ext4/pin-race/index=5,pin=pread,race=truncate#1  0.52s  racer waited 512 ms');
    expect(formatCaseLine(result({ status: 'error', reason: '', durationMs: 1500 }))).toBe(
      'ERROR ext4/pin-race/index=5,pin=pread,race=truncate#1  1.50s',
    );
    expect(formatCaseLine(result({ status: 'fail', reason: 'no wait' }), true)).toBe(
      '\x1b[31mFAIL\x1b[0m ext4/pin-race/index=5,pin=pread,race=truncate#1  0.52s  no wait',
    );
  });
});

describe('formatSummary', () => {
  const results = [
    result({ timings: { pinMs: 500 } }),
    result({ id: 'a#2', timings: { pinMs: 700 } }),
    result({ id: 'a#3', status: 'fail', reason: 'kernel log: WARNING at fs/dax.c:397 dax_disassociate_entry', timings: { pinMs: 600 } }),
    result({ id: 'x#1', fs: 'xfs', status: 'skip', reason: 'no dax', timings: {} }),
    result({ id: 'x#2', fs: 'xfs', workload: 'mmap-pin', status: 'error', reason: 'guest died', timings: {} }),
  ];

  it('prints counts, timings, failures, stages, totals and the verdict line last', () => {
    const s = summary({ stages: { build: 182_000, boot: 4_200 } }, countsOf(results));
    expect(formatSummary(s, results)).toEqual([
      'Results:',
      '  fs    workload  pass  fail  skip  error',
      '  ext4  pin-race  2     1     0     0',
      '  xfs   mmap-pin  0     0     0     1',
      '  xfs   pin-race  0     0     1     0',
      'Timings (pass and fail cases):',
      '  timing          n  median  min     max',
      '  pin-race.pinMs  3  600 ms  500 ms  700 ms',
      'Failures and errors:',
      '  FAIL a#3: kernel log: WARNING at fs/dax.c:397 dax_disassociate_entry',
      '  ERROR x#2: guest died',
      'Failure rate across repeats:',
      '  1/2 (50%)  a',
      'Stages: build 3m02s, boot 4.20 s',
      'Total: 5 cases in 1m05s (plan smoke, kernel stock, accel kvm)',
      '2 passed, 1 failed, 1 skipped, 1 errors',
    ]);
  });

  it('prints the verdict line even with no results', () => {
    expect(formatSummary(summary(), [])).toEqual(['Total: 0 cases in 1m05s (plan smoke, kernel stock, accel kvm)', '0 passed, 0 failed, 0 skipped, 0 errors']);
  });

  it('elides long failure lists', () => {
    const many = Array.from({ length: 25 }, (_, i) => result({ id: `f#${i}`, status: 'fail', reason: 'r' }));
    const lines = formatSummary(summary({}, countsOf(many)), many);
    expect(lines).toContain('  ... and 5 more');
    expect(lines.filter((l) => l.startsWith('  FAIL '))).toHaveLength(20);
  });

  it('verdict line has the exact CI wording', () => {
    expect(verdictLine({ pass: 1, fail: 0, skip: 2, error: 0 })).toMatch(/^\d+ passed, \d+ failed, \d+ skipped, \d+ errors$/);
  });
});

describe('ConsoleReporter', () => {
  it('prints stage progress relative to the run start, case lines and the summary', () => {
    let t = 1000;
    const out = sink();
    const rep = new ConsoleReporter(out, { color: false, verbose: false, now: () => t });
    rep.onBegin({ plan: 'smoke', kernel: 'stock', cases: 1 });
    t += 12_345;
    rep.onStage('build', 'compiling (make -j2)');
    rep.onCaseEnd(result());
    const r = result();
    rep.onEnd(summary({}, countsOf([r])), [r]);
    const lines = out.text().split('\n');
    expect(lines.slice(0, 3)).toEqual([
      '[   0.0s] run: plan smoke, kernel stock, 1 case',
      '[  12.3s] build: compiling (make -j2)',
      'PASS ext4/pin-race/index=5,pin=pread,race=truncate#1  0.52s  racer waited 512 ms',
    ]);
    expect(lines[3]).toBe('');
    expect(lines.at(-2)).toBe('1 passed, 0 failed, 0 skipped, 0 errors');
    expect(lines.at(-1)).toBe('');
  });

  it('adds kernel log matches, timings and details in verbose mode', () => {
    const out = sink();
    const rep = new ConsoleReporter(out, { color: false, verbose: true });
    rep.onCaseEnd(result({ status: 'fail', reason: 'kernel log: x', klogMatches: ['[ 1.0] WARNING: x'], details: { errno: 16 } }));
    expect(out.text()).toBe(
      [
        'FAIL ext4/pin-race/index=5,pin=pread,race=truncate#1  0.52s  kernel log: x',
        '    klog: [ 1.0] WARNING: x',
        '    timings: pinMs=520 ms, raceReturnAfterReadMs=3 ms',
        '    details: errno=16',
        '',
      ].join('\n'),
    );
  });
});
