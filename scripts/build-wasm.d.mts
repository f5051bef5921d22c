export declare function assembleBignumWasm(): Promise<Uint8Array>;
export declare function bignumWasmSource(bytes: Uint8Array): string;
