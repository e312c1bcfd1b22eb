/**
 * The quick-start configuration, used when no file is given: SIP on UDP and TCP port 5060, the
 * embedded engine, in-memory state, a local userspace rtpengine spawned on loopback, metrics and
 * health on 127.0.0.1:9090, and calls routed to registered devices. Keep it in step with
 * deploy/examples/quickstart.yaml (a unit test compares them).
 */
export const QUICKSTART_YAML = `
log: { level: info }
observe:
  http: { address: 127.0.0.1, port: 9090 }
sip:
  listen:
    - { transport: udp, address: 0.0.0.0, port: 5060 }
    - { transport: tcp, address: 0.0.0.0, port: 5060 }
engine:
  mode: embedded
  control: { address: 127.0.0.1, port: 9022 }
media:
  rtpengines: [{ ng: "127.0.0.1:22222" }]
  spawnLocal: true
  local: { binary: rtpengine, interface: 127.0.0.1, portMin: 40000, portMax: 44999 }
state: { backend: memory }
trunks:
  - { name: local, inbound: { sources: [127.0.0.0/8] } }
  - { name: carrier, outbound: { gateways: [{ uri: "sip:127.0.0.1:5080" }] } }
routes:
  - { name: local-to-carrier, from: local, to: { trunk: carrier } }
`;
