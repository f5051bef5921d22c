/**
 * Node-only adapters of dkim-engine (files, sockets). Everything browser-safe is in the main entry.
 * @packageDocumentation
 */
export { readPrivateKeyFile } from './node/key-file.js';
