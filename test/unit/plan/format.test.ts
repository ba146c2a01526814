import { describe, expect, it } from 'vitest';
import { formatIssues } from '../../../src/plan/format.js';

describe('formatIssues', () => {
  it('formats file:line: field: message', () => {
    expect(formatIssues([{ file: 'p.yaml', line: 7, field: 'workloads[1].params.index[0]', message: 'bad' }])).toEqual([
      'p.yaml:7: workloads[1].params.index[0]: bad',
    ]);
  });

  it('leaves out an empty field and a zero line', () => {
    expect(
      formatIssues([
        { file: 'p.yaml', line: 2, field: '', message: 'Map keys must be unique' },
        { file: '<command line>', line: 0, field: '--patch', message: 'patch file not found: /x' },
      ]),
    ).toEqual(['p.yaml:2: Map keys must be unique', '<command line>: --patch: patch file not found: /x']);
  });

  it('keeps order and handles no issues', () => {
    expect(formatIssues([])).toEqual([]);
  });
});
