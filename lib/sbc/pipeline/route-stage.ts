/**
 * route: normalise the identities with the source trunk's inbound rule, then pick the first
 * matching route. No route → 404; a route to a trunk that cannot take calls → 503; a route to
 * registered devices finds their bindings (480 when there are none).
 */
import type { TrunkConfig } from '../../config';
import { normalizeRequest } from '../routing/normalize';
import type { RouteTable } from '../routing/routes';
import type { RegisteredLookup } from '../registrar/registered-lookup';
import { CONTINUE, type Stage, reject, required } from './stage';

export interface RouteDeps {
  routes: RouteTable;
  trunks: ReadonlyMap<string, TrunkConfig>;
  /** Bindings for `to: registered` (registrar/registered-lookup.ts); absent: nobody is registered. */
  registered?: RegisteredLookup;
}

export function routeStage(deps: RouteDeps): Stage {
  return {
    name: 'route',
    async run(ctx) {
      const raw = required(ctx.identity, 'the request identities');
      const identity =
        ctx.sourceTrunk === undefined ? raw : normalizeRequest(raw, ctx.sourceTrunk.normalize.inbound);
      ctx.identity = identity;
      const route = deps.routes.match({
        sourceTrunk: ctx.sourceTrunk?.name,
        registeredDevice: ctx.registeredDevice === true,
        ...identity,
      });
      if (route === undefined) return reject(404, 'Not Found');
      ctx.route = route;
      if (route.destination.kind === 'trunk') {
        const trunk = deps.trunks.get(route.destination.trunk);
        if (trunk?.outbound === undefined) return reject(503, 'Service Unavailable');
        ctx.destinationTrunk = trunk;
      } else {
        // RFC 3261 §21.4.18: the callee is known here but not registered right now.
        const targets = deps.registered === undefined ? [] : await deps.registered(ctx.request);
        if (targets.length === 0) return reject(480, 'Temporarily Unavailable');
        ctx.registeredTargets = targets;
      }
      return CONTINUE;
    },
  };
}
