/**
 * Serialises the events fed to one transaction. Transport and TU callbacks invoked while a
 * transition's effects are being carried out (a synchronous send failure reporting a transport
 * error, a TU answering from inside passToTu) are queued and handled after the current event, so
 * every transition sees the state left by the previous one.
 *
 * A base class rather than a member holding a callback: tens of thousands of transactions linger
 * in their wait states, and a closure plus a queue array each would be most of their memory. The
 * backlog array exists only while an event arrives during another one.
 */
export abstract class EventQueue<T> {
  private backlog: T[] | undefined;
  private draining = false;

  protected abstract handle(item: T): void;

  protected push(item: T): void {
    if (this.draining || this.backlog !== undefined) {
      (this.backlog ??= []).push(item);
      if (this.draining) return;
    }
    this.draining = true;
    try {
      let next: T | undefined = this.backlog === undefined ? item : this.backlog.shift();
      while (next !== undefined) {
        this.handle(next);
        next = this.backlog?.shift();
      }
      this.backlog = undefined;
    } finally {
      this.draining = false;
    }
  }
}
