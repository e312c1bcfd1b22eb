/**
 * One proxied request (RFC 3261 §16, protocol doc §7): the server transaction upstream, one
 * branch per target, serial or simultaneous forking, and the response context. 1xx (not 100)
 * and every 2xx go upstream at once (§16.7 item 5); the first 2xx CANCELs the other branches
 * (§16.7 item 10); when every branch failed the best final goes up (§16.7 item 6).
 */
import type { SipResponse } from '../../sip';
import type { ServerTransaction } from '../../sip/stack';
import type { Flow } from '../../sip/transport';
import { toError } from '../../util/errors';
import type { AppHeader } from '../app-message/parse-app-sip';
import type { EngineDeps } from '../core/engine-deps';
import { resolveNextHop } from '../core/next-hop';
import type { AppReport } from './app-report';
import { chooseBest, collectChallenges, stopsSearch, type Candidate } from './best-response';
import { forwardedRequest } from './forward-request';
import { isOwnTarget } from './own-address';
import { ProxyBranch, type BranchEvents } from './proxy-branch';
import type { ProxyOptions } from './proxy-options';
import { redirectTargets } from './redirects';
import { forwardUpstream, withoutTopVia } from './upstream';
import { ProxyCdr } from './proxy-cdr';
import { engineFinal } from '../core/engine-final';

export interface SessionSetup {
  readonly deps: EngineDeps;
  readonly txn: ServerTransaction;
  readonly options: ProxyOptions;
  readonly appHeaders: readonly AppHeader[];
  readonly report: AppReport;
  readonly timerCMs: number;
}

const MAX_REDIRECTS = 5;

export class ProxySession implements BranchEvents {
  private readonly queue: string[];
  private readonly active = new Set<ProxyBranch>();
  private readonly candidates: Candidate[] = [];
  private current: ProxyBranch | undefined;
  private busy = 0;
  private everStarted = false;
  private succeeded = false;
  private stopped = false;
  private cancelled = false;
  private finished = false;
  private redirects = 0;
  private readonly cdr: ProxyCdr;

  constructor(private readonly s: SessionSetup) {
    this.queue = [...s.options.destinations];
    this.cdr = new ProxyCdr(s.deps, s.txn);
  }

  private get serial(): boolean {
    return this.s.options.forking === 'serial';
  }

  async start(): Promise<void> {
    this.busy++;
    try {
      if (this.serial) await this.next();
      else await Promise.all(this.queue.splice(0).map((d) => this.launch(d)));
    } finally {
      this.busy--;
    }
    if (!this.everStarted) {
      this.finished = true;
      if (this.cancelled) {
        this.s.report.done();
        return;
      }
      engineFinal(this.s.deps, this.s.txn, 500);
      this.s.report.fail('error proxying request to ');
      return;
    }
    this.s.report.started();
    this.maybeFinish();
  }

  /** The caller CANCELled (§16.10): 487 upstream now, CANCEL every branch, report when all ended. */
  cancelByCaller(): void {
    if (this.finished || this.s.txn.finalResponseStatus !== undefined) return;
    this.stop();
    this.cancelled = true;
    engineFinal(this.s.deps, this.s.txn, 487);
    for (const b of this.active) b.giveUp();
    this.maybeFinish();
  }

  provisional(_b: ProxyBranch, res: SipResponse): void {
    if (this.s.txn.finalResponseStatus === undefined) forwardUpstream(this.s.txn, res);
  }

  success(b: ProxyBranch, res: SipResponse, flow: Flow): void {
    const forwarded = forwardUpstream(this.s.txn, res);
    if (!this.succeeded) {
      this.succeeded = true;
      this.cdr.answered(res, forwarded);
      this.s.report.final(res, flow);
      this.s.report.done();
      this.stop();
      if (b.isInvite) for (const other of this.active) if (other !== b) other.giveUp();
    }
    this.ended(b);
  }

