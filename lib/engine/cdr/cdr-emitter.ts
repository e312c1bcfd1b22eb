/**
 * CDR events (protocol doc §4.3): `cdr:attempt`, `cdr:start` and `cdr:stop` frames, each followed
 * by the SIP message that triggered it, sent to one connection per record, round-robin over the
 * connections that routed the matching `cdr:*` verb. Nothing is sent when no app asked for CDRs.
 *
 * The engine core calls it through the `CdrSink` interface held in `EngineDeps.cdr`, one line per
 * emit point (new INVITE, 2xx/≥300 final on a UAS or UAC leg, CANCEL received, BYE either way).
 */
import type { SipRequest, SipResponse } from '../../sip';
import { stackTime } from '../wire/frames';

/** `network`: the message came from a SIP peer; `application`: the engine sent it. */
export type CdrSource = 'network' | 'application';
export type CdrRole = 'uac' | 'uas' | 'proxy-uac' | 'proxy-uas';
export type CdrStopReason =
  | 'call-rejected'
  | 'call-canceled'
  | 'normal-release'
  | 'session-expired'
  | 'system-initiated-termination'
  | 'system-error-initiated-termination';

type CdrMessage = SipRequest | SipResponse;

/** What the engine core calls; every method is a no-op when no app routed that CDR verb. */
export interface CdrSink {
  attempt(source: CdrSource, msg: CdrMessage): void;
  start(source: CdrSource, role: CdrRole, msg: CdrMessage): void;
  stop(source: CdrSource, reason: CdrStopReason, msg: CdrMessage): void;
  /** A final response on a call leg: 2xx → start, ≥ 300 → stop (487 call-canceled, else call-rejected). */
  final(source: CdrSource, role: CdrRole, res: SipResponse): void;
}

/** A connection CDR frames can be written to (ControlConnection satisfies it). */
export interface CdrTarget {
  readonly isClosed: boolean;
  send(tokens: readonly string[], sip?: string): void;
}

/** Who routed which verb (AppRegistry satisfies it): round-robin per verb. */
export interface CdrRoutes<T extends CdrTarget> {
  pick(verb: string): T | undefined;
  hasRoute(verb: string): boolean;
}

/** Stop reason for a final failure response on a call leg (§4.3). */
export function stopReasonOf(status: number): CdrStopReason {
  return status === 487 ? 'call-canceled' : 'call-rejected';
}

export class CdrEmitter<T extends CdrTarget> implements CdrSink {
  constructor(
    private readonly routes: CdrRoutes<T>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  attempt(source: CdrSource, msg: CdrMessage): void {
    this.emit('attempt', [source], msg);
  }

  start(source: CdrSource, role: CdrRole, msg: CdrMessage): void {
    this.emit('start', [source, role], msg);
  }

  stop(source: CdrSource, reason: CdrStopReason, msg: CdrMessage): void {
    this.emit('stop', [source, reason], msg);
  }

  final(source: CdrSource, role: CdrRole, res: SipResponse): void {
    if (res.status >= 200 && res.status < 300) this.start(source, role, res);
    else if (res.status >= 300) this.stop(source, stopReasonOf(res.status), res);
  }

  /** `<id>|cdr:<type>|<source>|<time>[|<role or reason>]` CRLF `<SIP message>`. */
  private emit(
    type: 'attempt' | 'start' | 'stop',
    fields: readonly [CdrSource, string?],
    msg: CdrMessage,
  ): void {
    const verb = `cdr:${type}`;
    if (!this.routes.hasRoute(verb)) return;
    const target = this.routes.pick(verb);
    if (!target || target.isClosed) return;
    const [source, extra] = fields;
    const tokens =
      extra === undefined
        ? [verb, source, stackTime(this.now())]
        : [verb, source, stackTime(this.now()), extra];
    target.send(tokens, msg.toBuffer().toString('utf8'));
  }
}
