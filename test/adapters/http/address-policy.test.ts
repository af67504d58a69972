import { describe, expect, it } from 'vitest';
import { AddressPolicy, embeddedIpv4 } from '../../../src/adapters/http/address-policy.js';

const strict = new AddressPolicy();
const blocked = (ip: string, policy = strict): boolean => !policy.check(ip, ip).allowed;

describe('AddressPolicy', () => {
  it.each([
    '127.0.0.1',
    '127.0.0.2',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '255.255.255.255',
    '224.0.0.1',
    '::1',
    '::',
    'fd00::1',
    'fc00::1',
    'fe80::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '64:ff9b::a00:1',
    '2002:a00:1::1',
    '::127.0.0.1',
  ])('blocks %s by default', (ip) => {
    expect(blocked(ip)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700::1111', '64:ff9b::808:808', '::ffff:8.8.8.8'])(
    'allows public %s',
    (ip) => {
      expect(blocked(ip)).toBe(false);
    },
  );

  it('allows private networks when asked, but never the metadata service or multicast', () => {
    const open = new AddressPolicy({ allowPrivateNetworks: true });
    for (const ip of ['127.0.0.1', '10.0.0.5', '192.168.0.2', 'fd12::1', '::1'])
      expect(blocked(ip, open)).toBe(false);
    for (const ip of ['169.254.169.254', '224.0.0.1', '0.0.0.0', '::ffff:169.254.169.254'])
      expect(blocked(ip, open)).toBe(true);
  });

  it('allows listed CIDRs and host names', () => {
    const policy = new AddressPolicy({
      allowedHosts: ['10.20.0.0/16', 'intranet.corp', '*.lab.corp', '127.0.0.1'],
    });
    expect(policy.check('10.20.3.4', '10.20.3.4').allowed).toBe(true);
    expect(policy.check('10.21.3.4', '10.21.3.4').allowed).toBe(false);
    expect(policy.check('192.168.1.1', 'intranet.corp').allowed).toBe(true);
    expect(policy.check('192.168.1.1', 'feeds.lab.corp').allowed).toBe(true);
    expect(policy.check('192.168.1.1', 'other.corp').allowed).toBe(false);
    expect(policy.check('127.0.0.1', '127.0.0.1').allowed).toBe(true);
    expect(policy.check('127.0.0.2', '127.0.0.2').allowed).toBe(false);
  });

  it('gives a reason naming the address', () => {
    expect(strict.check('10.0.0.1', 'x.example')).toEqual({
      allowed: false,
      reason: 'address 10.0.0.1 is in a private or local network',
    });
  });

  it('extracts IPv4 from mapped, NAT64 and 6to4 addresses', () => {
    expect(embeddedIpv4('::ffff:10.0.0.1')).toBe('10.0.0.1');
    expect(embeddedIpv4('::ffff:a00:1')).toBe('10.0.0.1');
    expect(embeddedIpv4('64:ff9b::a9fe:a9fe')).toBe('169.254.169.254');
    expect(embeddedIpv4('2002:c0a8:101::1')).toBe('192.168.1.1');
    expect(embeddedIpv4('2606:4700::1111')).toBeNull();
  });
});
