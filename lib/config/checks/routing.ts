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

/** Paths are relative to the config root. */
export function checkRouteTargets(
  trunks: readonly { name: string }[],
  routes: readonly RouteLike[],
): Problem[] {
  const names = new Set(trunks.map((t) => t.name));
  const problems: Problem[] = [];
  routes.forEach((route, i) => {
    if (route.from !== 'any' && !names.has(route.from)) {
      problems.push({ path: ['routes', i, 'from'], message: `unknown trunk "${route.from}"` });
    }
    if (route.to !== 'registered' && !names.has(route.to.trunk)) {
      problems.push({ path: ['routes', i, 'to', 'trunk'], message: `unknown trunk "${route.to.trunk}"` });
    }
  });
  return problems;
}
