// Minimal typings for the two benchmark peers (plain JavaScript packages without types).
declare module 'sip' {
  export function parse(data: Buffer | string): unknown;
  export function stringify(message: unknown): string;
}
declare module 'drachtio-srf/lib/sip-parser/parser' {
  export function parseSipMessage(data: Buffer | string, lazy?: boolean): unknown;
  export function stringifySipMessage(message: unknown): string;
}
