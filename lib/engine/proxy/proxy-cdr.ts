/**
 * CDRs of a proxied INVITE (protocol doc §4.3, §7 "attempt per branch, start/stop with proxy
 * roles"): `cdr:attempt` for each branch INVITE sent; on the first 2xx `cdr:start` as proxy-uac
 * (received) and proxy-uas (forwarded upstream); `cdr:stop` for each failed branch — its final
 * response, or the 408/503 the engine made up for a branch that never answered — and for the
 * failure sent upstream. Nothing for other methods.
 */
import type { SipRequest, SipResponse } from '../../sip';
import type { ServerTransaction } from '../../sip/stack';
import { stopReasonOf } from '../cdr/cdr-emitter';
import { synthesized } from '../core/deliver-response';
import type { EngineDeps } from '../core/engine-deps';
import { cdrForFinal } from '../core/engine-final';

export class ProxyCdr {
  constructor(
    private readonly deps: EngineDeps,
    private readonly txn: ServerTransaction,
  ) {}

  private get enabled(): boolean {
    return this.deps.cdr !== undefined && this.txn.method === 'INVITE';
  }

  branchSent(request: SipRequest): void {
    if (this.enabled) this.deps.cdr?.attempt('application', request);
  }

  answered(res: SipResponse, forwarded: SipResponse): void {
    if (!this.enabled) return;
    this.deps.cdr?.start('network', 'proxy-uac', res);
    this.deps.cdr?.start('application', 'proxy-uas', forwarded);
  }

  branchFailed(res: SipResponse): void {
    if (this.enabled) this.deps.cdr?.stop('network', stopReasonOf(res.status), res);
  }

  /** A branch that got no final response at all (timeout, transport error, given up). */
  branchLost(request: SipRequest | undefined, status: 408 | 503): void {
    if (this.enabled && request)
      this.deps.cdr?.stop('application', 'call-rejected', synthesized(request, status));
  }

  /** A failure received from a branch and forwarded upstream (made-up finals: engineFinal). */
  upstreamFinal(res: SipResponse): void {
    cdrForFinal(this.deps, this.txn, res, 'application', 'proxy-uas');
  }
}
