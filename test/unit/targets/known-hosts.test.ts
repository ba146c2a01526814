import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateEd25519, publicBlob } from '../../../src/guest/keys.js';
import { checkHostKey, fingerprint, hostField, hostsMatch, keyTypeOf, knownKeyTypes, parseKnownHosts } from '../../../src/targets/known-hosts.js';

const a = generateEd25519('a').public;
const b = generateEd25519('b').public;
const blobA = publicBlob(a);
const blobB = publicBlob(b);

describe('known_hosts', () => {
  it('names a host as OpenSSH does: bare on port 22, [host]:port otherwise', () => {
    expect(hostField('lab1', 22)).toBe('lab1');
    expect(hostField('127.0.0.1', 2222)).toBe('[127.0.0.1]:2222');
  });

  it('accepts the listed key for [host]:port and only for that port', () => {
    const kh = parseKnownHosts(`# comment\n\n[127.0.0.1]:2222 ${a}\n`);
    expect(checkHostKey(kh, '127.0.0.1', 2222, blobA)).toEqual({ kind: 'known' });
    expect(checkHostKey(kh, '127.0.0.1', 22, blobA).kind).toBe('unknown');
    expect(checkHostKey(kh, '127.0.0.1', 2223, blobA).kind).toBe('unknown');
  });

  it('reports a changed key with both fingerprints and the line that expected another', () => {
    const kh = parseKnownHosts(`lab1,lab1.example ${a}\n`);
    const v = checkHostKey(kh, 'lab1', 22, blobB);
    expect(v).toEqual({ kind: 'changed', fingerprint: fingerprint(blobB), expected: [`${fingerprint(blobA)} (line 1)`] });
  });

  it('an unknown host gets the fingerprint of what it presented, in OpenSSH form', () => {
    const v = checkHostKey([], 'lab2', 22, blobA);
    expect(v.kind).toBe('unknown');
    expect(fingerprint(blobA)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('matches hashed host names (|1|salt|hmac) as ssh-keygen -H writes them', () => {
    const salt = Buffer.from('0123456789abcdefghij');
    const hash = createHmac('sha1', salt).update('[10.0.0.5]:2200').digest('base64');
    const kh = parseKnownHosts(`|1|${salt.toString('base64')}|${hash} ${a}\n`);
    expect(checkHostKey(kh, '10.0.0.5', 2200, blobA)).toEqual({ kind: 'known' });
    expect(checkHostKey(kh, '10.0.0.6', 2200, blobA).kind).toBe('unknown');
  });

  it('wildcards match, a negated pattern rules the host out, brackets are literal', () => {
    expect(hostsMatch('*.lab.example', 'kvm3.lab.example')).toBe(true);
    expect(hostsMatch('*.lab.example,!kvm3.lab.example', 'kvm3.lab.example')).toBe(false);
    expect(hostsMatch('[127.0.0.1]:2222', '[127.0.0.1]:2222')).toBe(true);
    expect(hostsMatch('[127.0.0.1]:2222', '1')).toBe(false);
  });

  it('a revoked key is refused even when another line lists it', () => {
    const kh = parseKnownHosts(`@revoked * ${a}\nlab1 ${a}\n`);
    expect(checkHostKey(kh, 'lab1', 22, blobA)).toEqual({ kind: 'revoked', fingerprint: fingerprint(blobA), line: 1 });
  });

  it('reads the key type from the wire blob and lists the types known for a host', () => {
    expect(keyTypeOf(blobA)).toBe('ssh-ed25519');
    const kh = parseKnownHosts(`lab1 ${a}\nlab1 ecdsa-sha2-nistp256 AAAA\nother ${b}\n@cert-authority * ${b}\n`);
    expect(knownKeyTypes(kh, 'lab1', 22)).toEqual(['ssh-ed25519', 'ecdsa-sha2-nistp256']);
    expect(knownKeyTypes(kh, 'nobody', 22)).toEqual([]);
  });
});
