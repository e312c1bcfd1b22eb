/**
 * Which method a session refresh of ours uses. Pure. RFC 4028 §7.4/§9: a refresh may be a
 * re-INVITE or an UPDATE; UPDATE is RECOMMENDED (no ACK, no new offer, RFC 3311), but a peer
 * need not implement UPDATE — its Allow header says whether it does (RFC 3261 §20.5).
 *
 * | setting  | peer's Allow lists UPDATE | peer refused an UPDATE (405/501) | method  |
 * |----------|---------------------------|----------------------------------|---------|
 * | `invite` | any                       | any                              | INVITE  |
 * | `update` | any (not consulted)       | no                               | UPDATE  |
 * | `auto`   | yes                       | no                               | UPDATE  |
 * | `auto`   | no / no Allow seen        | no                               | INVITE  |
 * | any      | any                       | yes                              | INVITE  |
 */
export type RefreshMethodSetting = 'invite' | 'update' | 'auto';
export type RefreshMethod = 'INVITE' | 'UPDATE';

export const REFRESH_METHOD_SETTINGS: readonly RefreshMethodSetting[] = ['invite', 'update', 'auto'];

export function refreshMethodFor(
  setting: RefreshMethodSetting,
  peerAllowsUpdate: boolean | undefined,
  updateRefused: boolean | undefined,
): RefreshMethod {
  if (setting === 'invite' || updateRefused === true) return 'INVITE';
  if (setting === 'update') return 'UPDATE';
  return peerAllowsUpdate === true ? 'UPDATE' : 'INVITE';
}

/**
 * Whether Allow header values list UPDATE; undefined when there is no Allow header (RFC 3261
 * §20.5: its absence says nothing about what the peer supports).
 */
export function allowsUpdate(allowValues: readonly string[]): boolean | undefined {
  if (allowValues.length === 0) return undefined;
  return allowValues.some((v) => v.split(',').some((m) => m.trim().toUpperCase() === 'UPDATE'));
}

/** A refused UPDATE refresh (RFC 3261 §21.4.6 405, §21.5.2 501): refresh with re-INVITE. */
export function updateUnsupported(status: number): boolean {
  return status === 405 || status === 501;
}
