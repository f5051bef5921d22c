export declare function assembleBignumWasm(): Promise<Uint8Array>;
export declare function bignumWasmSource(bytes: Uint8Array): string;
export declare function assembleMillerRabinWasm(): Promise<Uint8Array>;
export declare function millerRabinWasmSource(bytes: Uint8Array): string;
