/** The SIP transports Palisade speaks (RFC 3261 §18, RFC 7118 for WebSocket), as Via/URI names. */
export const SIP_TRANSPORTS = ['udp', 'tcp', 'tls', 'ws', 'wss'] as const;

export type SipTransportName = (typeof SIP_TRANSPORTS)[number];

export function isSipTransportName(s: string): s is SipTransportName {
  return (SIP_TRANSPORTS as readonly string[]).includes(s);
}
