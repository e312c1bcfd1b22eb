/**
 * A binding's NAT verdict (issue 7 points 1 and 5): its device is judged as its REGISTER was —
 * the Contact it registered (host, port) against the flow the REGISTER came over — by the same
 * detector (nat-detect.ts, with the operator's internal/public networks). Derived from the
 * binding itself, so any instance reaches the same verdict from the StateStore.
 */
import { parseUri } from '../../sip';
import type { Binding } from '../../state/binding';
import type { NatDetector } from '../nat/nat-detect';

export function bindingNatted(binding: Binding, detector: NatDetector): boolean {
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