  failure(b: ProxyBranch, res: SipResponse, flow: Flow): void {
    this.s.report.final(res, flow);
    this.cdr.branchFailed(res);
    const redirect =
      res.status < 400 && this.s.options.followRedirects && !this.stopped && !b.givenUp
        ? redirectTargets(res)
        : [];
    if (redirect.length > 0 && this.redirects < MAX_REDIRECTS) {
      this.redirects++;
      if (this.serial) this.queue.unshift(...redirect);
      else for (const d of redirect) this.run(this.launch(d));
    } else {
      this.candidates.push(
        b.givenUp ? { status: 408, response: undefined } : { status: res.status, response: res },
      );
    }
    if (!b.givenUp && stopsSearch(res.status)) {
      this.stop();
      if (res.status >= 600) for (const other of this.active) if (other !== b) other.giveUp();
    }
    this.ended(b);
  }

  lost(b: ProxyBranch, status: 408 | 503): void {
    this.cdr.branchLost(b.request, status);
    this.candidates.push({ status, response: undefined });
    this.ended(b);
  }

  timedOut(b: ProxyBranch): void {
    if (this.serial && b === this.current) this.advance();
  }

  private ended(b: ProxyBranch): void {
    if (!this.active.delete(b)) return;
    if (this.serial && b === this.current) this.advance();
    this.maybeFinish();
  }

  private advance(): void {
    this.current = undefined;
    this.run(this.next());
  }

  private run(p: Promise<unknown>): void {
    this.busy++;
    p.then(
      () => {
        this.busy--;
        this.maybeFinish();
      },
      (e: unknown) => {
        this.busy--;
        this.s.deps.log.error({ err: toError(e) }, 'proxy branch start failed');
        this.maybeFinish();
      },
    );
  }

  /** Serial forking: start the next destination that can be started. */
  private async next(): Promise<void> {
    while (!this.stopped && this.current === undefined) {
      const dest = this.queue.shift();
      if (dest === undefined) return;
      this.current = await this.launch(dest);
    }
  }

  private async launch(destination: string): Promise<ProxyBranch | undefined> {
    const { deps, txn, options } = this.s;
    this.busy++;
    try {
      const target = await resolveNextHop(destination);
      if (this.stopped) return undefined;
      if (isOwnTarget(deps.stack, target)) throw new Error('can not send request to myself');
      const request = forwardedRequest(deps.stack, txn.request, {
        destination,
        target,
        inbound: {
          transport: txn.flow.transport,
          address: txn.flow.remoteAddress,
          port: txn.flow.remotePort,
          listenerId: txn.flow.listenerId,
        },
        recordRoute: options.remainInDialog,
        appHeaders: this.s.appHeaders,
      });
      const timers = {
        provisionalMs: options.provisionalTimeoutMs,
        finalMs: options.finalTimeoutMs,
        timerCMs: this.s.timerCMs,
      };
      const branch = new ProxyBranch(deps, destination, target, this, timers);
      this.active.add(branch);
      try {
        branch.start(request);
      } catch (e) {
        this.active.delete(branch);
        throw e;
      }
      this.cdr.branchSent(request);
      this.everStarted = true;
      return branch;
    } catch (e) {
      deps.log.info({ err: toError(e).message, destination }, 'proxy: branch not started');
      this.candidates.push({ status: 503, response: undefined });
      return undefined;
    } finally {
      this.busy--;
    }
  }

  private stop(): void {
    this.stopped = true;
    this.queue.length = 0;
  }

  private maybeFinish(): void {
    if (this.finished || this.busy > 0 || this.active.size > 0 || !this.everStarted) return;
    if (!this.stopped && this.queue.length > 0) return;
    this.finished = true;
    if (!this.succeeded && this.s.txn.finalResponseStatus === undefined) this.forwardBest();
    this.s.report.done();
  }

  /** §16.7 item 6; 408 when the response context is empty; a 503 goes up as 500. */
  private forwardBest(): void {
    const best = chooseBest(this.candidates);
    if (best?.response === undefined) {
      const status = best?.status ?? 408;
      engineFinal(this.s.deps, this.s.txn, status === 503 ? 500 : status);
      return;
    }
    const res = withoutTopVia(best.response);
    if (res.status === 503) res.setStatus(500);
    collectChallenges(res, this.candidates);
    this.s.txn.respond(res);
    this.cdr.upstreamFinal(res);
  }
}
