import os from 'node:os';

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];
const WILDCARD_BINDS = ['0.0.0.0', '::', ''];

/** The address to show for a bind address: a wildcard bind is reached through loopback. */
export function shownHost(bindHost: string): string {
  if (WILDCARD_BINDS.includes(bindHost)) return '127.0.0.1';
  return bindHost.includes(':') ? `[${bindHost}]` : bindHost;
}

/** `host[:port]` as a browser would send it, canonical (lower case, IPv6 compressed, no :80); null if it is not one. */
export function canonicalHost(hostAndPort: string): string | null {
  if (!hostAndPort || /[/?#@\\\s]/.test(hostAndPort)) return null;
  try {
    return new URL(`http://${hostAndPort}`).host;
  } catch {
    return null;
  }
}

function withPort(name: string, port: number): string | null {
  return canonicalHost(`${name.includes(':') ? `[${name}]` : name}:${port}`);
}

/**
 * The Host values this server answers to: the address it is bound to, the loopback names, and, when
 * bound to every interface, each interface's address. Anything else is a name someone pointed at
 * this machine (DNS rebinding), whatever the bind address.
 */
export function allowedHosts(bindHost: string, port: number): Set<string> {
  const names = new Set([...LOOPBACK_NAMES, bindHost]);
  if (WILDCARD_BINDS.includes(bindHost)) {
    for (const addresses of Object.values(os.networkInterfaces())) {
      for (const a of addresses ?? []) names.add(a.address);
    }
  }
  const hosts = new Set<string>();
  for (const name of names) {
    const host = name ? withPort(name, port) : null;
    if (host) hosts.add(host);
  }
  return hosts;
}

/** Whether an Origin header names this server (http, an allowed host); `null` and unparsable origins do not. */
export function isAllowedOrigin(origin: string, hosts: Set<string>): boolean {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && hosts.has(url.host);
  } catch {
    return false;
  }
}
