import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { lookupArtifact, storeArtifact } from '../../../src/kernel/artifact-cache.js';
import { artifactDir } from '../../../src/kernel/cache-dir.js';
import { tryLock } from '../../../src/kernel/lock.js';
import { tempDir } from './fake-tree.js';

const cleanup: string[] = [];
afterEach(() => {
  for (const dir of cleanup.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const KEY = '0123456789abcdef';
const IMAGE = Buffer.from('MZ fake bzImage '.repeat(1000));

// An explicit cache root plus a build dir holding a fake bzImage, .config and build.log.
function setup() {
  const root = tempDir('artifacts');
  const build = tempDir('build');
  cleanup.push(root, build);
  writeFileSync(join(build, 'bzImage'), IMAGE);
  writeFileSync(join(build, '.config'), 'CONFIG_DEV_DAX=y\n');
  writeFileSync(join(build, 'build.log'), '  CC fs/dax.o\n');
  const files = { image: join(build, 'bzImage'), config: join(build, '.config'), log: join(build, 'build.log') };
  const meta = { label: 'seed-bug', source: 'git 1a2b', patches: ['0001-x.patch'], buildSeconds: 12.5 };
  return { root, files, meta, store: () => storeArtifact(root, KEY, files, meta) };
}

// Collects onCorrupt reports.
function reports() {
  const seen: string[] = [];
  return { seen, onCorrupt: (why: string) => seen.push(why) };
}

describe('storeArtifact / lookupArtifact', () => {
  it('stores an entry with its hash and finds it again', async () => {
    const { root, store } = setup();
    const stored = await store();
    expect(stored.dir).toBe(artifactDir(root, KEY));
    expect(readdirSync(stored.dir).sort()).toEqual(['build.log', 'bzImage', 'config', 'meta.json']);
    expect(readdirSync(join(root, 'kernels')).sort()).toEqual([KEY, `${KEY}.lock`]); // no temp dir left behind
    expect(stored.meta).toMatchObject({
      key: KEY,
      label: 'seed-bug',
      imageBytes: IMAGE.length,
      imageSha256: createHash('sha256').update(IMAGE).digest('hex'),
      files: {
        bzImage: { sha256: createHash('sha256').update(IMAGE).digest('hex'), bytes: IMAGE.length },
        config: { sha256: createHash('sha256').update('CONFIG_DEV_DAX=y\n').digest('hex'), bytes: 17 },
        'build.log': expect.objectContaining({ bytes: 14 }),
      },
    });
    // In use by this process until it exits: a cache gc (exclusive lock) cannot take it.
    expect(await tryLock(join(root, 'kernels', `${KEY}.lock`))).toBeNull();
    const r = reports();
    const hit = await lookupArtifact(root, KEY, r.onCorrupt);
    expect(hit).toEqual(stored);
    expect(readFileSync(hit!.image).equals(IMAGE)).toBe(true);
    expect(readFileSync(hit!.config, 'utf8')).toBe('CONFIG_DEV_DAX=y\n');
    expect(r.seen).toEqual([]);
  });

  it('stores the selftests built from the tree and treats an entry missing one as corrupt', async () => {
    const { root, files, meta } = setup();
    const selftests = tempDir('selftests');
    cleanup.push(selftests);
    mkdirSync(selftests, { recursive: true });
    writeFileSync(join(selftests, 'gup_test'), 'ELF');
    const stored = await storeArtifact(root, KEY, { ...files, selftests: { dir: selftests, names: ['gup_test'] } }, meta);
    expect(stored.meta.selftests).toEqual(['gup_test']);
    expect(readFileSync(join(stored.selftests, 'gup_test'), 'utf8')).toBe('ELF');
    expect(await lookupArtifact(root, KEY)).toEqual(stored);
    rmSync(join(stored.selftests, 'gup_test'));
    const r = reports();
    expect(await lookupArtifact(root, KEY, r.onCorrupt)).toBeNull();
    expect(r.seen[0]).toMatch(/selftests\/gup_test missing/);
    expect(existsSync(stored.dir)).toBe(false);
  });

  it('records the kernel release; an older entry without it gets it from the bzImage header', async () => {
    const { root, files, meta } = setup();
    const withRelease = await storeArtifact(root, KEY, files, { ...meta, kernelRelease: '6.1.192' });
    expect((await lookupArtifact(root, KEY))?.meta.kernelRelease).toBe('6.1.192');
    // A bzImage-shaped file: "HdrS", protocol 2.15, kernel_version -> "6.12.118 (...)".
    const image = Buffer.alloc(0x1000);
    image.write('HdrS', 0x202, 'latin1');
    image.writeUInt16LE(0x020f, 0x206);
    image.writeUInt16LE(0x300, 0x20e);
    image.write('6.12.118 (root@daxlab) #1\0', 0x500, 'latin1');
    writeFileSync(files.image, image);
    const old = await storeArtifact(root, KEY, files, meta);
    expect(withRelease.meta.kernelRelease).toBe('6.1.192');
    expect(old.meta.kernelRelease).toBeUndefined();
    expect((await lookupArtifact(root, KEY))?.meta.kernelRelease).toBe('6.12.118');
  });

  it('misses silently when there is no entry', async () => {
    const { root } = setup();
    const r = reports();
    expect(await lookupArtifact(root, KEY, r.onCorrupt)).toBeNull();
    expect(r.seen).toEqual([]);
  });

  it('stores without a build log', async () => {
    const { root, files, meta } = setup();
    const stored = await storeArtifact(root, KEY, { image: files.image, config: files.config }, meta);
    expect(existsSync(join(stored.dir, 'build.log'))).toBe(false);
    expect(await lookupArtifact(root, KEY)).not.toBeNull();
  });

  it('replaces an existing entry', async () => {
    const { root, files, store } = setup();
    await store();
    writeFileSync(files.image, 'a different image');
    const again = await store();
    expect(again.meta.imageBytes).toBe('a different image'.length);
    expect((await lookupArtifact(root, KEY))?.meta.imageSha256).toBe(again.meta.imageSha256);
  });

  it('reports a truncated bzImage as corrupt, removes the entry and misses', async () => {
    const { root, store } = setup();
    const stored = await store();
    truncateSync(stored.image, 100);
    const r = reports();
    expect(await lookupArtifact(root, KEY, r.onCorrupt)).toBeNull();
    expect(r.seen).toHaveLength(1);
    expect(r.seen[0]).toContain(stored.dir);
    expect(r.seen[0]).toContain('bzImage does not match meta.json');
    expect(existsSync(stored.dir)).toBe(false);
    expect(await lookupArtifact(root, KEY, r.onCorrupt)).toBeNull();
    expect(r.seen).toHaveLength(1);
  });

  it('reports a same-size but altered bzImage as corrupt', async () => {
    const { root, store } = setup();
    const stored = await store();
    const bytes = readFileSync(stored.image);
    bytes[10] = bytes[10]! ^ 0xff;
    writeFileSync(stored.image, bytes);
    const r = reports();
    expect(await lookupArtifact(root, KEY, r.onCorrupt)).toBeNull();
    expect(r.seen).toHaveLength(1);
  });

  it('treats a corrupt meta.json as a miss', async () => {
    const { root, store } = setup();
    const stored = await store();
    writeFileSync(join(stored.dir, 'meta.json'), '{"key": "0123');
    const r = reports();
    expect(await lookupArtifact(root, KEY, r.onCorrupt)).toBeNull();
    expect(r.seen[0]).toMatch(/is corrupt \(.*JSON/);
    expect(existsSync(stored.dir)).toBe(false);
  });

  it('treats a missing config or a meta.json for another key as a miss', async () => {
    const { root, store } = setup();
    const stored = await store();
    rmSync(stored.config);
    const r = reports();
    expect(await lookupArtifact(root, KEY, r.onCorrupt)).toBeNull();
    expect(r.seen[0]).toContain('config missing');
    const again = await store();
    const meta = JSON.parse(readFileSync(join(again.dir, 'meta.json'), 'utf8'));
    writeFileSync(join(again.dir, 'meta.json'), JSON.stringify({ ...meta, key: 'ffffffffffffffff' }));
    expect(await lookupArtifact(root, KEY, r.onCorrupt)).toBeNull();
    expect(r.seen).toHaveLength(2);
  });

  it('checks every file, not only bzImage: an altered build log or config, or an added file, is corrupt', async () => {
    const { root, store } = setup();
    for (const [what, damage] of [
      ['build.log does not match meta.json', (d: string) => writeFileSync(join(d, 'build.log'), '  CC fs/dax.X\n')],
      ['config does not match meta.json', (d: string) => writeFileSync(join(d, 'config'), 'CONFIG_DEV_DAX=n\n')],
      ['extra is not in meta.json', (d: string) => writeFileSync(join(d, 'extra'), '')],
    ] as const) {
      const stored = await store();
      damage(stored.dir);
      const r = reports();
      expect(await lookupArtifact(root, KEY, r.onCorrupt)).toBeNull();
      expect(r.seen[0]).toContain(what);
    }
  });

  it('rebuilds an entry of an older daxlab, which has no per-file manifest', async () => {
    const { root, store } = setup();
    const stored = await store();
    const meta = JSON.parse(readFileSync(join(stored.dir, 'meta.json'), 'utf8'));
    delete meta.files;
    writeFileSync(join(stored.dir, 'meta.json'), JSON.stringify(meta));
    const r = reports();
    expect(await lookupArtifact(root, KEY, r.onCorrupt)).toBeNull();
    expect(r.seen[0]).toContain('no per-file sha256 manifest');
  });
});
