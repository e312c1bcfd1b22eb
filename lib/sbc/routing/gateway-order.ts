/**
 * Order in which an outbound trunk's gateways are tried, DNS SRV style (RFC 2782): ascending
 * priority; within one priority a weighted random order (each pick has probability weight / sum of
 * the remaining weights). Weight 0 gateways come last in their priority, in configuration order —
 * they are used only when the weighted ones have failed.
 */
export interface WeightedGateway {
  uri: string;
  priority: number;
  weight: number;
}

/** A source of uniform numbers in [0, 1); Math.random in production, seeded in tests. */
export type Random = () => number;

function weightedShuffle<G extends WeightedGateway>(group: readonly G[], random: Random): G[] {
  const remaining = group.filter((g) => g.weight > 0);
  const ordered: G[] = [];
  let total = remaining.reduce((sum, g) => sum + g.weight, 0);
  while (remaining.length > 0) {
    let point = random() * total;
    let pick = remaining.length - 1;
    for (let i = 0; i < remaining.length; i++) {
      point -= remaining[i]?.weight ?? 0;
      if (point < 0) {
        pick = i;
        break;
      }
    }
    const [chosen] = remaining.splice(pick, 1);
    if (chosen === undefined) break;
    ordered.push(chosen);
    total -= chosen.weight;
  }
  return [...ordered, ...group.filter((g) => g.weight === 0)];
}

/** A fresh attempt order for one call. */
export function orderGateways<G extends WeightedGateway>(
  gateways: readonly G[],
  random: Random = Math.random,
): G[] {
  const priorities = [...new Set(gateways.map((g) => g.priority))].sort((a, b) => a - b);
  return priorities.flatMap((priority) =>
    weightedShuffle(
      gateways.filter((g) => g.priority === priority),
      random,
    ),
  );
}
