// Serves the dashboard and a DoH endpoint (RFC 8484, GET and POST) from one origin, the DoH
// answers coming from any resolver: zone data in tests, the wire resolver for real use.
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type { Resolver } from '../../src/index.js';
import { serveDohRequest } from '../../src/node.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Bundles main.ts into dist/app.js with esbuild, for the browser. */
export async function buildDashboard(): Promise<void> {
  await build({
    entryPoints: [join(here, 'main.ts')],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: join(here, 'dist/app.js'),
    logLevel: 'warning',
  });
}

export interface DashboardServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startDashboardServer(resolver: Resolver, port = 0): Promise<DashboardServer> {
  const files: Record<string, [string, string]> = {
    '/': ['index.html', 'text/html; charset=utf-8'],
    '/index.html': ['index.html', 'text/html; charset=utf-8'],
    '/dist/app.js': ['dist/app.js', 'text/javascript; charset=utf-8'],
  };
  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/dns-query') {
      await serveDohRequest(resolver, req, res);
      return;
    }
    const file = files[url.pathname];
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file[1] }).end(await readFile(join(here, file[0])));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  return {
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
