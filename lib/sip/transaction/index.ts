/**
 * RFC 3261 §17 transaction layer (with the RFC 6026 corrections): pure state machines, their
 * drivers, timer values, matching keys and the transaction table.
 */
export * from './errors';
export * from './timers';
export * from './types';
export * from './invite-client';
export * from './non-invite-client';
export * from './invite-server';
export * from './non-invite-server';
export * from './client-runner';
export * from './server-runner';
export * from './keys';
export * from './table';
