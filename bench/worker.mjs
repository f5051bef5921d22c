// A worker's entry must be JavaScript: it registers the TypeScript loader, then runs the real one.
import { register } from 'tsx/esm/api';

register();
await import('./worker-main.ts');
