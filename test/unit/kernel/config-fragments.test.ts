import { describe, expect, it } from 'vitest';
import {
  applyConfig,
  badFragmentLines,
  mergeFragments,
  parseConfig,
  renderConfig,
  verifyConfig,
} from '../../../src/kernel/config-fragments.js';

// A slice of an x86_64 tinyconfig .config, as make writes it.
const TINY = `#
# Automatically generated file; DO NOT EDIT.
# Linux/x86 6.12.0 Kernel Configuration
#
CONFIG_CC_VERSION_TEXT="gcc (Debian 12.2.0-14) 12.2.0"
CONFIG_64BIT=y
CONFIG_MMU=y
# CONFIG_TRANSPARENT_HUGEPAGE is not set
# CONFIG_ZONE_DEVICE is not set
CONFIG_NR_CPUS=8
CONFIG_PRINTK=y
`;

describe('parseConfig', () => {
  it('reads settings, unset comments, strings and numbers; ignores other lines', () => {
    const v = parseConfig(TINY);
    expect(v.get('CONFIG_64BIT')).toBe('y');
    expect(v.get('CONFIG_TRANSPARENT_HUGEPAGE')).toBe('n');
    expect(v.get('CONFIG_CC_VERSION_TEXT')).toBe('"gcc (Debian 12.2.0-14) 12.2.0"');
    expect(v.get('CONFIG_NR_CPUS')).toBe('8');
    expect([...v.keys()]).toHaveLength(7);
  });

  it('tolerates CRLF and indentation, later lines win', () => {
    const v = parseConfig('  CONFIG_A=y\r\nCONFIG_B=m\r\nCONFIG_A=n\r\n');
    expect(v).toEqual(new Map([['CONFIG_A', 'n'], ['CONFIG_B', 'm']]));
  });

  it('does not take a commented-out setting', () => {
    expect(parseConfig('# CONFIG_A=y\n#CONFIG_B is not set\n').size).toBe(0);
  });
});

describe('badFragmentLines', () => {
  it('reports lines that are not settings, with 1-based numbers', () => {
    expect(badFragmentLines('CONFIG_A=y\n# comment\n\nDEV_DAX=y\n  CONFIG_B = y\n')).toEqual([
      { line: 4, text: 'DEV_DAX=y' },
      { line: 5, text: '  CONFIG_B = y' },
    ]);
  });
});

describe('mergeFragments', () => {
  it('merges in order, later wins, and reports each real override', () => {
    const { values, overrides } = mergeFragments([
      { file: 'base.config', text: 'CONFIG_DAX=y\nCONFIG_FS_DAX=y\n# CONFIG_DEBUG_VM is not set\n' },
      { file: 'debug.config', text: 'CONFIG_DEBUG_VM=y\nCONFIG_DAX=y\n' },
      { file: 'nodax.config', text: '# CONFIG_FS_DAX is not set\n' },
    ]);
    expect(values).toEqual(
      new Map([
        ['CONFIG_DAX', 'y'],
        ['CONFIG_FS_DAX', 'n'],
        ['CONFIG_DEBUG_VM', 'y'],
      ]),
    );
    expect(overrides).toEqual([
      { symbol: 'CONFIG_DEBUG_VM', from: 'n', to: 'y', file: 'debug.config' },
      { symbol: 'CONFIG_FS_DAX', from: 'y', to: 'n', file: 'nodax.config' },
    ]);
  });

  it('handles no fragments', () => {
    expect(mergeFragments([])).toEqual({ values: new Map(), overrides: [] });
  });
});

describe('renderConfig', () => {
  it('renders in insertion order with "is not set" for n, and parses back', () => {
    const values = new Map([
      ['CONFIG_B', 'y'],
      ['CONFIG_A', 'n'],
      ['CONFIG_CMDLINE', '"console=ttyS0"'],
    ]);
    const text = renderConfig(values);
    expect(text).toBe('CONFIG_B=y\n# CONFIG_A is not set\nCONFIG_CMDLINE="console=ttyS0"\n');
    expect(parseConfig(text)).toEqual(values);
  });
});

describe('applyConfig', () => {
  it('removes existing lines (set or unset) for requested symbols and appends them in order', () => {
    const out = applyConfig(
      TINY,
      new Map([
        ['CONFIG_TRANSPARENT_HUGEPAGE', 'y'],
        ['CONFIG_PRINTK', 'n'],
        ['CONFIG_DEV_DAX', 'y'],
        ['CONFIG_NR_CPUS', '4'],
      ]),
    );
    const untouched = TINY.split('\n').filter((l) => !/TRANSPARENT_HUGEPAGE|PRINTK|NR_CPUS/.test(l) && l !== '');
    expect(out).toBe(
      [...untouched, 'CONFIG_TRANSPARENT_HUGEPAGE=y', '# CONFIG_PRINTK is not set', 'CONFIG_DEV_DAX=y', 'CONFIG_NR_CPUS=4'].join('\n') + '\n',
    );
    expect(parseConfig(out).get('CONFIG_ZONE_DEVICE')).toBe('n');
    expect(out.match(/CONFIG_NR_CPUS/g)).toHaveLength(1);
  });

  it('puts a requested choice member after the base one (Kconfig keeps the last =y)', () => {
    const base = 'CONFIG_UNWINDER_GUESS=y\n# CONFIG_UNWINDER_ORC is not set\nCONFIG_X=y\n';
    const out = applyConfig(base, new Map([['CONFIG_UNWINDER_ORC', 'y'], ['CONFIG_UNWINDER_GUESS', 'n']]));
    expect(out).toBe('CONFIG_X=y\nCONFIG_UNWINDER_ORC=y\n# CONFIG_UNWINDER_GUESS is not set\n');
    const keep = applyConfig(base, new Map([['CONFIG_UNWINDER_ORC', 'y']]));
    expect(keep.indexOf('CONFIG_UNWINDER_ORC=y')).toBeGreaterThan(keep.indexOf('CONFIG_UNWINDER_GUESS=y'));
  });

  it('ends with exactly one newline', () => {
    expect(applyConfig('CONFIG_A=y\n\n\n', new Map([['CONFIG_B', 'y']]))).toBe('CONFIG_A=y\nCONFIG_B=y\n');
    expect(applyConfig('CONFIG_A=y\n', new Map())).toBe('CONFIG_A=y\n');
  });
});

describe('verifyConfig', () => {
  it('reports an option Kconfig dropped as got n', () => {
    const dropped = verifyConfig(new Map([['CONFIG_DEV_DAX', 'y'], ['CONFIG_MMU', 'y']]), TINY);
    expect(dropped).toEqual([{ symbol: 'CONFIG_DEV_DAX', wanted: 'y', got: 'n' }]);
  });

  it('reports a changed value and a demoted module', () => {
    const final = 'CONFIG_NR_CPUS=64\nCONFIG_DAX=y\n';
    expect(verifyConfig(new Map([['CONFIG_NR_CPUS', '8'], ['CONFIG_DAX', 'm']]), final)).toEqual([
      { symbol: 'CONFIG_NR_CPUS', wanted: '8', got: '64' },
      { symbol: 'CONFIG_DAX', wanted: 'm', got: 'y' },
    ]);
  });

  it('accepts n for an absent or unset option', () => {
    expect(verifyConfig(new Map([['CONFIG_ZONE_DEVICE', 'n'], ['CONFIG_ABSENT', 'n']]), TINY)).toEqual([]);
  });
});
