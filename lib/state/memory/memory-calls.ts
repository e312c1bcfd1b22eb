/** In-process call records with a dialog index; owner listing scans (single node only). */
import { callDialogs, callHasDialog, type CallRecord, type CallStore } from '../call-record';
import { secondsToMs } from '../state-error';
import { ExpiringMap, viaJson } from './expiring-map';

const dialogKey = (callId: string, localTag: string): string => JSON.stringify([callId, localTag]);

export class MemoryCalls implements CallStore {
  private readonly records: ExpiringMap<string, CallRecord>;
  private readonly byDialog: ExpiringMap<string, string>;
  private readonly claims: ExpiringMap<string, string>;

  constructor(private readonly now: () => number) {
    this.records = new ExpiringMap(now);
    this.byDialog = new ExpiringMap(now);
    this.claims = new ExpiringMap(now);
  }

  claimCall(id: string, fromOwner: string, toOwner: string, ttlSeconds: number): Promise<boolean> {
    const key = dialogKey(id, fromOwner);
    if (this.claims.get(key) !== undefined) return Promise.resolve(false);
    this.claims.set(key, toOwner, this.now() + secondsToMs('ttlSeconds', ttlSeconds));
    return Promise.resolve(true);
  }

  putCall(call: CallRecord, ttlSeconds: number): Promise<void> {
    const expiresAt = this.now() + secondsToMs('ttlSeconds', ttlSeconds);
    const old = this.records.get(call.id);
    if (old) this.unindex(old);
    this.records.set(call.id, viaJson(call), expiresAt);
    for (const d of callDialogs(call)) this.byDialog.set(dialogKey(d.callId, d.localTag), call.id, expiresAt);
    return Promise.resolve();
  }

  getCall(id: string): Promise<CallRecord | undefined> {
    const r = this.records.get(id);
    return Promise.resolve(r && viaJson(r));
  }

  async findCallByDialog(callId: string, localTag: string): Promise<CallRecord | undefined> {
    const id = this.byDialog.get(dialogKey(callId, localTag));
    if (id === undefined) return undefined;
    const call = await this.getCall(id);
    return call && callHasDialog(call, callId, localTag) ? call : undefined;
  }

  deleteCall(id: string): Promise<boolean> {
    const old = this.records.get(id);
    if (!old) return Promise.resolve(false);
    this.unindex(old);
    this.records.delete(id);
    return Promise.resolve(true);
  }

  listCallsByOwner(instanceId: string): Promise<CallRecord[]> {
    const out: CallRecord[] = [];
    for (const [, r] of this.records.live()) if (r.owner === instanceId) out.push(viaJson(r));
    return Promise.resolve(out);
  }

  private unindex(call: CallRecord): void {
    for (const d of callDialogs(call)) {
      const key = dialogKey(d.callId, d.localTag);
      if (this.byDialog.get(key) === call.id) this.byDialog.delete(key);
    }
  }
}
