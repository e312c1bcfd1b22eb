/**
 * route: normalise the identities with the source trunk's inbound rule, then pick the first
 * matching route. No route → 404; a route to a trunk that cannot take calls → 503.
 */
import type { TrunkConfig } from '../../config';
import { normalizeRequest } from '../routing/normalize';
import type { RouteTable } from '../routing/routes';
import { CONTINUE, type Stage, reject, required } from './stage';

export interface RouteDeps {
  routes: RouteTable;
  trunks: ReadonlyMap<string, TrunkConfig>;
}

export function routeStage(deps: RouteDeps): Stage {
  return {
    name: 'route',
    run(ctx) {
      const raw = required(ctx.identity, 'the request identities');
      const identity =
        ctx.sourceTrunk === undefined ? raw : normalizeRequest(raw, ctx.sourceTrunk.normalize.inbound);
      ctx.identity = identity;
      const route = deps.routes.match({ sourceTrunk: ctx.sourceTrunk?.name, ...identity });
      if (route === undefined) return Promise.resolve(reject(404, 'Not Found'));
      ctx.route = route;
      if (route.destination.kind === 'trunk') {
        const trunk = deps.trunks.get(route.destination.trunk);
        if (trunk?.outbound === undefined) return Promise.resolve(reject(503, 'Service Unavailable'));
        ctx.destinationTrunk = trunk;
      }
      return Promise.resolve(CONTINUE);
    },
  };
}
