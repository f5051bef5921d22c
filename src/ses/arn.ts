// SES resource ARNs: arn:aws:ses:<region>:<account>:identity/<name> and :configuration-set/<name>.
import { badRequest, SesException } from './errors.js';
import type { SesBackendState } from './state.js';

/** A resource an ARN names in this backend. */
export type SesResource = { readonly kind: 'identity' | 'configuration-set'; readonly name: string };

const ARN_PATTERN = /^arn:(aws[a-z-]*):ses:([a-z0-9-]+):(\d{12}):(identity|configuration-set)\/(.+)$/;

/** The parts of an SES ARN, or null when `arn` is not one. */
export function matchSesArn(arn: string): {
  readonly region: string;
  readonly account: string;
  readonly kind: SesResource['kind'];
  readonly name: string;
} | null {
  const match = ARN_PATTERN.exec(arn);
  if (!match) return null;
  const [, , region, account, kind, name] = match as unknown as [string, string, string, string, string, string];
  return { region, account, kind: kind as SesResource['kind'], name };
}

/**
 * The resource a ResourceArn names: BadRequestException for a malformed ARN, NotFoundException
 * for one of another region or account (the resource does not exist here).
 */
export function parseResourceArn(state: SesBackendState, arn: unknown): SesResource {
  if (typeof arn !== 'string') throw badRequest('ResourceArn is required.');
  const parts = matchSesArn(arn);
  if (!parts) throw badRequest(`Invalid ResourceArn: ${arn.slice(0, 200)}.`);
  if (parts.region !== state.region || parts.account !== state.accountId) {
    throw new SesException('NotFoundException', `Resource ${arn.slice(0, 200)} does not exist.`);
  }
  return { kind: parts.kind, name: parts.name };
}
