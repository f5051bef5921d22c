// Types of scripts/bundle-console.mjs for the tests and the screenshot script.
export declare const CONSOLE_BUDGET_BYTES: number;
export declare function buildConsole(out?: string): Promise<{
  minified: number;
  gzipped: number;
  nodeImports: { path: string }[];
  inputs: string[];
}>;
