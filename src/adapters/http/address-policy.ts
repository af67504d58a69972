import { BlockList, isIP } from 'node:net';

/**
 * Which addresses the bot may connect to. Anyone in a Discord server can paste a feed URL, so by default only
 * public unicast addresses are allowed: the rest would let a URL reach the host itself, the LAN or the cloud
 * metadata service (server-side request forgery).
 */
export interface AddressPolicyOptions {
  /** Self-hosters with intranet feeds: allow loopback, RFC 1918, CGNAT, link-local and ULA addresses. */
  allowPrivateNetworks?: boolean;
  /** Host names (exact, or `*.example.org` / `.example.org` for subdomains), IP addresses or CIDRs always allowed. */
  allowedHosts?: readonly string[];
}

export type AddressVerdict = { allowed: true } | { allowed: false; reason: string };

// Never a place to fetch a feed from, even on a trusted network.
const NEVER: Array<[string, number, 'ipv4' | 'ipv6']> = [
  ['0.0.0.0', 8, 'ipv4'], // "this network", unspecified
  ['224.0.0.0', 4, 'ipv4'], // multicast
  ['240.0.0.0', 4, 'ipv4'], // reserved, and 255.255.255.255 broadcast
  ['::', 128, 'ipv6'], // unspecified
  ['ff00::', 8, 'ipv6'], // multicast
];

// Cloud metadata endpoints: blocked even when private networks are allowed, since they hand out credentials.
const METADATA: Array<[string, 'ipv4' | 'ipv6']> = [
  ['169.254.169.254', 'ipv4'],
  ['169.254.170.2', 'ipv4'],
  ['100.100.100.200', 'ipv4'],
  ['fd00:ec2::254', 'ipv6'],
];

// Private, local and special-purpose ranges: blocked unless private networks are allowed.
const PRIVATE: Array<[string, number, 'ipv4' | 'ipv6']> = [
  ['10.0.0.0', 8, 'ipv4'],
  ['100.64.0.0', 10, 'ipv4'], // CGNAT
  ['127.0.0.0', 8, 'ipv4'],
  ['169.254.0.0', 16, 'ipv4'], // link-local, includes the metadata service
  ['172.16.0.0', 12, 'ipv4'],
  ['192.0.0.0', 24, 'ipv4'],
  ['192.0.2.0', 24, 'ipv4'],
  ['192.168.0.0', 16, 'ipv4'],
  ['198.18.0.0', 15, 'ipv4'],
  ['198.51.100.0', 24, 'ipv4'],
  ['203.0.113.0', 24, 'ipv4'],
  ['::1', 128, 'ipv6'],
  ['::', 96, 'ipv6'], // deprecated IPv4-compatible addresses
  ['64:ff9b:1::', 48, 'ipv6'], // local-use NAT64
  ['100::', 64, 'ipv6'], // discard
  ['2001:db8::', 32, 'ipv6'], // documentation
  ['fc00::', 7, 'ipv6'], // unique local
  ['fe80::', 10, 'ipv6'], // link-local
  ['fec0::', 10, 'ipv6'], // site-local (deprecated)
];

function blockList(entries: Array<[string, number, 'ipv4' | 'ipv6']>): BlockList {
  const list = new BlockList();
  for (const [net, prefix, type] of entries) list.addSubnet(net, prefix, type);
  return list;
}

const neverList = blockList(NEVER);
const privateList = blockList(PRIVATE);
const metadataList = new BlockList();
for (const [addr, type] of METADATA) metadataList.addAddress(addr, type);

/** Strips the brackets of an IPv6 URL host (`[::1]`). */
export function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** The 8 16-bit words of an IPv6 address, or null if it is not one. */
function ipv6Words(address: string): number[] | null {
  if (isIP(address) !== 6) return null;
  let addr = address.split('%')[0] ?? address;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(addr);
  if (dotted) {
    const b = dotted.slice(1).map(Number) as [number, number, number, number];
    addr = `${addr.slice(0, dotted.index)}${((b[0] << 8) | b[1]).toString(16)}:${((b[2] << 8) | b[3]).toString(16)}`;
  }
  const [head = '', tail] = addr.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : new Array<string>(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((w) => parseInt(w, 16));
}

/** The IPv4 address embedded in an IPv4-mapped, NAT64 (64:ff9b::/96) or 6to4 (2002::/16) IPv6 address. */
export function embeddedIpv4(address: string): string | null {
  const w = ipv6Words(address);
  if (!w) return null;
  const v4 = (hi: number, lo: number): string => `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  const zeros = (from: number, to: number): boolean => w.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && w[5] === 0xffff) return v4(w[6] ?? 0, w[7] ?? 0);
  if (w[0] === 0x64 && w[1] === 0xff9b && zeros(2, 6)) return v4(w[6] ?? 0, w[7] ?? 0);
  if (w[0] === 0x2002) return v4(w[1] ?? 0, w[2] ?? 0);
  return null;
}

function parseCidr(entry: string): { net: string; prefix: number; type: 'ipv4' | 'ipv6' } | null {
  const [raw = '', bits] = entry.split('/');
  const net = unbracket(raw);
  const family = isIP(net);
  if (family === 0) return null;
  const max = family === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return null;
  return { net, prefix, type: family === 4 ? 'ipv4' : 'ipv6' };
}

export class AddressPolicy {
  private readonly allowPrivate: boolean;
  private readonly allowedNames: string[] = [];
  private readonly allowedSuffixes: string[] = [];
  private readonly allowedRanges = new BlockList();

  constructor(options: AddressPolicyOptions = {}) {
    this.allowPrivate = options.allowPrivateNetworks ?? false;
    for (const raw of options.allowedHosts ?? []) {
      const entry = raw.trim().toLowerCase();
      if (!entry) continue;
      const cidr = parseCidr(entry);
      if (cidr) this.allowedRanges.addSubnet(cidr.net, cidr.prefix, cidr.type);
      else if (entry.startsWith('*.')) this.allowedSuffixes.push(entry.slice(1));
      else if (entry.startsWith('.')) this.allowedSuffixes.push(entry);
      else this.allowedNames.push(entry);
    }
  }

  /** True when the URL's host name itself is listed in allowedHosts (its addresses are then trusted). */
  isHostAllowed(hostname: string): boolean {
    const name = unbracket(hostname).toLowerCase().replace(/\.$/, '');
    return this.allowedNames.includes(name) || this.allowedSuffixes.some((s) => name.endsWith(s));
  }

  /** May we connect to `address` (an IP), reached through the URL host `hostname`? */
  check(address: string, hostname: string): AddressVerdict {
    if (this.isHostAllowed(hostname)) return { allowed: true };
    const ip = unbracket(address);
    const family = isIP(ip);
    if (family === 0) return { allowed: false, reason: `${ip} is not an IP address` };
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (this.allowedRanges.check(ip, type)) return { allowed: true };
    const inner = family === 6 ? embeddedIpv4(ip) : null;
    if (inner !== null && inner !== ip) {
      const verdict = this.check(inner, inner);
      if (!verdict.allowed)
        return { allowed: false, reason: `address ${ip} maps to ${inner}: ${verdict.reason}` };
    }
    if (neverList.check(ip, type))
      return { allowed: false, reason: `address ${ip} is not a unicast address` };
    if (metadataList.check(ip, type))
      return { allowed: false, reason: `address ${ip} is a cloud metadata service` };
    if (!this.allowPrivate && privateList.check(ip, type)) {
      return { allowed: false, reason: `address ${ip} is in a private or local network` };
    }
    return { allowed: true };
  }
}
