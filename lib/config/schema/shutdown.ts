/**
 * `shutdown:` — graceful drain (SIGTERM, `palisade drain`, POST /admin/drain): the instance turns
 * not-ready at once, answers new INVITEs 503 with Retry-After, lets established calls finish for
 * up to `drainSeconds`, then ends the rest (BYE on both legs) and exits.
 */
import { z } from 'zod';

export const DEFAULT_DRAIN_SECONDS = 30;

export const shutdownSchema = z
  .strictObject({
    drainSeconds: z.int().min(0).max(86_400).default(DEFAULT_DRAIN_SECONDS),
  })
  .prefault({});
