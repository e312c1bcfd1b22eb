/**
 * Serialises the events fed to one transaction. Transport and TU callbacks invoked while a
 * transition's effects are being carried out (a synchronous send failure reporting a transport
 * error, a TU answering from inside passToTu) are queued and handled after the current event, so
 * every transition sees the state left by the previous one.
 */
export class EventQueue<T> {
  private readonly pending: T[] = [];
  private draining = false;

  constructor(private readonly handle: (item: T) => void) {}

  push(item: T): void {
    this.pending.push(item);
    if (this.draining) return;
    this.draining = true;
    try {
      for (let next = this.pending.shift(); next !== undefined; next = this.pending.shift()) {
        this.handle(next);
      }
    } finally {
      this.draining = false;
    }
  }
}
