/**
 * The registrar's answer to "may this device call?" (pipeline/device-gate.ts, issue 7 point 3).
 *
 * Registered flow: the request came over exactly the flow (transport, source address and port)
 * of a current binding of its From AOR — what a phone behind NAT does after registering (RFC
 * 5626 §5: the flow identifies the UA). Stateless and cross-instance: the From names the AOR,
 * the StateStore holds its bindings. UDP source addresses can be forged, so an operator wanting
 * every call authenticated turns `registrar.calls.trustRegisteredFlow` off.
 *
 * Credentials (local mode): Proxy-Authorization checked like REGISTER's Authorization, against
 * the same users, realm, nonces and brute-force limits (RFC 3261 §22.3 and §22.4); the caller is then
 * `sip:<user>@<domain>` — its From AOR when that names the same user, else the first domain
 * (or the realm).
 */
import { formatUri, parseNameAddr } from '../../sip';
import type { BindingStore, Flow } from '../../state/binding';
import { sameAddress } from '../nat/address-class';
import type { InboundRequest } from '../pipeline/context';
import type { DeviceCredentials, DeviceGate } from '../pipeline/device-gate';
import { canonicalAor } from './aor';
import type { AuthGuard } from './auth-guard';

export interface RegistrarDeviceGateOptions {
  store: BindingStore;
  domains: readonly string[];
  trustRegisteredFlow: boolean;
  /** Local mode with `calls.authenticate`: the registrar's authenticator and realm; else absent. */
  auth?: { authenticator: AuthGuard; realm: string } | undefined;
}

const UNCHECKED: DeviceCredentials = { kind: 'unchecked' };

/** The From AOR of a request (canonical, as REGISTER's To), when it is one of ours. */
function fromAor(
  request: InboundRequest,
  domains: readonly string[],
): { aor: string; user: string } | undefined {
  const from = parseNameAddr(request.from.trim());
  if (!from.ok) return undefined;
  const aor = canonicalAor(formatUri(from.value.uri), domains);
  return aor.ok ? aor : undefined;
}

export function sameFlow(flow: Flow, source: InboundRequest['source']): boolean {
  return (
    flow.transport === source.transport &&
    flow.sourcePort === source.port &&
    sameAddress(flow.sourceAddress, source.address)
  );
}

export class RegistrarDeviceGate implements DeviceGate {
  constructor(private readonly o: RegistrarDeviceGateOptions) {}

  async registeredFlow(request: InboundRequest): Promise<string | undefined> {
    if (!this.o.trustRegisteredFlow) return undefined;
    const from = fromAor(request, this.o.domains);
    if (from === undefined) return undefined;
    const bindings = await this.o.store.getBindings(from.aor);
    return bindings.some((b) => sameFlow(b.flow, request.source)) ? from.aor : undefined;
  }

  async credentials(request: InboundRequest): Promise<DeviceCredentials> {
    const auth = this.o.auth;
    if (auth === undefined) return UNCHECKED;
    const outcome = await auth.authenticator.check(
      request.headers.get('proxy-authorization'),
      request.method,
      undefined,
      request.source.address,
    );
    switch (outcome.kind) {
      case 'ok':
        return { kind: 'ok', aor: this.aorOf(outcome.username, request, auth.realm) };
      case 'challenge':
        return {
          kind: 'challenge',
          headers: auth.authenticator.challenges(outcome.stale, 'Proxy-Authenticate'),
        };
      case 'forbidden':
        return { kind: 'forbidden', reason: outcome.reason };
    }
  }

  private aorOf(user: string, request: InboundRequest, realm: string): string {
    const from = fromAor(request, this.o.domains);
    if (from?.user === user) return from.aor;
    return `sip:${user}@${(this.o.domains[0] ?? realm).toLowerCase()}`;
  }
}
