/**
 * Route matching: `routes[]` from the configuration, evaluated in order; the first whose `from`
 * (a trunk name, `registered` for calls from registered devices, or `any`) and every given `match` pattern (Request-URI, From URI, To URI) match
 * wins. Patterns are compiled once, when the table is built. No match → the caller answers 404.
 */
import type { RouteConfig } from '../../config';

export type RouteDestination = { kind: 'trunk'; trunk: string } | { kind: 'registered' };

export interface RouteInput {
  /** Trunk the call arrived from; undefined for registered devices (matched by `from: registered` or `any`). */
  sourceTrunk: string | undefined;
  /** The caller was admitted as one of our devices (acl): `from: registered` routes apply. */
  registeredDevice?: boolean;
  /** Request-URI, From URI and To URI as strings (URIs, not whole header values). */
  ruri: string;
  from: string;
  to: string;
}

export interface RouteMatch {
  /** Position in `routes[]`, for logs. */
  index: number;
  /** `routes[].name`, or `routes[<index>]` when unnamed. */
  name: string;
  destination: RouteDestination;
}

interface CompiledRoute extends RouteMatch {
  from: string;
  ruri: RegExp | undefined;
  fromUri: RegExp | undefined;
  toUri: RegExp | undefined;
}

const compile = (source: string | undefined) => (source === undefined ? undefined : new RegExp(source));

const matches = (pattern: RegExp | undefined, value: string) => pattern === undefined || pattern.test(value);

export class RouteTable {
  private readonly routes: readonly CompiledRoute[];

  constructor(routes: readonly RouteConfig[]) {
    this.routes = routes.map((route, index) => ({
      index,
      name: route.name ?? `routes[${index}]`,
      destination:
        route.to === 'registered' ? { kind: 'registered' } : { kind: 'trunk', trunk: route.to.trunk },
      from: route.from,
      ruri: compile(route.match.ruri),
      fromUri: compile(route.match.from),
      toUri: compile(route.match.to),
    }));
  }

  /** The first route that matches, or undefined (answer 404). */
  match(input: RouteInput): RouteMatch | undefined {
    const route = this.routes.find(
      (r) =>
        (r.from === 'any' ||
          r.from === input.sourceTrunk ||
          (r.from === 'registered' && input.sourceTrunk === undefined && input.registeredDevice === true)) &&
        matches(r.ruri, input.ruri) &&
        matches(r.fromUri, input.from) &&
        matches(r.toUri, input.to),
    );
    return route === undefined
      ? undefined
      : { index: route.index, name: route.name, destination: route.destination };
  }
}
