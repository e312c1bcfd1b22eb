/**
 * A SIP connection over WebSocket (RFC 7118): one SIP message per WebSocket message, text frames
 * unless the payload is not UTF-8. A CRLFCRLF message is treated as an RFC 5626 ping and answered
 * with CRLF (what SIP.js and JsSIP keepalives expect); a bare CRLF is swallowed.
 */
import { isUtf8 } from 'node:buffer';
import type { RawData, WebSocket } from 'ws';
import { CRLF } from './connection';
import { ConnectionBase, type ConnectionParams } from './connection-base';
import type { CloseReason } from './types';

const WS_NORMAL = 1000;
const WS_GOING_AWAY = 1001;

export class WsConnection extends ConnectionBase {
  private endReason: CloseReason = 'peer-closed';
  private shuttingDown = false;

  constructor(
    params: ConnectionParams,
    private readonly ws: WebSocket,
  ) {
    super(params);
    ws.on('message', (data) => {
      this.onMessage(toBuffer(data));
    });
    ws.on('error', (error) => {
      this.endReason = 'socket-error';
      this.socketError(error);
    });
    ws.on('close', () => {
      this.socketClosed(this.endReason);
    });
  }

  send(data: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      const refused = this.admitSend(this.ws.bufferedAmount, data.length);
      if (refused !== undefined) {
        reject(refused);
        return;
      }
      this.ws.send(data, { binary: !isUtf8(data) }, (error) => {
        if (error) reject(this.sendFailed(error));
        else resolve();
      });
    });
  }

  override close(reason: CloseReason): void {
    this.shuttingDown = reason === 'shutdown';
    super.close(reason);
  }

  protected teardown(graceful: boolean): void {
    if (graceful && this.ws.readyState === this.ws.OPEN) {
      this.ws.close(this.shuttingDown ? WS_GOING_AWAY : WS_NORMAL);
    } else {
      this.ws.terminate();
    }
  }

  private onMessage(data: Buffer): void {
    this.touch();
    if (data.every((b) => b === 0x0d || b === 0x0a)) {
      if (data.length >= 4 && this.admitSend(this.ws.bufferedAmount, CRLF.length) === undefined) {
        this.ws.send(CRLF);
      }
      return;
    }
    this.deliver(data);
  }
}

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
