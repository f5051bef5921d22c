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
export {
  type FileStore,
  type FileStoreOpenReport,
  type FileStoreOptions,
  FORMAT_VERSION,
  type JournalDamage,
  openFileStore,
  StoreVersionError,
} from './node/file-store.js';
export { readPrivateKeyFile } from './node/key-file.js';
export { createSesV2RequestListener } from './ses/node/http.js';
export { startSesScheduler } from './ses/node/scheduler.js';
