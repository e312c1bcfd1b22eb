/**
 * `@localhost` substitution (protocol doc §5.1): in From, To, Contact and P-Asserted-Identity a URI
 * whose host is `localhost` gets the engine's SIP address and port for the transport in use;
 * display name, user part and parameters are kept, and the result is written as name-addr.
 */
/** name-addr: `["name"] <sip:[user@]localhost[:port][;uri-params]>[;header-params]`. */
const BRACKETED = /^\s*("[^"]*"|[^<"]*?)\s*<\s*(sips?:)([^@<>;]+@)?localhost(?::\d+)?([^>]*)>(.*)$/i;
/** addr-spec (RFC 3261 §20.10): parameters after the URI belong to the header, not the URI. */
const BARE = /^\s*(sips?:)([^@<>;]+@)?localhost(?::\d+)?(.*)$/i;

export const LOCALHOST_HEADERS = new Set(['from', 'to', 'contact', 'p-asserted-identity']);

export function substituteLocalhost(value: string, hostport: string): string {
  if (!/localhost/i.test(value)) return value;
  const bracketed = BRACKETED.exec(value);
  if (bracketed) {
    const [, display = '', scheme = 'sip:', user = '', uriParams = '', rest = ''] = bracketed;
    const name = display.trim();
    return `${name ? `${name} ` : ''}<${scheme}${user}${hostport}${uriParams}>${rest}`;
  }
  const bare = BARE.exec(value);
  if (!bare) return value;
  const [, scheme = 'sip:', user = '', params = ''] = bare;
  return `<${scheme}${user}${hostport}>${params}`;
}
