/**
 * Instance forwarding cross-checks (issue 8 point 3, docs/adr/0005-instance-forwarding.md): at
 * most one `sip.listen` entry is the internal listener; peers must be able to reach it and to
 * recognise its requests by IP, so it needs a concrete IP (its bound address, or `advertise`
 * when bound to a wildcard) and a transport peers can open without certificates; and forwarding
 * is signed, so `instance.secret` is required with it.
 */
import { isIP } from 'node:net';
import type { Problem } from './problem';
import { isWildcard } from '../validators';

interface ListenerLike {
  transport: string;
  address: string;
  advertise?: string | undefined;
  internal: boolean;
}

interface ConfigLike {
  instance: { secret?: string | undefined };
  sip: { listen: readonly ListenerLike[] };
}

const INTERNAL_TRANSPORTS = new Set(['udp', 'tcp']);

export function checkInstanceForwarding(config: ConfigLike): Problem[] {
  const problems: Problem[] = [];
  const internal = config.sip.listen.flatMap((l, i) => (l.internal ? [{ l, i }] : []));
  for (const { i } of internal.slice(1))
    problems.push({ path: ['sip', 'listen', i, 'internal'], message: 'only one listener may be internal' });
  const first = internal[0];
  if (first === undefined) return problems;
  const { l, i } = first;
  if (!INTERNAL_TRANSPORTS.has(l.transport))
    problems.push({
      path: ['sip', 'listen', i, 'transport'],
      message: 'an internal listener must be udp or tcp',
    });
  const announced = isWildcard(l.address) ? l.advertise : (l.advertise ?? l.address);
  if (announced === undefined || isIP(announced) === 0)
    problems.push({
      path: ['sip', 'listen', i, isWildcard(l.address) ? 'advertise' : 'address'],
      message:
        'an internal listener needs an IP address peers reach it at (advertise an IP when bound to a wildcard)',
    });
  if (config.instance.secret === undefined)
    problems.push({
      path: ['instance', 'secret'],
      message: 'required with an internal listener (forwarded requests are signed with it)',
    });
  return problems;
}

/** The internal listener's announced address, port and transport, when there is one. */
export function internalListener(
  listen: readonly (ListenerLike & { port: number })[],
): { address: string; port: number; transport: string } | undefined {
  const l = listen.find((x) => x.internal);
  if (l === undefined) return undefined;
  const address = isWildcard(l.address) ? l.advertise : (l.advertise ?? l.address);
  return address === undefined ? undefined : { address, port: l.port, transport: l.transport };
}
