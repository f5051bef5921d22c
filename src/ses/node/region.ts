// The region of a request, from its SigV4 credential scope (signatures are not verified).
import type { IncomingHttpHeaders } from 'node:http';
import { isRegionName } from '../../core/easy-dkim.js';

// Credential=<access key>/<yyyymmdd>/<region>/<service>/aws4_request
const CREDENTIAL = /Credential=[^/,\s]*\/\d{8}\/([^/,\s]+)\/[^/,\s]+\/aws4_request/;

/**
 * The region named by the SigV4 credential scope of the `Authorization` header, or null when
 * there is none or it names no well-formed region (the server then uses its default region).
 */
export function regionOfRequest(headers: IncomingHttpHeaders): string | null {
  const authorization = headers.authorization;
  if (typeof authorization !== 'string' || !authorization.startsWith('AWS4-HMAC-SHA256')) return null;
  const region = CREDENTIAL.exec(authorization)?.[1];
  return region !== undefined && isRegionName(region) ? region : null;
}
