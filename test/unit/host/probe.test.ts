import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { probeKvm, which } from '../../../src/host/probe.js';

describe('probe helpers', () => {
  it('probeKvm says when the device does not exist', async () => {
    expect(await probeKvm('/nonexistent/kvm')).toBe('/nonexistent/kvm does not exist');
  });

  it('which finds executables on the given PATH only', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'daxlab-which-'));
    try {
      await fs.writeFile(path.join(dir, 'tool-x'), '#!/bin/sh\n', { mode: 0o755 });
      await fs.writeFile(path.join(dir, 'not-exec'), '', { mode: 0o644 });
      expect(await which('tool-x', dir)).toBe(path.join(dir, 'tool-x'));
      expect(await which('not-exec', dir)).toBeNull();
      expect(await which('surely-no-such-tool', dir)).toBeNull();
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
