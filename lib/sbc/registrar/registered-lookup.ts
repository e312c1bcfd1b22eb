/**
 * Where a call `to: registered` goes (issue 6 routes, issue 7 point 3): the bindings of the AOR
 * the Request-URI names (same canonical form as REGISTER, aor.ts), or — for calls an upstream
 * PBX sends to a relay-registered device — the binding named by the token in the Request-URI's
 * user part (`contact` mode) or in the top Route (`path` mode, RFC 3327 §5.3: the Path comes back
 * as Route). Highest q first (BindingStore order).
 */
import { parseNameAddr, parseUri } from '../../sip';
import type { Binding, BindingStore } from '../../state/binding';
import type { InboundRequest } from '../pipeline/context';
import { canonicalAor } from './aor';
import { bindingsForToken, readContactToken } from './contact-token';

export type RegisteredLookup = (request: InboundRequest) => Promise<Binding[]>;

function tokenIn(uriText: string | undefined): { aor: string; hash: string } | undefined {
  if (uriText === undefined) return undefined;
  const parsed = parseUri(uriText.trim());
  if (!parsed.ok || parsed.value.kind !== 'sip' || parsed.value.user === undefined) return undefined;
  return readContactToken(parsed.value.user);
}

function topRouteUri(request: InboundRequest): string | undefined {
  const top = request.headers.getAll('route')[0];
  if (top === undefined) return undefined;
  const na = parseNameAddr(top);
  return na.ok && na.value.uri.kind === 'sip'
    ? `sip:${na.value.uri.user ?? ''}@${na.value.uri.host}`
    : undefined;
}

export function registeredLookup(store: BindingStore, domains: readonly string[]): RegisteredLookup {
  return async (request) => {
    const token = tokenIn(request.uri) ?? tokenIn(topRouteUri(request));
    if (token !== undefined) return bindingsForToken(await store.getBindings(token.aor), token.hash);
    const aor = canonicalAor(request.uri, domains);
    return aor.ok ? store.getBindings(aor.aor) : [];
  };
}
