import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/**
 * The header through which the server tells code behind Next (route handlers, next-auth) the client's address.
 * The server sets it on every request, replacing whatever the client sent.
 */
export const CLIENT_ADDRESS_HEADER = 'x-syncdeck-client-address';

/** An IPv4 address in IPv6 form (`::ffff:10.0.0.1`) is written as IPv4, so one client has one spelling. */
const plain = (address: string) => (address.startsWith('::ffff:') && isIP(address.slice(7)) === 4 ? address.slice(7) : address);

/**
 * The client's address: the socket's, or with `trustProxy` the last X-Forwarded-For entry (the address the one
 * trusted reverse proxy saw; entries before it are whatever the client claimed). A value that is no IP address is
 * ignored.
 */
export function clientAddressOf(req: Pick<IncomingMessage, 'headers' | 'socket'>, trustProxy: boolean): string {
  const socketAddress = plain(req.socket.remoteAddress ?? 'unknown');
  if (!trustProxy) return socketAddress;
  const forwarded = [req.headers['x-forwarded-for'] ?? []].flat().join(',').split(',').map((entry) => entry.trim()).filter(Boolean).at(-1);
  return forwarded && isIP(forwarded) ? plain(forwarded) : socketAddress;
}

/** Sets {@link CLIENT_ADDRESS_HEADER} on an incoming request, before Next sees it. */
export function stampClientAddress(req: IncomingMessage, trustProxy: boolean): void {
  req.headers[CLIENT_ADDRESS_HEADER] = clientAddressOf(req, trustProxy);
}
