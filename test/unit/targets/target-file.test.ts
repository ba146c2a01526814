import { describe, expect, it } from 'vitest';
import { expandPath, parseTargetText } from '../../../src/targets/target-file.js';

const FILE = '/etc/daxlab/targets.yaml';
const parse = (text: string) => parseTargetText(text, FILE, '/home/dev');
const messages = (text: string) => parse(text).issues.map((i) => `${i.line}: ${i.field}: ${i.message}`);

describe('target file', () => {
  it('reads a kvm-host with its defaults; paths are relative to the file, ~ is home', () => {
    const { targets, issues } = parse('targets:\n  kvm1:\n    kind: kvm-host\n    host: kvm1.lab\n    identity: ~/.ssh/id_ed25519\n    knownHosts: known_hosts\n');
    expect(issues).toEqual([]);
    expect(targets!.get('kvm1')).toEqual({
      name: 'kvm1', kind: 'kvm-host', host: 'kvm1.lab', port: 22, user: 'root', identity: '/home/dev/.ssh/id_ed25519',
      knownHosts: '/etc/daxlab/known_hosts', slots: 1, qemu: 'qemu-system-x86_64', connectTimeoutSec: 20, slotWaitSec: 600,
    });
  });

  it('takes every field and ssh-agent instead of a key file', () => {
    const { targets } = parse([
      'targets:', '  big:', '    kind: kvm-host', '    host: 10.0.0.5', '    port: 2200', '    user: lab', '    agent: true',
      '    knownHosts: /etc/ssh/ssh_known_hosts', '    slots: 4', '    qemu: /opt/qemu/bin/qemu-system-x86_64', '    workDir: /srv/daxlab',
      '    connectTimeoutSec: 5', '    slotWaitSec: 60', '',
    ].join('\n'));
    const t = targets!.get('big')!;
    expect(t).toMatchObject({ port: 2200, user: 'lab', slots: 4, workDir: '/srv/daxlab', connectTimeoutSec: 5, slotWaitSec: 60 });
    expect(t.identity).toBeUndefined();
  });

  it('names file, line and field of every problem', () => {
    const issues = parse('targets:\n  kvm1:\n    kind: bare-metal\n    host: 7\n    port: 70000\n    knownHosts: kh\n    password: x\n').issues;
    expect(issues.every((i) => i.file === FILE)).toBe(true);
    expect(issues.map((i) => `${i.line}: ${i.field}: ${i.message}`)).toEqual([
      "2: targets.kvm1.identity: give 'identity' (a private key file) or 'agent: true' (ssh-agent); passwords are not supported",
      "3: targets.kvm1.kind: unknown value 'bare-metal'; expected one of: kvm-host, machine",
      '4: targets.kvm1.host: expected a string, got number 7',
      '5: targets.kvm1.port: expected a port 1-65535, got 70000',
      "7: targets.kvm1.password: unknown key 'password'; expected one of: kind, host, port, user, identity, agent, knownHosts, workDir, connectTimeoutSec, slots, qemu, slotWaitSec, devices, destructive, kernel, restore, restoreImage, bootTimeoutSec, consoleLog",
    ]);
  });

  it('requires kind, host and knownHosts, and a key file or the agent (never a password)', () => {
    const m = messages('targets:\n  t:\n    port: 22\n');
    expect(m).toEqual(expect.arrayContaining([
      "2: targets.t.kind: 'kind' is required",
      "2: targets.t.host: 'host' is required",
      "2: targets.t.knownHosts: 'knownHosts' is required",
      "2: targets.t.identity: give 'identity' (a private key file) or 'agent: true' (ssh-agent); passwords are not supported",
    ]));
  });

  it('refuses redefining local, bad names, both identity and agent, a relative workDir', () => {
    expect(messages('targets:\n  local:\n    kind: kvm-host\n')).toEqual(["2: targets.local: 'local' is built in (QEMU on this machine) and cannot be redefined"]);
    expect(messages('targets:\n  "bad name":\n    kind: kvm-host\n')[0]).toMatch(/^2: targets.bad name: expected a target name/);
    const m = messages('targets:\n  t:\n    kind: kvm-host\n    host: h\n    knownHosts: k\n    identity: id\n    agent: true\n    workDir: rel/dir\n');
    expect(m).toEqual(["7: targets.t.agent: give either 'identity' or 'agent: true', not both", "8: targets.t.workDir: expected an absolute path on the machine, got 'rel/dir'"]);
  });

  it('reports YAML syntax errors and a missing targets map with their lines', () => {
    expect(messages('targets:\n  t: [\n').some((m) => /^\d+: : .*flow/i.test(m))).toBe(true);
    expect(messages('other: 1\n')[0]).toMatch(/^1: other: unknown key 'other'/);
    expect(messages('targets:\n')).toEqual(['1: targets: expected a mapping of target names to targets']);
  });

  it('expandPath: ~/ from home, relative from the file, absolute as is', () => {
    expect(expandPath('~/k', '/etc/d', '/home/x')).toBe('/home/x/k');
    expect(expandPath('k', '/etc/d', '/home/x')).toBe('/etc/d/k');
    expect(expandPath('/k', '/etc/d', '/home/x')).toBe('/k');
  });
});
