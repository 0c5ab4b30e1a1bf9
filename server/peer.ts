// The address a request really came from. Next does not hand route handlers the socket, and
// the X-Forwarded-For it passes on may be written by the client, so the server records the
// connection's peer address in a header of its own on every request, overwriting any value a
// client sent in it. Installed once at start (instrumentation-node.ts).
import http from 'node:http';

export const PEER_HEADER = 'x-signpost-peer';

type Emit = (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;

export function installPeerHeader(): void {
  const proto = http.Server.prototype as http.Server & { __signpostPeer?: boolean; emit: Emit };
  if (proto.__signpostPeer) return;
  const emit = proto.emit;
  proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const req = args[0] as http.IncomingMessage | undefined;
      if (req?.headers) req.headers[PEER_HEADER] = req.socket?.remoteAddress ?? '';
    }
    return emit.call(this, event, ...args);
  } as Emit;
  proto.__signpostPeer = true;
}
