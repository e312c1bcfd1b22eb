/**
 * Numeric headers parsed without overflow (RFC 4475 §3.1.2.4): CSeq (§20.16, number < 2**31
 * per §8.1.1.5 but receivers accept up to 2**32-1), Max-Forwards (§20.22, 0–255),
 * Content-Length (§20.14).
 */
import { TOKEN, allIn, isDigits, trimWs } from './chars';
import { syntaxError } from './errors';

/** 1*DIGIT up to max (leading zeros allowed), else undefined. Never goes through a float. */
export function parseBoundedInt(s: string, max: number): number | undefined {
  if (!isDigits(s)) return undefined;
  let i = 0;
  while (i < s.length - 1 && s.charCodeAt(i) === 48) i++;
  if (s.length - i > 10) return undefined;
  const n = Number(s.slice(i));
  return n <= max ? n : undefined;
}

export const UINT32_MAX = 4_294_967_295;

export interface CSeq {
  seq: number;
  method: string;
}

/** CSeq = 1*DIGIT LWS Method */
export function readCSeq(value: string): CSeq {
  const s = trimWs(value);
  let i = 0;
  while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
  const seq = parseBoundedInt(s.slice(0, i), UINT32_MAX);
  if (seq === undefined) throw syntaxError(`bad CSeq number "${s.slice(0, i)}"`);
  const method = trimWs(s.slice(i));
  if (method.length === s.length - i || !allIn(TOKEN, method)) throw syntaxError(`bad CSeq "${s}"`);
  return { seq, method };
}

export function formatCSeq(c: CSeq): string {
  return `${c.seq} ${c.method}`;
}

export function readMaxForwards(value: string): number {
  const n = parseBoundedInt(trimWs(value), 255);
  if (n === undefined) throw syntaxError(`bad Max-Forwards "${value}"`);
  return n;
}

/** Content-Length value, undefined when not 1*DIGIT or absurdly large. */
export function readContentLength(value: string): number | undefined {
  return parseBoundedInt(trimWs(value), 2 ** 31 - 1);
}
