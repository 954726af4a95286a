import type { Server } from 'node:net';

/**
 * Starts a server listening and resolves with the port it got (the one the OS chose when asked
 * for 0), or rejects with the listen error (EADDRINUSE: another kiosk, or the last one not yet
 * gone) rather than leaving it to an 'error' event nobody hears. One copy for the kiosk's server,
 * the technician's listener, the hall console and the central receiver.
 */
export function listenOn(server: Server, port: number, host: string): Promise<{ readonly port: number; readonly address: string }> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const a = server.address();
      resolve(typeof a === 'object' && a !== null ? { port: a.port, address: a.address } : { port, address: host });
    });
  });
}

/** A host as it goes in a URL: an IPv6 address in brackets. */
export function urlHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
