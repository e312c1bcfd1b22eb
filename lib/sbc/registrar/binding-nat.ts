/**
 * A binding's NAT verdict (issue 7 points 1 and 5): the verdict NAT detection gave its REGISTER,
 * stored in the binding (`nat`, with the signals that fired) so any instance reads it from the
 * StateStore. Bindings written before that field existed are judged again as their REGISTER was
 * — the Contact it registered (host, port) against the flow it came over — by the same detector
 * (nat-detect.ts, with the operator's internal/public networks).
 */
import { parseUri } from '../../sip';
import type { Binding } from '../../state/binding';
import type { NatDetector } from '../nat/nat-detect';

export function bindingNatted(binding: Binding, detector: NatDetector): boolean {
  if (binding.nat !== undefined) return binding.nat.natted;
  const { flow } = binding;
  const contact = parseUri(binding.contact);
  if (!contact.ok || contact.value.kind !== 'sip') return true;
  const host = contact.value.host.replace(/^\[(.*)\]$/, '$1');
  return detector.detect({
    source: { address: flow.sourceAddress, port: flow.sourcePort, transport: flow.transport },
    via: { transport: flow.transport, host, port: contact.value.port },
    contacts: [binding.contact],
  }).natted;
}
