/**
 * Node-only adapters of dkim-engine (files, sockets). Everything browser-safe is in the main entry.
 * @packageDocumentation
 */

export {
  answerFromResolver,
  encodeResponse,
  readDohQuery,
  serveDohRequest,
  startZoneServer,
  type ZoneServer,
} from './dns/node/server.js';
export { createSystemResolver, type SystemResolverOptions } from './dns/node/system.js';
export { createUdpResolver, type DnsServer, parseServer, type UdpResolverOptions } from './dns/node/udp.js';
export { readPrivateKeyFile } from './node/key-file.js';
export { createSesV2RequestListener } from './ses/node/rest-listener.js';
export { startSesScheduler } from './ses/node/scheduler.js';
