/**
 * Redis key layout (the configured keyPrefix is prepended by ioredis). Every key carries a hash
 * tag `{…}` naming the entity it belongs to, so keys touched together by one script or MULTI land
 * in one Cluster slot; user-supplied text is URI-encoded so braces in it cannot move the tag.
 *
 *   call:{id}             string  CallRecord JSON                 TTL = call TTL
 *   call:{id}:idx         string  index keys of the last write    TTL = call TTL (not in a Cluster)
 *   dlg:{sip-call-id}:tag string  Palisade call id                TTL = call TTL
 *   owner:{instance}      zset    call id → expiry (ms)           TTL ≥ newest member
 *   claim:{id}:owner      string  instance that took the call over TTL = call TTL
 *   reg:{aor}             hash    binding key → Binding JSON      TTL = last expiry + grace
 *   reg:{aor}:exp         zset    binding key → expiresAt (ms)    same TTL as reg:{aor}
 *   regdue                zset    [aor, binding key] → expiresAt  TTL ≥ newest member + grace
 *   slots:{trunk}         zset    call id → lease end (ms)        TTL ≥ longest lease
 *   cps:{trunk}           zset    admission nonce → time (ms)     TTL 1 s
 *   ban:{address}         string  Ban JSON                        TTL = ban length
 *   bans                  zset    address → until (ms)            TTL ≥ longest ban
 *   alg:{client}          string  AlgSuspect JSON                 TTL = listing time
 *   algs                  zset    client → until (ms)             TTL ≥ longest listing
 *   inst:{id}             string  InstanceRecord JSON             TTL = heartbeat TTL
 *   authfail:{key}        string  failed digest attempts (count)  TTL = window from first failure
 *   nc:{nonce}            string  highest nonce-count accepted    TTL = nonce lifetime
 *   insts                 zset    instance id → until (ms)        TTL ≥ newest member
 */
const tag = (text: string): string => `{${encodeURIComponent(text)}}`;

export const keys = {
  call: (id: string): string => `call:${tag(id)}`,
  callIndex: (id: string): string => `call:${tag(id)}:idx`,
  dialog: (callId: string, localTag: string): string => `dlg:${tag(callId)}:${encodeURIComponent(localTag)}`,
  owner: (instanceId: string): string => `owner:${tag(instanceId)}`,
  callClaim: (id: string, fromOwner: string): string => `claim:${tag(id)}:${encodeURIComponent(fromOwner)}`,
  aorBindings: (aor: string): string => `reg:${tag(aor)}`,
  aorExpiry: (aor: string): string => `reg:${tag(aor)}:exp`,
  bindingsDue: (): string => 'regdue',
  slots: (trunk: string): string => `slots:${tag(trunk)}`,
  cps: (trunk: string): string => `cps:${tag(trunk)}`,
  ban: (address: string): string => `ban:${tag(address)}`,
  bans: (): string => 'bans',
  algSuspect: (client: string): string => `alg:${tag(client)}`,
  algSuspects: (): string => 'algs',
  instance: (id: string): string => `inst:${tag(id)}`,
  instances: (): string => 'insts',
  authFailures: (key: string): string => `authfail:${tag(key)}`,
  nonceCount: (nonce: string): string => `nc:${tag(nonce)}`,
};
