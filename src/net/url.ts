import { isIP } from 'node:net';

/** Whether a URL's host name is an IP address (IPv6 in brackets or not) rather than a name. */
export function isIpHostname(hostname: string): boolean {
  return isIP(hostname.replace(/^\[|\]$/g, '')) !== 0;
}

/** Names that only ever mean this machine or its own network (RFC 6761, RFC 6762, RFC 8375). */
export function isLocalName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, '');
  return ['localhost', 'local', 'home.arpa', 'internal'].some((suffix) => name === suffix || name.endsWith(`.${suffix}`));
}
