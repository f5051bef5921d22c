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
export { createSesV2RequestListener } from './ses/node/http.js';
export { createSesOutboxListener, OUTBOX_PATH, type OutboxSource } from './ses/node/outbox-listener.js';
export { startSesScheduler } from './ses/node/scheduler.js';
export {
  createSesV1RequestListener,
  isSesV1Request,
  MAX_V1_BODY,
  type SesV1BackendSource,
  type SesV1ListenerOptions,
  type SesV1RequestListener,
} from './ses/node/v1-listener.js';
export { type SesMount, sesV1Mounts } from './ses/node/v1-mounts.js';
