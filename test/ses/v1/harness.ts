// Real SES v1 clients against an in-process listener: Debian's awscli and boto3, and the JS SDK.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Debian's awscli (the `aws` on PATH is a pyenv shim) and Debian's python3 with boto3. */
export const AWS_CLI = '/usr/bin/aws';
export const PYTHON = '/usr/bin/python3';

/** Under CI=true a missing client fails the run instead of skipping. */
export function clientsAvailable(): boolean {
  const ok = existsSync(AWS_CLI) && existsSync(PYTHON);
  if (!ok && process.env.CI === 'true') throw new Error('awscli and python3-boto3 must be installed (.ci/run)');
  return ok;
}

/** A node:http server on 127.0.0.1 and a free port, around `listener`; close() stops it. */
export async function startHttp(
  listener: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const home = mkdtempSync(join(tmpdir(), 'dkim-engine-aws-'));

/** Fake credentials and no user config, so nothing from the machine leaks into a test. */
export const CLIENT_ENV = {
  PATH: '/usr/bin:/bin',
  HOME: home,
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'secret',
  AWS_DEFAULT_REGION: 'us-east-1',
  AWS_CONFIG_FILE: join(home, 'config'),
  AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
  AWS_PAGER: '',
};

/** Runs `aws ses <args> --endpoint-url url`; resolves to stdout parsed as JSON (or null), or the stderr of a failure. */
export async function awsCli(
  url: string,
  args: readonly string[],
): Promise<{ ok: true; json: unknown } | { ok: false; stderr: string }> {
  try {
    const { stdout } = await run(AWS_CLI, ['ses', ...args, '--endpoint-url', url, '--output', 'json'], {
      env: CLIENT_ENV,
    });
    return { ok: true, json: stdout.trim() === '' ? null : JSON.parse(stdout) };
  } catch (error) {
    return { ok: false, stderr: String((error as { stderr?: string }).stderr ?? error) };
  }
}

/**
 * Runs a Python snippet with `ses` bound to a boto3 SES client on `url`; the snippet's
 * `result` is printed as JSON. A ClientError becomes {"error": code, "message": text}.
 */
export async function boto3(url: string, snippet: string): Promise<unknown> {
  const script = [
    'import json, boto3, botocore',
    `ses = boto3.client('ses', endpoint_url=${JSON.stringify(url)}, region_name='us-east-1')`,
    'try:',
    ...snippet.split('\n').map((line) => `    ${line}`),
    'except botocore.exceptions.ClientError as e:',
    "    result = {'error': e.response['Error']['Code'], 'message': e.response['Error']['Message'], 'text': str(e)}",
    'print(json.dumps(result, default=str))',
  ].join('\n');
  const { stdout } = await run(PYTHON, ['-c', script], { env: CLIENT_ENV });
  return JSON.parse(stdout);
}
