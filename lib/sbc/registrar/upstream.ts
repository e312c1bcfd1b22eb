/**
 * The seam between the relay registrar and the SIP side: send one REGISTER to the upstream
 * registrar and resolve with its final response (the srf implementation is srf-upstream.ts;
 * unit tests use a fake). A timeout or transport failure resolves as a 408/503-like response.
 */
export interface UpstreamRequest {
  uri: string;
  headers: Record<string, string>;
}

export interface UpstreamResponse {
  status: number;
  reason: string;
  get(name: string): string | undefined;
}

export interface UpstreamSender {
  register(request: UpstreamRequest): Promise<UpstreamResponse>;
}

/** Seconds the upstream granted to our contact: its Contact `expires`, else Expires, else asked. */
export function grantedSeconds(res: UpstreamResponse, ourContactUser: string, asked: number): number {
  const contacts = res.get('contact') ?? '';
  for (const entry of contacts.split(/,(?=\s*(?:"[^"]*"\s*)?<)/)) {
    if (!entry.includes(ourContactUser)) continue;
    const m = /;\s*expires\s*=\s*(\d+)/i.exec(entry.slice(entry.lastIndexOf('>')));
    if (m) return Number(m[1]);
  }
  const header = /^\s*(\d+)\s*$/.exec(res.get('expires') ?? '');
  return header ? Number(header[1]) : asked;
}
