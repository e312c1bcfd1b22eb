/** Trunk and route sets for Palisade in the NAT lab. */
import { CARRIER_ADDRESS } from './lab';

const CARRIER_TRUNK = `  - { name: carrier, inbound: { sources: [ ${CARRIER_ADDRESS}/32 ] }, outbound: { gateways: [ { uri: "sip:${CARRIER_ADDRESS}:5060" } ] } }`;

/**
 * The homes' public side (203.0.113.96/27: every natN WAN address) admitted as a customer
 * trunk, so a UA can call without registering; its calls go to the carrier.
 */
export const HOMES_AS_TRUNK = [
  'trunks:',
  CARRIER_TRUNK,
  '  - { name: homes, inbound: { sources: [ 203.0.113.96/27 ] } }',
  'routes:',
  '  - { from: homes, to: { trunk: carrier } }',
].join('\n');

/** Registered devices call out via the carrier; the carrier's calls go to registered devices. */
export const REGISTERED_DEVICES = [
  'trunks:',
  CARRIER_TRUNK,
  'routes:',
  '  - { from: carrier, to: registered }',
  '  - { from: any, to: { trunk: carrier } }',
].join('\n');
