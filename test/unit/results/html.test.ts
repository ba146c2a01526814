// The HTML pages as strings: escaping, SVG plots, the report's sections, the history model and page.
import { describe, expect, it } from 'vitest';
import { formatHistory } from '../../../src/cli/history-command.js';
import { buildHistory, type HistoryRun } from '../../../src/results/history.js';
import { esc } from '../../../src/results/html/escape.js';
import { historyHtml, sinceText } from '../../../src/results/html/history-page.js';
import { reportHtml } from '../../../src/results/html/report-page.js';
import { niceTicks, stripPlot, trendPlot } from '../../../src/results/html/svg.js';
import type { CaseResult } from '../../../src/results/types.js';
import { countsOf, result, summary } from './fixtures.js';

describe('escaping', () => {
  it('escapes markup and quotes, drops ANSI colours and control characters', () => {
    expect(esc(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(esc('\x1b[31mFAIL\x1b[0m\x00\x07 ok\n')).toBe('FAIL ok\n');
    expect(esc(undefined)).toBe('');
  });
});

describe('svg', () => {
  it('picks round ticks', () => {
    expect(niceTicks(-420, 20)).toEqual([-400, -300, -200, -100, 0]);
    expect(niceTicks(-55, 10)).toEqual([-40, -20, 0]);
    expect(niceTicks(5, 5)).toEqual([5]);
  });

  it('draws one circle per point, groups side by side, labelled lines, everything escaped', () => {
    const svg = stripPlot({
      id: 'p<1>', title: 'T & t', unit: 'ms',
      groups: [{ label: 'a"b', points: [{ value: 1, cls: 's-pass', title: '<x>' }, { value: -390, cls: 's-fail', title: 'y' }] }, { label: 'c', points: [{ value: 2, cls: 's-pass', title: 'z' }] }],
      lines: [{ value: -50, label: 'tolerance -50 ms', cls: 'tolerance' }],
    });
    expect(svg.match(/<circle /g)).toHaveLength(3);
    expect(svg).toContain('data-plot="p&lt;1&gt;"');
    expect(svg).toContain('data-group="a&quot;b"');
    expect(svg).toContain('<title>&lt;x&gt;</title>');
    expect(svg).toContain('>tolerance -50 ms</text>');
    expect(svg).not.toContain('<x>');
    const t = trendPlot({ id: 'h', title: 'h', unit: 'ms', xLabels: ['#1', '#2'], series: [{ label: 's', points: [{ x: 0, y: 1, title: 'a' }, { x: 1, y: -390, title: 'b' }] }], lines: [] });
    expect(t.match(/<polyline /g)).toHaveLength(1);
    expect(t.match(/<circle /g)).toHaveLength(2);
  });
});

function runOf(kernel: string, startedAt: string, rs: CaseResult[]): HistoryRun {
  return { source: `/r/${kernel}`, summary: summary({ kernel, startedAt }, countsOf(rs)), results: rs };
}
const c = (id: string, status: CaseResult['status'], v: number, kernel = 'k') =>
  result({ id, status, kernel, timings: { raceAfterPinMs: v } });

describe('report page', () => {
  const rs = [c('a#1', 'pass', 1.5), c('a#2', 'fail', -390), result({ id: 'b#1', status: 'skip', reason: '<img src=x onerror=alert(1)>', timings: {} })];
  const html = reportHtml([{ summary: summary({}, countsOf(rs)), results: rs, source: '/r', linkBase: '', logs: ['serial.log', 'build/build.log'] }]);

  it('is one self-contained page: CSP forbidding fetches, one inline script, no external URL', () => {
    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'/);
    expect(html.match(/<script>/g)).toHaveLength(1);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('has the summary, the oracle plot with the tolerance line, failure rates, the case table and log links', () => {
    expect(html).toContain('<h2>Summary by kernel, target and filesystem</h2>');
    expect(html).toContain('data-plot="pin-race"');
    expect(html).toContain('tolerance -50 ms');
    expect(html).toContain('1/2 (50%)');
    expect(html.match(/<tr class="case"/g)).toHaveLength(3);
    expect(html).toContain('<a href="serial.log">serial.log</a>');
    expect(html).toContain('<a href="build/build.log">build.log</a>');
    expect(html).not.toContain('id="history"');
  });
});

describe('history', () => {
  const runs = [
    runOf('stock', '2026-12-01T00:00:00Z', [c('a#1', 'pass', 1), c('a#2', 'pass', 3), c('b#1', 'fail', -390), c('d#1', 'pass', 2)]),
    runOf('seed', '2026-12-03T00:00:00Z', [c('a#1', 'fail', -390), c('a#2', 'fail', -392), c('b#1', 'fail', -391), c('d#1', 'pass', 2)]),
    runOf('seed2', '2026-12-02T00:00:00Z', [c('a#1', 'pass', 2), c('b#1', 'fail', -389), c('d#1', 'fail', -300)]),
  ];
  const h = buildHistory(runs);

  it('orders runs by start time and follows each case', () => {
    expect(h.runs.map((r) => r.summary.kernel)).toEqual(['stock', 'seed2', 'seed']);
    const a = h.cases.find((x) => x.key === 'a')!;
    expect(a.runs.map((r) => r?.outcome)).toEqual(['pass', 'pass', 'fail']);
    expect(a.runs.map((r) => r?.median)).toEqual([2, 2, -391]);
    expect(a.failingSince).toEqual({ run: 2, afterPass: true });
    expect(a.rate).toMatchObject({ failed: 2, ran: 5 });
    expect(a.timing).toBe('raceAfterPinMs');
    expect(h.cases.find((x) => x.key === 'b')!.failingSince).toEqual({ run: 0, afterPass: false });
    expect(h.cases.find((x) => x.key === 'd')!.lastFailed).toBe(1);
  });

  it('says since when in words, as text and as a page', () => {
    const a = h.cases.find((x) => x.key === 'a')!;
    expect(sinceText(a, h)).toBe('since #3 seed (2026-12-03T00:00:00Z)');
    const text = formatHistory(h);
    expect(text[0]).toBe('History of 3 runs:');
    expect(text.find((l) => l.includes('  a  '))).toMatch(/a\s+fail\s+since #3 seed \(2026-12-03T00:00:00Z\)\s+2\/5 \(40%\)\s+raceAfterPinMs: 2 ms -> 2 ms -> -391 ms/);
    const page = historyHtml(h);
    expect(page).toContain('data-plot="history-pin-race"');
    expect(page.match(/<g class="series/g)).toHaveLength(3);
    expect(page.match(/<tr class="case"/g)).toHaveLength(3);
  });
});
