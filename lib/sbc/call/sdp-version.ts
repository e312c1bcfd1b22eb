/** The o= sess-version of an SDP body (RFC 4566 §5.2), as a decimal string; undefined if absent. */
export function sdpVersion(sdp: string | undefined): string | undefined {
  return /^o=\S+ \S+ (\d+) /m.exec(sdp ?? '')?.[1];
}
