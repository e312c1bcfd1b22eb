/** Where the pieces of a parsed message sit in the received bytes. */
export interface RawMessage {
  readonly src: Buffer;
  /** absolute offset of the start line (leading CRLF keep-alives skipped, §7.5) */
  readonly base: number;
  /** latin1 text of the start line and header fields, up to (not incl.) the empty line */
  readonly head: string;
  /** offset in head just past the start line's terminator */
  readonly startLineEnd: number;
  /** absolute offset of the body (just past the empty line) */
  readonly bodyStart: number;
  /** absolute offset just past the message (datagram bytes beyond are ignored, §18.3) */
  readonly end: number;
}
