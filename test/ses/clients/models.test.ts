// The route table against the SDK models themselves: Debian's botocore 1.29 JSON model and the JS SDK v3 schemas.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { SES_V2_ROUTES, type SesV2Route } from '../../../src/ses/node/rest-routes.js';
import { clientsAvailable } from './harness.js';

const BOTOCORE_MODEL = '/usr/lib/python3/dist-packages/botocore/data/sesv2/2019-09-27/service-2.json';
const operations = [...new Set(SES_V2_ROUTES.map((route) => route.operation))];

interface Binding {
  method: string;
  path: string;
  labels: string[];
  query: Record<string, { wire: string; type: string }>;
  body: string[];
}

function routeOf(operation: string, model: 'botocore' | 'js'): SesV2Route {
  const routes = SES_V2_ROUTES.filter((r) => r.operation === operation && r.models.includes(model));
  expect(routes, `${operation} in the ${model} model`).toHaveLength(1);
  return routes[0] as SesV2Route;
}

function labelsOf(path: string): string[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string).sort();
}

/** The table's route must bind exactly what the model binds (body: at least what the model sends). */
function expectSame(route: SesV2Route, binding: Binding): void {
  expect({ method: route.method, path: route.path }).toEqual({ method: binding.method, path: binding.path });
  expect(labelsOf(route.path)).toEqual([...binding.labels].sort());
  expect(route.query ?? {}).toEqual(binding.query);
  for (const member of binding.body) expect(route.body ?? [], `${route.operation}.${member}`).toContain(member);
}

const run = clientsAvailable();

describe.skipIf(!run)('SES_V2_ROUTES carries every binding of both SDK models', () => {
  it.each(operations)("%s as Debian's botocore 1.29 sends it", (operation) => {
    expect(existsSync(BOTOCORE_MODEL)).toBe(true);
    const model = JSON.parse(readFileSync(BOTOCORE_MODEL, 'utf8'));
    const op = model.operations[operation];
    const input = op.input ? model.shapes[op.input.shape] : { members: {} };
    const binding: Binding = { method: op.http.method, path: op.http.requestUri, labels: [], query: {}, body: [] };
    for (const [name, member] of Object.entries<{ location?: string; locationName?: string; shape: string }>(
      input.members,
    )) {
      if (member.location === 'uri') binding.labels.push(name);
      else if (member.location === 'querystring') {
        binding.query[name] = { wire: member.locationName ?? name, type: model.shapes[member.shape].type };
      } else binding.body.push(name);
    }
    expectSame(routeOf(operation, 'botocore'), binding);
  });

  it.each(operations)('%s as the JS SDK v3 sends it', (operation) => {
    const sdk = createRequire(import.meta.url)('@aws-sdk/client-sesv2');
    const schema = sdk[`${operation}$`];
    const [method, path] = schema[3].http as [string, string];
    const input = schema[4]();
    const names: string[] = input[4];
    const members: unknown[] = input[5];
    const binding: Binding = { method, path, labels: [], query: {}, body: [] };
    names.forEach((name, i) => {
      const member = members[i];
      const traits = Array.isArray(member) ? member[1] : 0;
      const query = typeof traits === 'object' ? (traits as { httpQuery?: string }).httpQuery : undefined;
      // Smithy schema traits: a number is a bit set whose lowest bit is httpLabel.
      if (typeof traits === 'number' && (traits & 1) === 1) binding.labels.push(name);
      else if (query !== undefined) {
        // Schema ids: 0 a string, 1 a number, 64 | 0 a list of strings.
        const id = (member as unknown[])[0];
        binding.query[name] = { wire: query, type: id === 64 ? 'list' : id === 1 ? 'integer' : 'string' };
      } else binding.body.push(name);
    });
    expectSame(routeOf(operation, 'js'), binding);
  });
});
