// The `./node` entry: Node-only adapters of dkim-engine (files, sockets, HTTP handlers).
/**
 * Node-only adapters of dkim-engine (files, sockets). Everything browser-safe is in the main entry.
 * @packageDocumentation
 */

export { readDohQuery, serveDohRequest } from './dns/node/doh-handler.js';
export {
  answerFromResolver,
  type DecodedQuery,
  encodeResponse,
  type ResponseRecord,
  startZoneServer,
  type ZoneServer,
} from './dns/node/server.js';
export { createSystemResolver, type SystemResolverOptions } from './dns/node/system.js';
export { createUdpResolver, type DnsServer, parseServer, type UdpResolverOptions } from './dns/node/udp.js';
export { readPrivateKeyFile } from './node/key-file.js';
export { type BodyLimits, hardenServer, type ServerTimeouts } from './ses/node/body.js';
export { createSesV2RequestListener } from './ses/node/http.js';
export { startSesScheduler } from './ses/node/scheduler.js';
