/**
 * Which app connections take new out-of-dialog requests of which method (`route` verbs) and by
 * which tags they can be addressed. New requests go round-robin per method (§1.1, §3.2).
 */
export interface RoutableApp {
  readonly id: string;
  readonly tags: readonly string[];
}

export class AppRegistry<A extends RoutableApp> {
  private readonly byVerb = new Map<string, A[]>();
  private readonly cursor = new Map<string, number>();

  /** Duplicate route frames (srf repeats them on reconnect) register the app only once. */
  addRoute(app: A, verb: string): void {
    const key = verb.toLowerCase();
    const apps = this.byVerb.get(key) ?? [];
    if (!apps.includes(app)) apps.push(app);
    this.byVerb.set(key, apps);
  }

  /** Removes only the named verb (unlike the C++ server, which drops all of them). */
  removeRoute(app: A, verb: string): void {
    const key = verb.toLowerCase();
    const apps = this.byVerb.get(key)?.filter((a) => a !== app) ?? [];
    if (apps.length) this.byVerb.set(key, apps);
    else this.byVerb.delete(key);
  }

  removeApp(app: A): void {
    for (const verb of [...this.byVerb.keys()]) this.removeRoute(app, verb);
  }

  /** Next app for a new request of this method, or undefined when none routed it. */
  pick(verb: string): A | undefined {
    const key = verb.toLowerCase();
    const apps = this.byVerb.get(key);
    if (!apps?.length) return undefined;
    const i = (this.cursor.get(key) ?? 0) % apps.length;
    this.cursor.set(key, i + 1);
    return apps[i];
  }

  hasRoute(verb: string): boolean {
    return (this.byVerb.get(verb.toLowerCase())?.length ?? 0) > 0;
  }

  routedVerbs(): string[] {
    return [...this.byVerb.keys()];
  }
}
