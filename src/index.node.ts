// The main entry for Node (package.json's "node" condition): the same API, with signing and verification on node:crypto.
/**
 * What `import ... from 'dkim-engine'` gives under Node: everything of the browser-safe entry,
 * with `signMessage`, `sesSignMessage` and `verifyMessage` defaulting to node:crypto's
 * synchronous primitives instead of WebCrypto (same signatures and verdicts, fewer thread-pool
 * round trips). Browsers and bundlers for browsers resolve the default condition, `index.js`.
 * @packageDocumentation
 */
export * from './index.js';
// Named exports take precedence over the star export of the same names.
export { sesSignMessage, signMessage, verifyMessage } from './signature/node/api.js';
