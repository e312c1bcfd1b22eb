/**
 * Which app gets a new out-of-dialog request from the network (protocol doc §1.1, §1.2): without
 * a request handler for the method, round-robin over the inbound connections that routed it (503
 * when none did); with a `tcp://`/`tls://` handler, a fresh outbound connection to that app (480
 * when it cannot be reached); with an HTTP(S) handler, whatever its JSON answer says — reject,
 * redirect (302), route to an app by uri or by tag (480 when none), or proxy (handed to a
 * ProxyStarter once one is installed; 500 until then). Handler failures answer 500.
 */
import type { SipRequest } from '../../sip';
import type { ServerTransaction } from '../../sip/stack';
import type { Log } from '../../util/logger';
import { toError } from '../../util/errors';
import type { AppRegistry } from '../control/app-registry';
import type { ControlConnection } from '../control/control-connection';
import type { CdrSink } from '../cdr/cdr-emitter';
import { engineFinal } from './engine-final';
import { parseRouteUri, type OutboundTarget } from '../control/outbound-dial';
import type { HandlerAction, ProxyActionData } from '../handlers/handler-action';
import { askHttpHandler, type RequestSource } from '../handlers/http-handler';
import type { RequestHandlers } from '../handlers/request-handlers';

export interface Rejection {
  status: number;
  reason?: string;
  headers?: [string, string][];
}

/** An HTTP handler's `proxy` action: the request is relayed without any app (§7). */
export interface ProxyDelegation {
  proxy: ProxyActionData;
}

export type Selection = ControlConnection | Rejection | ProxyDelegation;

/** The seam for the proxy module: it takes over the server transaction. */
export interface ProxyStarter {
  proxyWithoutApp(txn: ServerTransaction, data: ProxyActionData): void;
}

export interface AppSelectorOptions {
  apps: AppRegistry<ControlConnection>;
  control: {
    connectOut(target: OutboundTarget, timeoutMs?: number): Promise<ControlConnection>;
    pickTagged(tag: string): ControlConnection | undefined;
  };
  handlers: RequestHandlers;
  /** Bound on each HTTP call and each outbound connect + authenticate. */
  timeoutMs?: number;
  log: Log;
}

export class AppSelector {
  proxy: ProxyStarter | undefined;

  constructor(private readonly o: AppSelectorOptions) {}

  hasHandlerFor(method: string): boolean {
    return this.o.handlers.for(method) !== undefined;
  }

  async selectApp(request: SipRequest, source: RequestSource): Promise<Selection> {
    const handler = this.o.handlers.for(request.method);
    if (!handler) return this.o.apps.pick(request.method) ?? { status: 503 };
    if (handler.kind === 'app') return this.connect(handler.target);
    try {
      const action = await askHttpHandler(handler, request, source, this.timeoutMs);
      return await this.act(action);
    } catch (e) {
      this.o.log.warn({ err: toError(e).message, method: request.method }, 'request handler failed');
      return { status: 500 };
    }
  }

  private get timeoutMs(): number {
    return this.o.timeoutMs ?? 5000;
  }

  private async act(a: HandlerAction): Promise<Selection> {
    switch (a.action) {
      case 'reject':
        return { status: a.status, ...(a.reason === undefined ? {} : { reason: a.reason }) };
      case 'redirect':
        return { status: 302, headers: a.contacts.map((c): [string, string] => ['Contact', contactOf(c)]) };
      case 'proxy':
        return { proxy: a.data };
      case 'route': {
        if ('tag' in a) return this.o.control.pickTagged(a.tag) ?? { status: 480 };
        const target = parseRouteUri(a.uri);
        if (!target) {
          this.o.log.warn({ uri: a.uri }, 'request handler: route uri is not host:port[;transport=tcp|tls]');
          return { status: 500 };
        }
        return this.connect(target);
      }
    }
  }

  private async connect(target: OutboundTarget): Promise<Selection> {
    try {
      return await this.o.control.connectOut(target, this.timeoutMs);
    } catch (e) {
      this.o.log.warn({ err: toError(e).message }, 'outbound app connection failed');
      return { status: 480 };
    }
  }
}

const contactOf = (c: string): string => (c.includes('<') ? c : `<${c}>`);

/** Answer a request the selector turned down (reason phrase and headers as given). */
export function rejectRequest(
  deps: { cdr?: CdrSink | undefined },
  txn: ServerTransaction,
  r: Rejection,
): void {
  engineFinal(deps, txn, r.status, { reason: r.reason, headers: r.headers });
}

/**
 * Hand a new network request to the selected app via `use`, or answer it. Synchronous when no
 * request handler covers the method (the common, inbound-only case).
 */
export function withSelectedApp(
  deps: {
    apps: AppRegistry<ControlConnection>;
    selector?: AppSelector | undefined;
    log: Log;
    cdr?: CdrSink | undefined;
  },
  txn: ServerTransaction,
  use: (app: ControlConnection) => void,
): void {
  const selector = deps.selector;
  if (!selector?.hasHandlerFor(txn.method)) {
    const app = deps.apps.pick(txn.method);
    if (app) use(app);
    else engineFinal(deps, txn, 503);
    return;
  }
  void selector.selectApp(txn.request, txn.flow).then((s) => {
    if (txn.finalResponseStatus !== undefined) return; // CANCELled while we were asking
    if ('proxy' in s) {
      if (selector.proxy) selector.proxy.proxyWithoutApp(txn, s.proxy);
      else {
        deps.log.warn(
          { method: txn.method },
          'request handler asked to proxy; proxying without an app is not available',
        );
        engineFinal(deps, txn, 500);
      }
    } else if ('status' in s) rejectRequest(deps, txn, s);
    else if (s.isClosed) engineFinal(deps, txn, 480);
    else use(s);
  });
}
