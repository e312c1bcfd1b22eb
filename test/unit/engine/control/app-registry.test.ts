import assert from 'node:assert/strict';
import { AppRegistry } from '../../../../lib/engine/control/app-registry';

const app = (id: string) => ({ id, tags: [] });

describe('AppRegistry', () => {
  it('spreads new requests round-robin over the apps that routed the verb, case-insensitively', () => {
    const r = new AppRegistry<ReturnType<typeof app>>();
    const a = app('a');
    const b = app('b');
    r.addRoute(a, 'invite');
    r.addRoute(b, 'INVITE');
    r.addRoute(a, 'invite'); // duplicate route frame after a reconnect: still once
    assert.deepEqual([r.pick('INVITE')?.id, r.pick('invite')?.id, r.pick('Invite')?.id], ['a', 'b', 'a']);
    assert.equal(r.pick('register'), undefined);
  });

  it('remove_route drops only the named verb; a vanished app drops all', () => {
    const r = new AppRegistry<ReturnType<typeof app>>();
    const a = app('a');
    r.addRoute(a, 'invite');
    r.addRoute(a, 'options');
    r.removeRoute(a, 'OPTIONS');
    assert.deepEqual(r.routedVerbs(), ['invite']);
    r.removeApp(a);
    assert.equal(r.hasRoute('invite'), false);
  });
});
