/**
 * drachtio-srf resolves createUAS (and so createB2BUA) once the engine reports our 2xx sent. The
 * caller's ACK and an immediate re-INVITE can reach srf in the same read, before the call has
 * attached its in-dialog handlers, and srf answers a re-INVITE nobody listens for with a 200 of its
 * own: the caller's offer never reached the callee (the glare test's CI flake). So a new UAS
 * dialog holds every request but ACK (srf's late-offer path waits for the ACK itself) from the
 * moment srf registers it (engine-link.ts) until the call releases it, once wired.
 */
import type Srf from 'drachtio-srf';

type Handle = (req: Srf.SrfRequest, res: Srf.SrfResponse) => void;
interface Handling {
  handle: Handle;
}

const releasers = new WeakMap<Srf.Dialog, () => void>();

export function holdRequests(dialog: Srf.Dialog): void {
  const d = dialog as unknown as Handling;
  const srfHandle = d.handle;
  const handle: Handle = srfHandle.bind(dialog);
  const held: [Srf.SrfRequest, Srf.SrfResponse][] = [];
  d.handle = (req, res) => {
    if (req.method === 'ACK') handle(req, res);
    else held.push([req, res]);
  };
  releasers.set(dialog, () => {
    // srf's own again — assigned, not deleted: a delete turns the Dialog into a slow
    // dictionary-mode object (≈ 1.4 KB more per call in bench heap snapshots)
    d.handle = srfHandle;
    // After the current turn: the call finishes what it is doing with the new legs first.
    setImmediate(() => {
      for (const [req, res] of held) handle(req, res);
    });
  });
}

/** Hand the dialog's held requests to the handlers now attached (a no-op for others). */
export function releaseHeldRequests(dialog: Srf.Dialog): void {
  const release = releasers.get(dialog);
  releasers.delete(dialog);
  release?.();
}
