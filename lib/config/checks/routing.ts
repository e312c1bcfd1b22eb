/** Trunk/route cross-checks: trunk names are unique, and routes name trunks that exist. */
import type { Problem } from './problem';

export function checkTrunkNames(trunks: readonly { name: string }[]): Problem[] {
  const problems: Problem[] = [];
  trunks.forEach((trunk, i) => {
    const first = trunks.findIndex((other) => other.name === trunk.name);
    if (first < i) {
      problems.push({
        path: [i, 'name'],
        message: `duplicate trunk name "${trunk.name}" (also trunks[${first}])`,
      });
    }
  });
  return problems;
}

export interface RouteLike {
  from: string;
  to: 'registered' | { trunk: string };
}

export interface TrunkLike {
  name: string;
  inbound?: unknown;
  outbound?: unknown;
}

/**
 * Routes name trunks that exist, come `from` a trunk that has `inbound` (else the route can never
 * match; `any` and `registered`, calls from registered devices, name no trunk) and go `to` a
 * trunk that has `outbound` gateways. Paths are relative to the config root.
 */
export function checkRouteTargets(trunks: readonly TrunkLike[], routes: readonly RouteLike[]): Problem[] {
  const byName = new Map(trunks.map((t) => [t.name, t]));
  const problems: Problem[] = [];
  routes.forEach((route, i) => {
    if (route.from !== 'any' && route.from !== 'registered') {
      const from = byName.get(route.from);
      const path = ['routes', i, 'from'];
      if (from === undefined) problems.push({ path, message: `unknown trunk "${route.from}"` });
      else if (from.inbound === undefined) {
        problems.push({ path, message: `trunk "${route.from}" has no inbound sources` });
      }
    }
    if (route.to !== 'registered') {
      const to = byName.get(route.to.trunk);
      const path = ['routes', i, 'to', 'trunk'];
      if (to === undefined) problems.push({ path, message: `unknown trunk "${route.to.trunk}"` });
      else if (to.outbound === undefined) {
        problems.push({ path, message: `trunk "${route.to.trunk}" has no outbound gateways` });
      }
    }
  });
  return problems;
}
