import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { buildConnector } from 'undici';
import type { AddressPolicy } from './address-policy.js';
import { unbracket } from './address-policy.js';

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to every address it has (injectable so tests never need real DNS). */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: HostResolver = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** A connection refused by the address policy. Raised before any socket is opened. */
export class BlockedAddressError extends Error {
  override readonly name = 'BlockedAddressError';
  readonly code = 'blocked-address';
}

/** DNS gave no usable answer. */
export class HostNotFoundError extends Error {
  override readonly name = 'HostNotFoundError';
  readonly code = 'ENOTFOUND';
}

/**
 * An undici connector that resolves the host itself, checks every address against the policy, and then
 * connects to the address it checked (keeping the host name for TLS SNI and certificate checks). Checking at
 * connect time, on every connection and every redirect hop, means DNS rebinding cannot slip a private address
 * in between a check and the connection.
 */
export function createGuardedConnector(
  policy: AddressPolicy,
  resolve: HostResolver,
  connectOptions: buildConnector.BuildOptions = {},
): buildConnector.connector {
  const connect = buildConnector(connectOptions);
  return (options, callback) => {
    const hostname = unbracket(options.hostname);
    void pickAddress(policy, resolve, hostname).then(
      (address) => connect({ ...options, hostname: address }, callback),
      (err: unknown) => callback(err instanceof Error ? err : new Error(String(err)), null),
    );
  };
}

async function pickAddress(policy: AddressPolicy, resolve: HostResolver, hostname: string): Promise<string> {
  if (isIP(hostname)) {
    const verdict = policy.check(hostname, hostname);
    if (!verdict.allowed) throw new BlockedAddressError(verdict.reason);
    return hostname;
  }
  const addresses = await resolve(hostname);
  if (addresses.length === 0) throw new HostNotFoundError(`no address for ${hostname}`);
  // Every answer must pass: a record set mixing a public and a private address is an attack, not a fallback.
  for (const { address } of addresses) {
    const verdict = policy.check(address, hostname);
    if (!verdict.allowed) throw new BlockedAddressError(`${hostname}: ${verdict.reason}`);
  }
  const first = addresses[0];
  if (!first) throw new HostNotFoundError(`no address for ${hostname}`);
  return first.address;
}
