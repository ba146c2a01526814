import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { usageError } from './fixtures.js';
import { DaxlabError } from '../../../src/errors.js';
import { localPlanFile, planChainText, planSha256, storedPlanPath } from '../../../src/lab/plan-file.js';
import { tempDirs } from '../temp-dirs.js';

const tmp = tempDirs('daxlab-plan-file-');


describe('planSha256', () => {
  it('is the sha256 hex of the text', () => {
    expect(planSha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(planSha256('a')).not.toBe(planSha256('a\n'));
  });
});

describe('storedPlanPath', () => {
  it('stores a plan inside the checkout relative to it', () => {
    expect(storedPlanPath('/repo/plans/smoke.yaml', '/repo')).toBe(join('plans', 'smoke.yaml'));
    expect(storedPlanPath('/repo/plans/../test/plans/lab.yaml', '/repo/')).toBe(join('test', 'plans', 'lab.yaml'));
  });

  it('stores a plan outside the checkout absolute', () => {
    expect(storedPlanPath('/elsewhere/p.yaml', '/repo')).toBe('/elsewhere/p.yaml');
    expect(storedPlanPath('/repo/../other/p.yaml', '/repo')).toBe('/other/p.yaml');
    // A sibling directory whose name starts with the checkout's is outside it.
    expect(storedPlanPath('/repo-old/p.yaml', '/repo')).toBe('/repo-old/p.yaml');
  });

  it('resolves a relative file against the working directory', () => {
    const cwd = process.cwd();
    expect(storedPlanPath('plans/x.yaml', cwd)).toBe(join('plans', 'x.yaml'));
    expect(storedPlanPath('plans/x.yaml', join(cwd, 'plans'))).toBe('x.yaml');
    expect(storedPlanPath('plans/x.yaml', '/definitely-not-cwd')).toBe(join(cwd, 'plans', 'x.yaml'));
  });

  it('round-trips through localPlanFile from another checkout path', () => {
    const a = tmp();
    const b = tmp();
    const text = 'name: smoke\n';
    for (const root of [a, b]) {
      mkdirSync(join(root, 'plans'));
      writeFileSync(join(root, 'plans', 'smoke.yaml'), text);
    }
    const stored = storedPlanPath(join(a, 'plans', 'smoke.yaml'), a);
    expect(stored).toBe(join('plans', 'smoke.yaml'));
    expect(localPlanFile(stored, planSha256(text), b)).toBe(join(b, 'plans', 'smoke.yaml'));
  });
});

describe('localPlanFile', () => {
  it('returns the file when its content matches the submitted sha256', () => {
    const root = tmp();
    const file = join(root, 'p.yaml');
    writeFileSync(file, 'name: p\nrepeats: 2\n');
    expect(localPlanFile(file, planSha256('name: p\nrepeats: 2\n'), '/unused-root')).toBe(file);
  });

  it('resolves a relative stored path against the checkout, not the working directory', () => {
    const root = tmp();
    mkdirSync(join(root, 'plans'));
    writeFileSync(join(root, 'plans', 'p.yaml'), 'x');
    expect(relative(process.cwd(), root).startsWith('..')).toBe(true);
    expect(localPlanFile(join('plans', 'p.yaml'), planSha256('x'), root)).toBe(join(root, 'plans', 'p.yaml'));
  });

  it('throws USAGE naming the file when it is not there', () => {
    const root = tmp();
    const e = usageError(() => localPlanFile('plans/missing.yaml', planSha256('x'), root));
    expect(e.message).toContain(join(root, 'plans', 'missing.yaml'));
    expect(e.message).toMatch(/not on this worker/);
    expect(e.exitCode).toBe(2);
  });

  it('throws USAGE when the content differs, naming both sha256 prefixes', () => {
    const root = tmp();
    writeFileSync(join(root, 'p.yaml'), 'name: changed\n');
    const submitted = planSha256('name: original\n');
    const e = usageError(() => localPlanFile('p.yaml', submitted, root));
    expect(e.message).toContain(join(root, 'p.yaml'));
    expect(e.message).toMatch(/differs from the one submitted/);
    expect(e.message).toContain(submitted.slice(0, 12));
    expect(e.message).toContain(planSha256('name: changed\n').slice(0, 12));
  });

  it('a one-byte change is a difference', () => {
    const root = tmp();
    writeFileSync(join(root, 'p.yaml'), 'name: p\n');
    expect(() => localPlanFile('p.yaml', planSha256('name: p'), root)).toThrow(DaxlabError);
  });
});

describe('planChainText', () => {
  it('covers the plans a plan extends, so a changed base is a different plan on a worker', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'base.yaml'), 'filesystems: [ext4]\n');
    writeFileSync(join(dir, 'lab.yaml'), 'extends: base.yaml\nrepeats: 2\n');
    const text = planChainText(join(dir, 'lab.yaml'));
    expect(text).toBe('extends: base.yaml\nrepeats: 2\n\0filesystems: [ext4]\n');
    const sha = planSha256(text);
    expect(localPlanFile(join(dir, 'lab.yaml'), sha, '/')).toBe(join(dir, 'lab.yaml'));
    writeFileSync(join(dir, 'base.yaml'), 'filesystems: [xfs]\n');
    expect(usageError(() => localPlanFile(join(dir, 'lab.yaml'), sha, '/')).message).toMatch(/differs from the one submitted/);
  });
});
