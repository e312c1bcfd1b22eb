/** The part of the untyped npm `rtpengine-client` that Palisade uses (ng protocol over UDP). */
declare module 'rtpengine-client' {
  import { EventEmitter } from 'node:events';

  /** A decoded ng reply dictionary. */
  export type NgMessage = Record<string, unknown>;
  export interface NgTarget {
    port: number;
    host: string;
  }

  /**
   * One UDP socket; every command names its target. With `timeout` set, a command without a reply
   * rejects with an Error whose message starts "rtpengine timeout". Requests are dictionaries that
   * bencode can encode (strings, integers, lists, dictionaries).
   */
  export class Client extends EventEmitter {
    /** The UDP socket (bound once 'listening' is emitted). */
    readonly socket: import('node:dgram').Socket;
    constructor(options: {
      localPort?: number;
      localAddress?: string;
      timeout?: number;
      rejectOnError?: boolean;
    });
    ping(target: NgTarget): Promise<NgMessage>;
    offer(target: NgTarget, message: object): Promise<NgMessage>;
    answer(target: NgTarget, message: object): Promise<NgMessage>;
    delete(target: NgTarget, message: object): Promise<NgMessage>;
    query(target: NgTarget, message: object): Promise<NgMessage>;
    list(target: NgTarget, message: object): Promise<NgMessage>;
    close(): void;
  }
}
