/**
 * A child logger made on its first written record. Every call has a logger bound to its ids for
 * its whole life, but most calls write one record, at their end: a pino child (its bindings
 * serialised into strings up front) was ≈ 300 bytes of every held call's heap.
 */
import type { Log, LogLevelName } from './logger';

export class LazyChildLog implements Log {
  private made: Log | undefined;

  constructor(
    private readonly parent: Log,
    private readonly bindings: Record<string, unknown>,
  ) {}

  trace(objOrMsg: object | string, msg?: string): void {
    this.write('trace', objOrMsg, msg);
  }

  debug(objOrMsg: object | string, msg?: string): void {
    this.write('debug', objOrMsg, msg);
  }

  info(objOrMsg: object | string, msg?: string): void {
    this.write('info', objOrMsg, msg);
  }

  warn(objOrMsg: object | string, msg?: string): void {
    this.write('warn', objOrMsg, msg);
  }

  error(objOrMsg: object | string, msg?: string): void {
    this.write('error', objOrMsg, msg);
  }

  fatal(objOrMsg: object | string, msg?: string): void {
    this.write('fatal', objOrMsg, msg);
  }

  child(bindings: Record<string, unknown>): Log {
    return this.log().child(bindings);
  }

  isLevelEnabled(level: LogLevelName): boolean {
    return this.parent.isLevelEnabled?.(level) ?? true;
  }

  private log(): Log {
    this.made ??= this.parent.child(this.bindings);
    return this.made;
  }

  private write(level: LogLevelName, objOrMsg: object | string, msg: string | undefined): void {
    // a filtered level does not make the child
    if (this.made === undefined && !this.isLevelEnabled(level)) return;
    const log = this.log();
    if (typeof objOrMsg === 'string') log[level](objOrMsg);
    else log[level](objOrMsg, msg);
  }
}
