/**
 * Instance-to-instance forwarding (issue 8 point 3, docs/adr/0005-instance-forwarding.md). A
 * device's flow (its UDP NAT mapping or TCP/TLS connection) lives on the instance that received
 * its REGISTER: `binding.flow.owner`. A call for that device arriving at another instance is sent
 * to the owner's internal listener (from the InstanceStore) with a signed X-Palisade-Forwarded
 * header naming the binding; the owner admits it only when the request comes from a live
 * instance's internal address AND the signature verifies, and then delivers it over the flow.
 */
import type { Binding, BindingStore } from '../../state/binding';
import { bindingKey } from '../../state/binding';
import type { InstanceRecord, InstanceStore } from '../../state/instances';
import type { Log } from '../../util/logger';
import type { InboundRequest } from '../pipeline/context';
import { adoptFlow } from './flow-adoption';
import { FORWARD_HEADER, signForward, verifyForward } from './forward-token';

/** Where a binding owned by another instance is reached, and the header that names it. */
export interface ForwardRoute {
  proxy: string;
  headers: Record<string, string>;
}

export type ForwardAdmission =
  | { kind: 'not-forwarded' }
  | { kind: 'refused'; status: 403 | 480; reason: string }
  | { kind: 'admitted'; from: string; binding: Binding };

export interface ForwardingOptions {
  self: string;
  secret: string;
  instances: Pick<InstanceStore, 'getInstance'>;
  bindings: Pick<BindingStore, 'getBindings' | 'putBinding'>;
  /** `instance.sharedAddress`: dead or draining peers' UDP flows may be adopted (ADR 0006). */
  sharedAddress?: boolean;
  /** Wall clock, epoch ms (token expiry is compared across instances). */
  wallNow?: () => number;
  /** How long a forwarded request's token is accepted (covers clock skew between instances). */
  tokenSeconds?: number;
  log: Log;
}

/** IPv4-mapped IPv6 (`::ffff:a.b.c.d`) compares equal to the plain IPv4 address. */
const plainAddress = (a: string): string => a.toLowerCase().replace(/^::ffff:(?=\d+\.)/, '');

export class InstanceForwarding {
  readonly self: string;
  readonly sharedAddress: boolean;
  private readonly wallNow: () => number;

  constructor(private readonly o: ForwardingOptions) {
    this.self = o.self;
    this.sharedAddress = o.sharedAddress ?? false;
    this.wallNow = o.wallNow ?? Date.now;
  }

  /** A flow owner's live entry (its `draining` flag included); undefined when it is not alive. */
  owner(id: string): Promise<InstanceRecord | undefined> {
    return this.o.instances.getInstance(id);
  }

  /** Take a dead or draining peer's UDP flow over (flow-adoption.ts); never throws. */
  adopt(b: Binding): Promise<boolean> {
    return adoptFlow({ self: this.self, bindings: this.o.bindings, log: this.o.log }, b);
  }

  /** The route to a binding the live instance `owner` holds. */
  routeTo(owner: InstanceRecord, b: Binding): ForwardRoute {
    const token = signForward(this.o.secret, {
      from: this.self,
      to: owner.id,
      aor: b.aor,
      binding: bindingKey(b),
      expires: Math.floor(this.wallNow() / 1000) + (this.o.tokenSeconds ?? 60),
    });
    return { proxy: owner.sipUri, headers: { [FORWARD_HEADER]: token } };
  }

  /** Does the request claim to be forwarded by a peer (admit() decides whether it is)? */
  static claimsForwarded(request: Pick<InboundRequest, 'headers'>): boolean {
    return request.headers.get(FORWARD_HEADER) !== undefined;
  }

  /** Is this request forwarded by a peer instance, and may it be served here? */
  async admit(request: InboundRequest): Promise<ForwardAdmission> {
    const token = request.headers.get(FORWARD_HEADER);
    if (token === undefined) return { kind: 'not-forwarded' };
    const source = request.source.address;
    const check = verifyForward(this.o.secret, token.trim(), this.self, Math.floor(this.wallNow() / 1000));
    if (!check.ok) return this.refuse(403, 'Forbidden', `forwarded request refused: ${check.why}`, source);
    const { claims } = check;
    const peer = await this.o.instances.getInstance(claims.from);
    if (peer === undefined || plainAddress(peer.address) !== plainAddress(source))
      return this.refuse(
        403,
        'Forbidden',
        `forwarded request not from a live instance (${claims.from})`,
        source,
      );
    const binding = (await this.o.bindings.getBindings(claims.aor)).find(
      (b) => bindingKey(b) === claims.binding,
    );
    // Gone, or its flow moved on meanwhile: a forwarded request is never forwarded again.
    if (binding?.flow.owner !== this.self)
      return this.refuse(480, 'Temporarily Unavailable', 'forwarded binding is not held here', source);
    return { kind: 'admitted', from: claims.from, binding };
  }

  private refuse(status: 403 | 480, reason: string, why: string, source: string): ForwardAdmission {
    this.o.log[status === 403 ? 'warn' : 'info']({ source, status }, why);
    return { kind: 'refused', status, reason };
  }
}
