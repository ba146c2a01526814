import { describe, it, expect } from 'vitest';
import { DaxlabError } from '../../../src/errors.js';
import { fromJsonReport, toJsonReport } from '../../../src/results/json.js';
import { countsOf, result, summary } from './fixtures.js';

describe('toJsonReport / fromJsonReport', () => {
  const results = [result(), result({ id: 'b', status: 'fail', timings: { pinMs: 700 } })];
  const s = summary({}, countsOf(results));

  it('bundles schema, summary, stats and results', () => {
    const report = toJsonReport(s, results);
    expect(report.schema).toBe('daxlab/1');
    expect(report.summary).toBe(s);
    expect(report.results).toBe(results);
    expect(Object.keys(report.stats)).toEqual(['pin-race.pinMs', 'pin-race.raceReturnAfterReadMs']);
    expect(report.stats['pin-race.pinMs']?.median).toBe(610);
  });

  it('round-trips through JSON text', () => {
    const back = fromJsonReport(JSON.parse(JSON.stringify(toJsonReport(s, results))));
    expect(back).toEqual({ summary: s, results });
  });

  it('fills missing timings and klogMatches of hand-edited results', () => {
    const back = fromJsonReport({ schema: 'daxlab/1', summary: s, results: [{ id: 'a', status: 'pass' }] });
    expect(back.results[0]).toMatchObject({ timings: {}, klogMatches: [] });
  });

  it.each([
    [null, /not a JSON object/],
    [{ schema: 'daxlab/0', summary: {}, results: [] }, /schema is "daxlab\/0"/],
    [{ schema: 'daxlab/1', results: [] }, /summary missing/],
    [{ schema: 'daxlab/1', summary: {} }, /results missing/],
    [{ schema: 'daxlab/1', summary: {}, results: [{ id: 1 }] }, /results\[0\]/],
  ])('rejects %j', (value, re) => {
    expect(() => fromJsonReport(value, 'old.json')).toThrow(DaxlabError);
    expect(() => fromJsonReport(value, 'old.json')).toThrow(re);
  });
});
