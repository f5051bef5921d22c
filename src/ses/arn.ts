// SES resource ARNs: arn:aws:ses:<region>:<account>:identity/<name> and :configuration-set/<name>.
import { badRequest, SesException } from './errors.js';
import type { SesBackendState } from './state.js';

/** A resource an ARN names in this backend. */
export type SesResource = { readonly kind: 'identity' | 'configuration-set'; readonly name: string };

const ARN_PATTERN = /^arn:(aws[a-z-]*):ses:([a-z0-9-]+):(\d{12}):(identity|configuration-set)\/(.+)$/;

/** The ARN of an identity or configuration set of this backend. */
export function resourceArn(state: SesBackendState, resource: SesResource): string {
  return `arn:aws:ses:${state.region}:${state.accountId}:${resource.kind}/${resource.name}`;
}

/**
 * The resource a ResourceArn names: BadRequestException for a malformed ARN, NotFoundException
 * for one of another region or account (the resource does not exist here).
 */
export function parseResourceArn(state: SesBackendState, arn: unknown): SesResource {
  if (typeof arn !== 'string') throw badRequest('ResourceArn is required.');
  const match = ARN_PATTERN.exec(arn);
  if (!match) throw badRequest(`Invalid ResourceArn: ${arn.slice(0, 200)}.`);
  const [, , region, account, kind, name] = match;
  if (region !== state.region || account !== state.accountId) {
    throw new SesException('NotFoundException', `Resource ${arn.slice(0, 200)} does not exist.`);
  }
  return { kind: kind as SesResource['kind'], name: name as string };
}
