import { describe, expect, it } from 'vitest';
import { assertCmdlineWord, assertSocketPath, qemuOpt } from '../../../src/vm/escape.js';
import { isForwardFailure } from '../../../src/vm/ports.js';
import { PANIC_RE } from '../../../src/vm/crash.js';
import { lastLines } from '../../../src/vm/serial.js';
import { kernelCmdline } from '../../../src/vm/cmdline.js';

describe('escape', () => {
  it('doubles commas for QEMU', () => {
    expect(qemuOpt('/a,b,,c')).toBe('/a,,b,,,,c');
    expect(qemuOpt('/plain')).toBe('/plain');
  });
  it('accepts plain kernel words and rejects spaces, quotes and newlines', () => {
    expect(assertCmdlineWord('x', '/tmp/daxlab-run.1_a')).toBe('/tmp/daxlab-run.1_a');
    for (const bad of ['/tmp/a b', '/tmp/"q"', "/tmp/'q'", '/tmp/a\nb', '/tmp/ü', '']) {
      expect(() => assertCmdlineWord('run directory', bad)).toThrow(/cannot be put on the kernel command line/);
    }
  });
  it('limits socket paths to 107 bytes', () => {
    expect(assertSocketPath('s', `/${'a'.repeat(106)}`)).toHaveLength(107);
    expect(() => assertSocketPath('s', `/${'a'.repeat(107)}`)).toThrow(/too long/);
  });
});

describe('kernelCmdline', () => {
  it('puts daxlab words first and extra words after', () => {
    const line = kernelCmdline({ init: '/i.sh', runDir: '/r', cmdline: ['quiet'], logBufKiB: 4096 });
    expect(line.split(' ')).toEqual([
      'console=ttyS0',
      'root=/dev/root',
      'rootfstype=9p',
      'rootflags=trans=virtio,version=9p2000.L,msize=262144,cache=loose',
      'ro',
      'init=/i.sh',
      'ip=10.0.2.15::10.0.2.2:255.255.255.0::eth0:off',
      'panic=-1',
      'null_blk.nr_devices=0',
      'log_buf_len=4096K',
      'printk.devkmsg=on',
      'daxlab.run=/r',
      'quiet',
    ]);
  });
});

describe('QEMU output', () => {
  it('recognises a failed forward', () => {
    expect(isForwardFailure("qemu-system-x86_64: -netdev user,id=net0,hostfwd=tcp:127.0.0.1:22-:22: Could not set up host forwarding rule 'tcp:127.0.0.1:22-:22'")).toBe(true);
    expect(isForwardFailure('qemu-system-x86_64: some other error')).toBe(false);
  });
  it('tails the serial log', () => {
    expect(lastLines('a\r\nb\nc\n', 2)).toEqual(['b', 'c']);
    expect(lastLines('', 3)).toEqual([]);
    expect(PANIC_RE.test('[ 1.0] Kernel panic - not syncing: VFS: Unable to mount root fs')).toBe(true);
  });
});
