/** The part of the untyped npm `rtpengine-client` that Palisade uses (ng protocol over UDP). */
declare module 'rtpengine-client' {
  import { EventEmitter } from 'node:events';

  export type NgMessage = Record<string, unknown>;
  export interface NgTarget {
    port: number;
    host: string;
  }

  export class Client extends EventEmitter {
    constructor(options: {
      localPort?: number;
      localAddress?: string;
      timeout?: number;
      rejectOnError?: boolean;
    });
    ping(target: NgTarget): Promise<NgMessage>;
    offer(target: NgTarget, message: NgMessage): Promise<NgMessage>;
    answer(target: NgTarget, message: NgMessage): Promise<NgMessage>;
    delete(target: NgTarget, message: NgMessage): Promise<NgMessage>;
    query(target: NgTarget, message: NgMessage): Promise<NgMessage>;
    close(): void;
  }
}
