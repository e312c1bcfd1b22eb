/**
 * A SIP connection over TCP or TLS (RFC 3261 §18.3): Content-Length framing, CRLFCRLF ping → CRLF
 * pong (RFC 5626 §3.5.1), bounded receive buffer (the framer's limits) and send queue.
 */
import type { Socket } from 'node:net';
import { CRLF } from './connection';
import { ConnectionBase, type ConnectionParams } from './connection-base';
import { TransportError } from './errors';
import { StreamFramer } from './framer';
import type { CloseReason } from './types';

export class StreamConnection extends ConnectionBase {
  private readonly framer: StreamFramer;
  private endReason: CloseReason = 'peer-closed';

  constructor(
    params: ConnectionParams,
    private readonly socket: Socket,
  ) {
    super(params);
    this.framer = new StreamFramer(params.limits);
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => {
      this.onData(chunk);
    });
    socket.on('error', (error) => {
      this.endReason = 'socket-error';
      this.socketError(error);
    });
    socket.on('close', () => {
      this.socketClosed(this.endReason);
    });
    // A socket that died before it was adopted will not emit 'close' again.
    if (socket.closed) {
      queueMicrotask(() => {
        this.socketClosed('peer-closed');
      });
    }
  }

  send(data: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      const refused = this.admitSend(this.socket.writableLength, data.length);
      if (refused !== undefined) {
        reject(refused);
        return;
      }
      this.socket.write(data, (error) => {
        if (error) reject(this.sendFailed(error));
        else resolve();
      });
    });
  }

  protected teardown(graceful: boolean): void {
    if (graceful && !this.socket.destroyed) {
      this.socket.end(() => this.socket.destroy());
    } else {
      this.socket.destroy();
    }
  }

  private onData(chunk: Buffer): void {
    this.touch();
    for (const event of this.framer.push(chunk)) {
      if (this.closed) return;
      switch (event.kind) {
        case 'message':
          this.deliver(event.data);
          break;
        case 'ping':
          this.pong();
          break;
        case 'error':
          this.hooks.onError(
            new TransportError(event.error.code, `connection ${this.id}: ${event.error.message}`, {
              connectionId: this.id,
            }),
          );
          this.close('framing-error');
          return;
      }
    }
  }

  private pong(): void {
    if (this.admitSend(this.socket.writableLength, CRLF.length) === undefined) this.socket.write(CRLF);
  }
}
