/**
 * Lifecycle shared by stream and WebSocket connections: idle timeout, send-queue cap, idempotent
 * close that reports exactly once, graceful close bounded by a grace timer.
 */
import type { Clock, TimerHandle } from '../../util/clock';
import type { Connection, ConnectionHooks } from './connection';
import { TransportError } from './errors';
import { IdleTimer } from './idle-timer';
import type { TransportLimits } from './limits';
import type { CloseReason, ConnectionDirection, Flow } from './types';

export interface ConnectionParams {
  id: string;
  direction: ConnectionDirection;
  flow: Flow;
  limits: TransportLimits;
  clock: Clock;
  hooks: ConnectionHooks;
}

const GRACEFUL: ReadonlySet<CloseReason> = new Set<CloseReason>(['shutdown', 'local', 'idle']);
const QUIET_SOCKET_ERRORS = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

export abstract class ConnectionBase implements Connection {
  readonly id: string;
  readonly direction: ConnectionDirection;
  readonly flow: Flow;
  readonly done: Promise<void>;
  protected readonly limits: TransportLimits;
  protected readonly hooks: ConnectionHooks;
  private readonly clock: Clock;
  private readonly idle: IdleTimer;
  private isClosed = false;
  private grace: TimerHandle | undefined;
  private resolveDone: () => void = () => undefined;

  protected constructor(p: ConnectionParams) {
    this.id = p.id;
    this.direction = p.direction;
    this.flow = { ...p.flow, connectionId: p.id };
    this.limits = p.limits;
    this.hooks = p.hooks;
    this.clock = p.clock;
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    this.idle = new IdleTimer(p.clock, p.limits.idleTimeoutMs, () => {
      this.close('idle');
    });
  }

  get closed(): boolean {
    return this.isClosed;
  }

  abstract send(data: Buffer): Promise<void>;

  close(reason: CloseReason): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.idle.stop();
    const graceful = GRACEFUL.has(reason);
    if (graceful)
      this.grace = this.clock.setTimer(this.limits.closeGraceMs, () => {
        this.teardown(false);
      });
    this.teardown(graceful);
    this.hooks.onClose(this, reason);
  }

  /** Graceful: flush and say goodbye; otherwise destroy now. */
  protected abstract teardown(graceful: boolean): void;

  protected touch(): void {
    this.idle.touch();
  }

  protected deliver(data: Buffer): void {
    this.hooks.onMessage(data, { ...this.flow });
  }

  /** Call from the socket's final close event. */
  protected socketClosed(reason: CloseReason): void {
    this.close(reason);
    this.grace?.cancel();
    this.resolveDone();
  }

  protected socketError(error: Error & { code?: unknown }): void {
    if (typeof error.code === 'string' && QUIET_SOCKET_ERRORS.has(error.code)) return;
    this.hooks.onError(
      new TransportError('TRANSPORT_SOCKET', `connection ${this.id}: ${error.message}`, {
        cause: error,
        connectionId: this.id,
      }),
    );
  }

  /** Checks the send-queue cap; on overflow closes the connection and returns the error. */
  protected admitSend(queued: number, size: number): TransportError | undefined {
    if (this.isClosed) {
      return new TransportError('TRANSPORT_CONNECTION_CLOSED', `connection ${this.id} is closed`, {
        connectionId: this.id,
      });
    }
    if (queued + size > this.limits.maxSendQueueBytes) {
      const error = new TransportError(
        'TRANSPORT_SEND_QUEUE_FULL',
        `connection ${this.id}: ${queued} bytes already queued, peer is not reading`,
        { connectionId: this.id },
      );
      this.hooks.onError(error);
      this.close('send-queue-overflow');
      return error;
    }
    this.touch();
    return undefined;
  }

  protected sendFailed(cause: Error): TransportError {
    return new TransportError('TRANSPORT_SEND_FAILED', `connection ${this.id}: ${cause.message}`, {
      cause,
      connectionId: this.id,
    });
  }
}
