/** Banned source addresses (e.g. after repeated auth failures or scanning), with expiry. */

export interface Ban {
  /** Canonical address text (IPv4 dotted quad or lower-case, compressed IPv6). */
  readonly address: string;
  readonly reason: string;
  /** Epoch milliseconds when the ban lifts. */
  readonly until: number;
}

export interface BanStore {
  /** Ban (or re-ban, replacing reason and expiry) an address for `seconds`. */
  ban(address: string, seconds: number, reason: string): Promise<void>;
  /** False if the address was not banned. */
  unban(address: string): Promise<boolean>;
  isBanned(address: string): Promise<boolean>;
  /** Current bans, soonest to lift first. */
  listBans(): Promise<Ban[]>;
}
