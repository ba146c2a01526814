import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { releaseFromBzImage, releaseFromObjDir } from '../../../src/kernel/release.js';

// A bzImage-shaped buffer: the setup header's magic, protocol version and kernel_version offset.
function image(version: string, opts: { magic?: string; protocol?: number } = {}): Buffer {
  const b = Buffer.alloc(0x1000);
  b.write(opts.magic ?? 'HdrS', 0x202, 'latin1');
  b.writeUInt16LE(opts.protocol ?? 0x020f, 0x206);
  b.writeUInt16LE(0x300, 0x20e); // the string sits at 0x300 + 0x200
  b.write(`${version}\0`, 0x500, 'latin1');
  return b;
}

describe('releaseFromBzImage', () => {
  it("reads the release from the setup header's kernel_version string", () => {
    expect(releaseFromBzImage(image('6.1.192 (root@daxlab) #1 SMP PREEMPT_DYNAMIC'))).toBe('6.1.192');
    expect(releaseFromBzImage(image('6.12.118-dirty (root@h) #3'))).toBe('6.12.118-dirty');
  });

  it('is null for anything that is not a bzImage with a version string', () => {
    expect(releaseFromBzImage(Buffer.from('MZ fake bzImage '.repeat(100)))).toBeNull();
    expect(releaseFromBzImage(image('6.1.192', { magic: 'HdrX' }))).toBeNull();
    expect(releaseFromBzImage(image('6.1.192', { protocol: 0x0105 }))).toBeNull();
    expect(releaseFromBzImage(image('garbage (x)'))).toBeNull();
    expect(releaseFromBzImage(Buffer.alloc(0x100))).toBeNull();
  });
});

describe('releaseFromObjDir', () => {
  it('reads include/config/kernel.release, null when make has not written it', async () => {
    const obj = mkdtempSync(join(tmpdir(), 'daxlab-release-'));
    try {
      expect(await releaseFromObjDir(obj)).toBeNull();
      mkdirSync(join(obj, 'include/config'), { recursive: true });
      writeFileSync(join(obj, 'include/config/kernel.release'), '6.1.192\n');
      expect(await releaseFromObjDir(obj)).toBe('6.1.192');
    } finally {
      rmSync(obj, { recursive: true, force: true });
    }
  });
});
