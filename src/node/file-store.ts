// The crash-safe file store's public surface (Node-only): open, options, open report, format errors.
export type { JournalDamage } from './file-store/format.js';
export { FORMAT_VERSION, StoreVersionError } from './file-store/format.js';
export { type FileStore, type FileStoreOpenReport, type FileStoreOptions, openFileStore } from './file-store/store.js';
