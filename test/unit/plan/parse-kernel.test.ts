import { describe, expect, it } from 'vitest';
import { parseLines, triples } from './fixtures.js';

describe('kernel.source', () => {
  it('"debian" means linux-source-6.12', () => {
    expect(parseLines('kernel: { source: debian }').plan?.kernel.source).toEqual({ kind: 'debian', package: 'linux-source-6.12' });
  });

  it('{debian: pkg} names another package', () => {
    expect(parseLines('kernel: { source: { debian: linux-source-6.13 } }').plan?.kernel.source).toEqual({
      kind: 'debian',
      package: 'linux-source-6.13',
    });
  });

  it('{path: dir} resolves from the plan directory', () => {
    expect(parseLines('kernel: { source: { path: ../src/linux } }').plan?.kernel.source).toEqual({ kind: 'dir', path: '/src/linux' });
  });

  it('{git: repo, ref} is a git source; ref defaults to HEAD', () => {
    expect(parseLines('kernel: { source: { git: /src/linux, ref: v6.12 } }').plan?.kernel.source).toEqual({
      kind: 'git',
      repo: '/src/linux',
      ref: 'v6.12',
    });
    expect(parseLines('kernel: { source: { git: /src/linux } }').plan?.kernel.source).toEqual({
      kind: 'git',
      repo: '/src/linux',
      ref: 'HEAD',
    });
  });

  it('rejects other strings', () => {
    expect(triples(parseLines('kernel:', '  source: ubuntu').issues)).toEqual([
      [2, 'kernel.source', "expected 'debian' or a mapping with one of: debian, path, git; got string 'ubuntu'"],
    ]);
  });

  it('rejects a list', () => {
    expect(triples(parseLines('kernel:', '  source: [debian]').issues)).toEqual([
      [2, 'kernel.source', 'expected a mapping, got a list'],
    ]);
  });

  it('needs exactly one kind', () => {
    expect(triples(parseLines('kernel:', '  source:', '    ref: v1').issues)).toEqual([
      [3, 'kernel.source', 'expected exactly one of: debian, path, git; found none'],
    ]);
    expect(triples(parseLines('kernel:', '  source: { path: /src/linux, git: /src/linux }').issues)).toEqual([
      [2, 'kernel.source', 'expected exactly one of: debian, path, git; found path, git'],
    ]);
  });

  it('rejects unknown keys in the source mapping', () => {
    expect(triples(parseLines('kernel:', '  source:', '    git: /src/linux', '    branch: main').issues)).toEqual([
      [4, 'kernel.source.branch', "unknown key 'branch'; expected one of: debian, path, git, ref"],
    ]);
  });

  it('ref only goes with git', () => {
    expect(triples(parseLines('kernel:', '  source:', '    path: /src/linux', '    ref: v1').issues)).toEqual([
      [4, 'kernel.source.ref', "'ref' only applies to a git source"],
    ]);
  });

  it('reports a missing source directory or repository', () => {
    expect(triples(parseLines('kernel:', '  source:', '    path: ../nowhere').issues)).toEqual([
      [3, 'kernel.source.path', 'source directory not found: /nowhere'],
    ]);
    expect(triples(parseLines('kernel:', '  source:', '    git: ../nowhere').issues)).toEqual([
      [3, 'kernel.source.git', 'git repository not found: /nowhere'],
    ]);
  });

  it('rejects a malformed Debian package name', () => {
    expect(triples(parseLines('kernel:', '  source:', '    debian: "-o Dpkg::foo"').issues)).toEqual([
      [3, 'kernel.source.debian', "'-o Dpkg::foo' is not a valid Debian package name"],
    ]);
  });

  it('rejects a git ref that looks like an option or has spaces', () => {
    expect(triples(parseLines('kernel:', '  source:', '    git: /src/linux', '    ref: --upload-pack=x').issues)).toEqual([
      [4, 'kernel.source.ref', "git ref '--upload-pack=x' must not start with '-'"],
    ]);
    expect(triples(parseLines('kernel:', '  source:', '    git: /src/linux', '    ref: a b').issues)).toEqual([
      [4, 'kernel.source.ref', "git ref 'a b' must not contain spaces or control characters"],
    ]);
  });

  it('rejects a non-string path', () => {
    expect(triples(parseLines('kernel:', '  source:', '    path: 5').issues)).toEqual([
      [3, 'kernel.source.path', 'expected a string, got number 5'],
    ]);
  });
});

describe('kernel.patches', () => {
  it('reports every missing patch at its own line', () => {
    const { plan, issues } = parseLines('kernel:', '  patches:', '    - a.patch', '    - missing-1.patch', '    - b.mbox', '    - /abs/missing-2.patch');
    expect(plan).toBeUndefined();
    expect(triples(issues)).toEqual([
      [4, 'kernel.patches[1]', 'patch file not found: /plans/missing-1.patch'],
      [6, 'kernel.patches[3]', 'patch file not found: /abs/missing-2.patch'],
    ]);
  });

  it('rejects non-string entries and non-lists', () => {
    expect(triples(parseLines('kernel:', '  patches:', '    - [a.patch]', '    - 7').issues)).toEqual([
      [3, 'kernel.patches[0]', 'expected a string, got a list'],
      [4, 'kernel.patches[1]', 'expected a string, got number 7'],
    ]);
    expect(triples(parseLines('kernel:', '  patches: { a: 1 }').issues)).toEqual([
      [2, 'kernel.patches', 'expected a list, got a mapping'],
    ]);
  });

  it('keeps patch order', () => {
    expect(parseLines('kernel: { patches: [b.mbox, a.patch] }').plan?.kernel.patches).toEqual(['/plans/b.mbox', '/plans/a.patch']);
  });
});

describe('kernel.configs', () => {
  it('reports a missing bare fragment and a missing path', () => {
    const { issues } = parseLines('kernel:', '  configs:', '    - base', '    - nosuch', '    - ./nosuch.config');
    expect(triples(issues)).toEqual([
      [4, 'kernel.configs[1]', "config fragment 'nosuch' not found: /repo/kernel-configs/nosuch.config"],
      [5, 'kernel.configs[2]', 'config fragment not found: /plans/nosuch.config'],
    ]);
  });

  it('a name with a dot is a path relative to the plan file', () => {
    expect(parseLines('kernel: { configs: [extra.config] }').plan?.kernel.configs).toEqual(['/plans/extra.config']);
  });

  it('an empty list means no fragments', () => {
    expect(parseLines('kernel: { configs: [] }').plan?.kernel.configs).toEqual([]);
  });
});
