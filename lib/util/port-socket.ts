/**
 * A `net.Socket` whose bytes travel over a worker_threads MessagePort instead of the kernel: the
 * control connection between the embedded engine's worker thread and drachtio-srf in the main
 * thread (ADR 0013). Each write is one message (UTF-8 strings are posted as they are and become
 * bytes on the other side); order is kept, as on TCP. Ending either side closes the port, which
 * ends and closes the other side as a peer closing a TCP connection would.
 *
 * It is a real `net.Socket` subclass because drachtio-srf checks `instanceof net.Socket`; it has
 * no handle, so everything a handle would do is overridden here.
 */
import net from 'node:net';
import type { MessagePort } from 'node:worker_threads';

type WriteCallback = (error?: Error | null) => void;

/** What crosses the port: a chunk, or null for "no more data" (the sender ended its side). */
type PortChunk = string | Uint8Array | null;

/**
 * A written chunk as it crosses: UTF-8 text as it is (the other side reads it as UTF-8), anything
 * else as bytes (structured cloning copies them).
 */
function wireChunk(chunk: unknown, encoding: BufferEncoding): string | Uint8Array {
  if (typeof chunk !== 'string') return ownBytes(chunk as Uint8Array);
  return encoding === 'utf8' || encoding === 'utf-8' ? chunk : ownBytes(Buffer.from(chunk, encoding));
}

/**
 * Structured cloning copies a view's whole ArrayBuffer: a small Buffer from Node's 8 KiB pool
 * would take the pool across with it. Such a view crosses as a copy of its own bytes only.
 */
function ownBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
    ? bytes
    : new Uint8Array(bytes);
}

export class PortSocket extends net.Socket {
  private portOpen = true;

  /** `label` stands in for the remote address in logs. */
  constructor(
    private readonly port: MessagePort,
    label = 'in-process',
  ) {
    super();
    // no peer address: the label stands in for it (own properties shadow net.Socket's getters)
    Object.defineProperty(this, 'remoteAddress', { value: label });
    Object.defineProperty(this, 'remotePort', { value: 0 });
    Object.defineProperty(this, 'localPort', { value: 0 });
    port.on('message', (chunk: PortChunk) => {
      if (chunk === null) this.push(null);
      // (a posted Uint8Array arrives as a copy of its own: wrapped, not copied again)
      else
        this.push(
          typeof chunk === 'string'
            ? Buffer.from(chunk, 'utf8')
            : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength),
        );
    });
    // the other side closed the port (ended, or its thread is gone): as a TCP reset
    port.once('close', () => {
      this.portOpen = false;
      this.push(null);
      this.destroy();
    });
  }

  /** For code that waits for 'connect' (drachtio-srf): emitted on the next tick. */
  announceConnected(): this {
    process.nextTick(() => {
      if (!this.destroyed) this.emit('connect');
    });
    return this;
  }

  override _read(): void {
    // data arrives when the other side posts it; nothing to ask for
  }

  override _write(chunk: unknown, encoding: BufferEncoding, callback: WriteCallback): void {
    this.post(wireChunk(chunk, encoding), callback);
  }

  override _writev(
    chunks: Array<{ chunk: unknown; encoding: BufferEncoding }>,
    callback: WriteCallback,
  ): void {
    const parts = chunks.map((c) => wireChunk(c.chunk, c.encoding));
    if (parts.every((p) => typeof p === 'string')) this.post(parts.join(''), callback);
    else
      this.post(
        Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : p))),
        callback,
      );
  }

  override _final(callback: WriteCallback): void {
    this.post(null, callback);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.closePort();
    // net.Socket's own: without a handle it only settles and emits 'close'
    super._destroy(error, callback);
  }

  private post(chunk: PortChunk, callback: WriteCallback): void {
    if (!this.portOpen) {
      callback(new Error('in-process connection closed'));
      return;
    }
    this.port.postMessage(chunk);
    callback();
  }

  private closePort(): void {
    if (!this.portOpen) return;
    this.portOpen = false;
    this.port.close();
  }
}
