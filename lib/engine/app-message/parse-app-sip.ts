/**
 * The SIP part of an app's `sip` frame, read the way drachtio-server reads it (protocol doc §5.1):
 * headers are the lines between the start line and the first blank line, body is everything after
 * it (not cut to Content-Length); lines without a colon, names outside the token set and values
 * with CR/LF are dropped; no folding.
 */
import { PalisadeError } from '../../util/errors';

export type AppHeader = [name: string, value: string];

export type AppSip =
  | { kind: 'request'; method: string; uri: string; headers: AppHeader[]; body: Buffer }
  | { kind: 'response'; status: number; reason: string; headers: AppHeader[]; body: Buffer };

const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;
const METHOD = /^[A-Z][A-Z0-9_-]*$/i;

export class AppMessageError extends PalisadeError {
  constructor(reason: string) {
    super('ENGINE_APP_MESSAGE', reason);
  }
}

export function parseAppSip(text: string): AppSip {
  const normalized = text.replace(/\r\n/g, '\n');
  const blank = normalized.indexOf('\n\n');
  const head = blank < 0 ? normalized : normalized.slice(0, blank);
  const body = Buffer.from(blank < 0 ? '' : normalized.slice(blank + 2).replace(/\n/g, '\r\n'), 'utf8');
  const [startLine = '', ...lines] = head.split('\n');
  const headers: AppHeader[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim();
    if (!TOKEN.test(name)) continue;
    headers.push([name, line.slice(colon + 1).trim()]);
  }
  const status = /^SIP\/2\.0\s+(\d{3})\s*(.*)$/i.exec(startLine.trim());
  if (status) return { kind: 'response', status: Number(status[1]), reason: status[2] ?? '', headers, body };
  const request = /^(\S+)\s+(\S+)\s+SIP\/2\.0$/i.exec(startLine.trim());
  if (!request?.[1] || !request[2] || !METHOD.test(request[1])) {
    throw new AppMessageError(`Server error: invalid or missing method supplied on start line: ${startLine}`);
  }
  return { kind: 'request', method: request[1].toUpperCase(), uri: request[2], headers, body };
}
