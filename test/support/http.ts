/** Tiny HTTP GET for tests of the ops endpoints. */
import http from 'node:http';

export interface HttpReply {
  status: number;
  body: string;
  contentType: string;
}

export function httpGet(url: string): Promise<HttpReply> {
  return httpRequest('GET', url);
}

export function httpRequest(method: string, url: string): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          contentType: res.headers['content-type'] ?? '',
        });
      });
    });
    req.on('error', reject);
    req.setTimeout(5000, () => req.destroy(new Error(`${method} ${url} timed out`)));
    req.end();
  });
}

/**
 * The value of the first sample line of `<opsUrl>/metrics` that `line` matches (its last field),
 * or undefined when none does (e.g. a counter never incremented).
 */
export async function metricValue(opsUrl: string, line: RegExp): Promise<number | undefined> {
  const body = (await httpGet(`${opsUrl}/metrics`)).body;
  const found = body.split('\n').find((l) => line.test(l));
  return found === undefined ? undefined : Number(found.split(' ').pop());
}

/** Poll until `check` passes or the deadline expires (then the last failure is thrown). */
export async function eventually<T>(
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}
