import { describe, expect, it } from 'vitest';
import { kexecCmdline } from '../../../src/targets/remote/kexec.js';
import { machineMissing, parseRemoteProbe } from '../../../src/targets/remote/remote-caps.js';
import { parseTargetText } from '../../../src/targets/target-file.js';

const parse = (text: string) => parseTargetText(text, '/lab/targets.yaml', '/home/dev');
const messages = (text: string) => parse(text).issues.map((i) => `${i.line}: ${i.field}: ${i.message}`);
const BASE = 'targets:\n  pmem1:\n    kind: machine\n    host: pmem1.lab\n    identity: id\n    knownHosts: kh\n';

describe('machine targets in the target file', () => {
  it('reads a machine with its defaults', () => {
    const { targets, issues } = parse(`${BASE}    devices: [/dev/pmem0, /dev/pmem1]\n    destructive: true\n`);
    expect(issues).toEqual([]);
    expect(targets!.get('pmem1')).toEqual({
      name: 'pmem1', kind: 'machine', host: 'pmem1.lab', port: 22, user: 'root', identity: '/lab/id', knownHosts: '/lab/kh', connectTimeoutSec: 20,
      devices: ['/dev/pmem0', '/dev/pmem1'], kernel: 'test', restore: 'reboot', bootTimeoutSec: 300,
    });
  });

  it('refuses to touch devices unless the file says destructive: true', () => {
    expect(messages(`${BASE}    devices: [/dev/pmem0]\n`)).toEqual(['2: targets.pmem1.destructive: daxlab makes file systems on /dev/pmem0, erasing them: say destructive: true']);
    expect(messages(`${BASE}    devices: [/dev/pmem0]\n    destructive: false\n`)[0]).toMatch(/^8: targets.pmem1.destructive: /);
  });

  it('checks devices, kernel, restore and fields of the other kind, each on its line', () => {
    expect(messages(`${BASE}    devices: [pmem0]\n    destructive: true\n    kernel: latest\n    restore: kexec\n    slots: 2\n`)).toEqual([
      "7: targets.pmem1.devices[0]: expected a block device path under /dev, got 'pmem0'",
      "9: targets.pmem1.kernel: unknown value 'latest'; expected one of: running, test",
      "10: targets.pmem1.restoreImage: restore: kexec needs 'restoreImage', the kernel image on the machine to go back to",
      "11: targets.pmem1.slots: 'slots' is a field of kind kvm-host, not of machine",
    ]);
  });

  it('a kvm-host may not carry machine fields', () => {
    expect(messages('targets:\n  k:\n    kind: kvm-host\n    host: h\n    identity: id\n    knownHosts: kh\n    devices: [/dev/pmem0]\n')).toEqual([
      "7: targets.k.devices: 'devices' is a field of kind machine, not of kvm-host",
    ]);
  });
});

describe('kexec command line', () => {
  it('keeps the machine\'s own words, drops an earlier mark, appends the extra words and the new mark', () => {
    expect(kexecCmdline('BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro daxlab.boot=aaa quiet\n', ['loglevel=8'], 'bbb')).toBe('BOOT_IMAGE=/vmlinuz root=/dev/sda1 ro quiet loglevel=8 daxlab.boot=bbb');
    expect(kexecCmdline('root=/dev/sda1 daxlab.boot=bbb', [])).toBe('root=/dev/sda1');
  });
});

describe('machine tools', () => {
  it('needs kexec only when daxlab changes the kernel; fio is optional', () => {
    const caps = parseRemoteProbe('== tools\nbash /bin/bash\nmkfs.ext4 /sbin/mkfs.ext4\nmkfs.xfs \nflock /bin/flock\nsetsid /bin/setsid\ntruncate /bin/truncate\ntail /bin/tail\ndmesg /bin/dmesg\nkexec \nfio \n');
    expect(machineMissing(caps, false)).toEqual([{ tool: 'mkfs.xfs', pkg: 'xfsprogs' }]);
    expect(machineMissing(caps, true)).toEqual([{ tool: 'mkfs.xfs', pkg: 'xfsprogs' }, { tool: 'kexec', pkg: 'kexec-tools' }]);
  });
});
