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
export { createRoutingResolver, type ResolverRoute } from './dns/routing.js';
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
export { type BodyLimits, hardenServer, type ServerTimeouts } from './ses/node/body.js';
// SES v1 and sending (issue 16): the v1 and outbox listeners, and both as mounts of the server.
export { createSesOutboxListener, OUTBOX_PATH, type OutboxSource } from './ses/node/outbox-listener.js';
export { regionOfRequest } from './ses/node/region.js';
export {
  createSesV2RequestListener,
  createSesV2RestListener,
  type SesV2RestListenerOptions,
} from './ses/node/rest-listener.js';
export { SES_V2_ROUTES, type SesV2Route } from './ses/node/rest-routes.js';
export { startSesScheduler } from './ses/node/scheduler.js';
export {
  type SesServer,
  SesServerError,
  type SesServerMount,
  type SesServerMountContext,
  type SesServerOptions,
  type SharedBackendOptions,
  startSesServer,
} from './ses/node/server.js';
export {
  createSesV1RequestListener,
  isSesV1Request,
  MAX_V1_BODY,
  type SesV1BackendSource,
  type SesV1ListenerOptions,
  type SesV1RequestListener,
} from './ses/node/v1-listener.js';
export { type SesMount, sesV1Mounts } from './ses/node/v1-mounts.js';
export { nodeSignaturePrimitives } from './signature/node/crypto.js';
