export declare const BUDGET_BYTES: number;
export declare function bundleForBrowser(entry?: string): Promise<{
  code: Uint8Array;
  minified: number;
  gzipped: number;
  inputs: string[];
  nodeImports: { path: string; kind: string }[];
}>;
