/**
 * The drain's admin endpoints on the ops server: `POST /admin/drain[?deadline=S]` starts (or
 * shortens) the drain and answers 202 with its status; `GET /admin/drain` shows progress.
 */
import type { AdminReply, AdminRoute } from '../observe/http-server';
import type { DrainController } from './drain';

export const DRAIN_PATH = '/admin/drain';

/** `deadline` as whole or fractional seconds ≥ 0; undefined when absent, an error text if bad. */
export function parseDeadline(text: string | null): number | undefined | { error: string } {
  if (text === null || text === '') return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0)
    return { error: `deadline must be a number of seconds ≥ 0, got "${text}"` };
  return n;
}

export function drainRoutes(drain: DrainController): AdminRoute[] {
  const start = (query: URLSearchParams): Promise<AdminReply> => {
    const deadline = parseDeadline(query.get('deadline'));
    if (typeof deadline === 'object') return Promise.resolve({ status: 400, body: deadline });
    return Promise.resolve({ status: 202, body: drain.start(deadline) });
  };
  return [
    { method: 'POST', path: DRAIN_PATH, handle: start },
    { method: 'GET', path: DRAIN_PATH, handle: () => Promise.resolve({ status: 200, body: drain.status() }) },
  ];
}
