import net from 'node:net';

/**
 * A TCP proxy on loopback between the kiosk and the receiver that misbehaves on demand, at the
 * byte level, underneath TLS: the kiosk's real HTTPS client and the real receiver see a real
 * network fault. Each new connection takes the mode set at the time it arrives.
 */

export type ProxyMode =
  | { readonly kind: 'forward'; readonly port: number }
  /** Accept, read, never answer (a hung receiver or a black-holed link). */
  | { readonly kind: 'hang' }
  /** Close at once (nothing listening behind it). */
  | { readonly kind: 'refuse' }
  /** Forward, but cut both sides after this many bytes from the kiosk (mid-upload). */
  | { readonly kind: 'cut-upload'; readonly port: number; readonly afterBytes: number }
  /**
   * Forward; cut both sides at the first bytes back once `acted()` says the receiver did its
   * work (the reply is lost, the receiver kept the packet). Bytes back before that (TLS
   * handshake, session tickets) pass.
   */
  | { readonly kind: 'drop-reply'; readonly port: number; readonly acted: () => Promise<boolean> };

export interface FaultProxy {
  readonly port: number;
  /** The mode for the next connections, or a function that picks one per connection. */
  set(mode: ProxyMode | (() => ProxyMode)): void;
  /** Connections accepted so far, by the mode they got. */
  readonly connections: Array<ProxyMode['kind']>;
  close(): Promise<void>;
}

export async function startFaultProxy(initial: ProxyMode): Promise<FaultProxy> {
  let mode: ProxyMode | (() => ProxyMode) = initial;
  const connections: Array<ProxyMode['kind']> = [];
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket): net.Socket => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
    return s;
  };

  const server = net.createServer((client) => {
    track(client);
    const m = typeof mode === 'function' ? mode() : mode;
    connections.push(m.kind);
    if (m.kind === 'refuse') return client.destroy();
    if (m.kind === 'hang') return client.resume();
    const upstream = track(net.connect(m.port, '127.0.0.1'));
    const cutBoth = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    let up = 0;
    client.on('data', (chunk: Buffer) => {
      if (m.kind === 'cut-upload' && up + chunk.length >= m.afterBytes) {
        upstream.write(chunk.subarray(0, Math.max(0, m.afterBytes - up)), cutBoth);
        up = m.afterBytes;
        return;
      }
      up += chunk.length;
      upstream.write(chunk);
    });
    let back: Promise<void> = Promise.resolve();
    upstream.on('data', (chunk: Buffer) => {
      if (m.kind !== 'drop-reply') {
        client.write(chunk);
        return;
      }
      // In order: each chunk waits for the verdict on the one before it.
      back = back.then(async () => {
        if (await m.acted()) cutBoth();
        else if (!client.destroyed) client.write(chunk);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no port');

  return {
    port: address.port,
    connections,
    set(next) {
      mode = next;
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
