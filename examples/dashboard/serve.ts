// `npm run dashboard`: builds the page and serves it on http://127.0.0.1:8080/ with a DoH
// endpoint that asks the system's DNS servers through the wire resolver.
import { createUdpResolver } from '../../src/node.js';
import { buildDashboard, startDashboardServer } from './server.js';

await buildDashboard();
const server = await startDashboardServer(createUdpResolver(), Number(process.env.PORT ?? 8080));
console.log(`dkim-engine dashboard on ${server.url} (DoH at /dns-query); Ctrl-C stops it`);
