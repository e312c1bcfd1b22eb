/**
 * SIP ALG evidence on the callee side (issue 7 point 6): the 2xx (or 18x) a registered device
 * sends back over its flow. A device behind NAT cannot know its public address (without STUN,
 * and then it writes it everywhere), so a response whose Contact or SDP (c=, o=) already names
 * the flow's public source while another of those fields is still internal was edited on the way
 * — the same partial rewrite as alg-detect's evidence (a), read from a response (there is no
 * client Via in a response: ours is on top). Agents known to rewrite their own Contact from
 * rport/received are exempt; phones that never mix addresses give evidence (b) as for requests.
 */
import { sameAddress } from './address-class';
import { NON_REWRITING_AGENTS, SELF_REWRITING_AGENTS, type AlgFinding } from './alg-detect';
import { contactHosts, type NatDetector } from './nat-detect';
import { sdpAddresses } from './sdp-addresses';

export interface AlgResponseFacts {
  /** The flow's public source address (where the response came from). */
  source: string;
  contacts: readonly string[];
  sdp?: string | undefined;
  /** User-Agent or Server of the response. */
  userAgent?: string | undefined;
}

const matches = (ua: string | undefined, list: readonly RegExp[]): boolean =>
  ua !== undefined && list.some((re) => re.test(ua));

/** c=0.0.0.0 (RFC 3264 §8.4 hold) says nothing about the device's address. */
const isHold = (addr: string): boolean => addr === '0.0.0.0' || addr === '::';

export function responseAlgFindings(f: AlgResponseFacts, detector: NatDetector): AlgFinding[] {
  if (detector.isInternalHost(f.source)) return []; // no NAT between us and the device
  const sdp = f.sdp === undefined || f.sdp === '' ? undefined : sdpAddresses(f.sdp);
  const fields: { label: string; host: string; internal: boolean }[] = [];
  for (const h of contactHosts(f.contacts))
    fields.push({ label: 'Contact', host: h, internal: detector.isInternalHost(h) });
  for (const c of sdp?.connections ?? [])
    if (!isHold(c)) fields.push({ label: 'c=', host: c, internal: detector.isInternalHost(c) });
  if (sdp?.origin !== undefined)
    fields.push({ label: 'o=', host: sdp.origin, internal: detector.isInternalOrigin(sdp.origin) });
  const findings: AlgFinding[] = [];
  const atSource = fields.find((x) => sameAddress(x.host, f.source));
  const internal = fields.find((x) => x.internal);
  if (atSource !== undefined && internal !== undefined && !matches(f.userAgent, SELF_REWRITING_AGENTS))
    findings.push({
      signal: 'partial-rewrite',
      detail: `response ${atSource.label} ${atSource.host} = source, ${internal.label} ${internal.host}`,
    });
  const contact = fields.find((x) => x.label === 'Contact');
  const odd = fields.find(
    (x) => x.label === 'c=' && contact !== undefined && x.internal !== contact.internal,
  );
  if (matches(f.userAgent, NON_REWRITING_AGENTS) && contact !== undefined && odd !== undefined)
    findings.push({
      signal: 'contact-sdp-mismatch',
      detail: `response Contact ${contact.host} vs c= ${odd.host} (${f.userAgent ?? ''})`,
    });
  return findings;
}
