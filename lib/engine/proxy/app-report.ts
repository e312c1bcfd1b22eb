/**
 * What the app hears about its `proxy` frame (protocol doc §3.5): with `fullResponse` one
 * `continue` frame per final response from any target, then `OK|done`; without it only
 * `OK|done` once forwarding started; failures `NOK|<reason>` (§9). Exactly one closing frame.
 */
import type { SipResponse } from '../../sip';
import type { Flow } from '../../sip/transport';
import type { ControlConnection } from '../control/control-connection';
import { stackTime } from '../wire/frames';

export class AppReport {
  private closed = false;

  constructor(
    private readonly conn: ControlConnection,
    private readonly msgId: string,
    private readonly fullResponse: boolean,
  ) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** Forwarding has begun: without fullResponse that is all the app is told. */
  started(): void {
    if (!this.fullResponse) this.done();
  }

  /** A final response from a target (token 12 `continue` keeps srf's callback alive). */
  final(res: SipResponse, flow: Pick<Flow, 'transport' | 'remoteAddress' | 'remotePort'>): void {
    if (this.closed || !this.fullResponse) return;
    const text = res.toBuffer().toString('utf8');
    this.conn.respond(
      this.msgId,
      [
        'OK',
        'network',
        String(Buffer.byteLength(text, 'utf8')),
        flow.transport,
        flow.remoteAddress,
        String(flow.remotePort),
        stackTime(),
        '',
        '',
        'continue',
      ],
      text,
    );
  }

  done(): void {
    if (this.closed) return;
    this.closed = true;
    this.conn.respond(this.msgId, ['OK', 'done']);
  }

  fail(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    this.conn.respond(this.msgId, ['NOK', reason.replace(/[|\r\n]/g, ' ')]);
  }
}
