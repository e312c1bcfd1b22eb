/**
 * `@localhost` substitution (protocol doc §5.1): in From, To, Contact and P-Asserted-Identity a URI
 * whose host is `localhost` gets the engine's SIP address and port for the transport in use;
 * display name, user part and parameters are kept, and the result is written as name-addr.
 */
const LOCALHOST_URI =
  /^\s*(?:("[^"]*"|[^<"]*?)\s*<)?\s*(sips?:)([^@<>;]+@)?localhost(?::\d+)?([^>]*?)(>?)(.*)$/i;

export const LOCALHOST_HEADERS = new Set(['from', 'to', 'contact', 'p-asserted-identity']);

export function substituteLocalhost(value: string, hostport: string): string {
  if (!/localhost/i.test(value)) return value;
  const m = LOCALHOST_URI.exec(value);
  if (!m) return value;
  const [, display = '', scheme = 'sip:', user = '', uriParams = '', closing = '', rest = ''] = m;
  const name = display.trim();
  const uri = `${scheme}${user}${hostport}${uriParams}`;
  // Without angle brackets, header params (e.g. ;tag=) follow the URI directly; keep them outside.
  if (!closing) {
    const semi = uriParams.indexOf(';');
    const params = semi < 0 ? '' : uriParams.slice(semi);
    return `${name ? `${name} ` : ''}<${scheme}${user}${hostport}>${params}${rest}`;
  }
  return `${name ? `${name} ` : ''}<${uri}>${rest}`;
}
