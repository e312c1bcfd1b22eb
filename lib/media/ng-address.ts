/** An rtpengine ng control address, "host:port" or "[v6]:port". */
export interface NgAddress {
  host: string;
  port: number;
}

export function parseNgAddress(text: string): NgAddress {
  const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(text) ?? /^([^:]+):(\d{1,5})$/.exec(text);
  const port = m?.[2] === undefined ? NaN : Number(m[2]);
  if (!m?.[1] || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`not an ng address (host:port): ${text}`);
  }
  return { host: m[1], port };
}

export const formatNgAddress = (a: NgAddress): string =>
  a.host.includes(':') ? `[${a.host}]:${a.port}` : `${a.host}:${a.port}`;

export const isLoopbackHost = (host: string): boolean =>
  host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
