/**
 * A SendTarget with one field changed, built as a literal of fixed shape. `{ ...target, listenerId }`
 * would do the same, but in optimised code V8 11 (Node 20) gives every object made by a spread
 * followed by a property the source lacks a hidden class of its own (≈250 bytes each, old space)
 * — once per request sent.
 */
import type { SendTarget } from './types';

export function sendTargetWith(
  target: SendTarget,
  change: { listenerId?: string; connectionId?: string },
): SendTarget {
  return {
    transport: target.transport,
    address: target.address,
    port: target.port,
    connectionId: 'connectionId' in change ? change.connectionId : target.connectionId,
    listenerId: 'listenerId' in change ? change.listenerId : target.listenerId,
    serverName: target.serverName,
  };
}
