/**
 * App-supplied headers as the engine will write them: never-taken ones removed, names made
 * canonical, `@localhost` URIs substituted, and lookups by header key.
 */
import type { AppHeader } from './parse-app-sip';
import { canonicalName, headerKeyOf, takenFromApp } from './header-policy';
import { LOCALHOST_HEADERS, substituteLocalhost } from './localhost';

export class AppHeaders {
  private readonly list: AppHeader[];

  constructor(headers: readonly AppHeader[], hostport: string) {
    this.list = headers
      .filter(([name]) => takenFromApp(name))
      .map(([name, value]) => {
        const key = headerKeyOf(name);
        return [
          canonicalName(name),
          LOCALHOST_HEADERS.has(key) ? substituteLocalhost(value, hostport) : value,
        ];
      });
  }

  get(key: string): string | undefined {
    return this.list.find(([name]) => headerKeyOf(name) === key)?.[1];
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Every header except those whose key is listed (the engine writes those itself). */
  except(keys: readonly string[]): AppHeader[] {
    return this.list.filter(([name]) => !keys.includes(headerKeyOf(name)));
  }
}

/** Content-Type for a body the app sent without one (§5.1): SDP is recognised by `v=0`. */
export function contentTypeFor(body: Buffer, given: string | undefined): string | undefined {
  if (given !== undefined || body.length === 0) return given;
  return body.subarray(0, 3).toString('latin1') === 'v=0' ? 'application/sdp' : undefined;
}

/** The tag parameter of a From/To value, if any. */
export function tagOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const afterUri = value.lastIndexOf('>');
  const m = /;\s*tag\s*=\s*([^;\s]+)/i.exec(afterUri >= 0 ? value.slice(afterUri) : value);
  return m?.[1];
}
