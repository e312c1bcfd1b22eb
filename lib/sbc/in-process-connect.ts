/**
 * Connects drachtio-srf to the embedded engine over an in-process socket (lib/util/port-socket.ts,
 * ADR 0013) instead of a loopback TCP connection. srf 5 opens its connection with `net.connect`
 * synchronously inside `srf.connect()` (WireProtocol#connect); for the length of that call
 * `net.connect` hands back the given socket, so srf installs its listeners, authenticates and
 * speaks the control protocol on it as on TCP. Its later reconnections (after this connection
 * closes) go over TCP to the control port, as ever.
 */
import net from 'node:net';

export interface InProcessSocket extends net.Socket {
  /** Emits 'connect' once the caller's listeners are in place. */
  announceConnected(): unknown;
}

/**
 * Runs `connect` (which must call srf.connect) with `socket` standing in for srf's TCP socket;
 * false when srf did not ask for a socket the way it used to (then it connected on its own and
 * `socket` is destroyed).
 */
export function connectInProcess(socket: InProcessSocket, connect: () => void): boolean {
  const tcpConnect = Reflect.get(net, 'connect') as unknown;
  const asked = { times: 0 };
  const standIn = (): net.Socket => {
    if (asked.times++ > 0) throw new Error('in-process connect: srf asked for a second socket');
    return socket;
  };
  Reflect.set(net, 'connect', standIn);
  try {
    connect();
  } finally {
    Reflect.set(net, 'connect', tcpConnect);
  }
  if (asked.times > 0) socket.announceConnected();
  else socket.destroy();
  return asked.times > 0;
}
