// Sending authorization policies of an identity: Create/Get/Update/DeleteEmailIdentityPolicy.
import { badRequest, SesException } from '../errors.js';
import { exclusive, findIdentity, type SesBackendState, saveIdentity, throttle } from '../state.js';

/** SES: "The policy name cannot exceed 64 characters and can only include alphanumeric characters, dashes, and underscores." */
const POLICY_NAME = /^[A-Za-z0-9_-]{1,64}$/;
/** SES: "The policy cannot exceed 4 KB." */
export const MAX_POLICY_BYTES = 4096;
/** Policies per identity (floci's figure; AWS's documents do not state one). */
export const MAX_POLICIES = 20;

/** The input of CreateEmailIdentityPolicy and UpdateEmailIdentityPolicy. */
export interface PolicyInput {
  EmailIdentity?: string;
  PolicyName?: string;
  Policy?: string;
}

function policyName(raw: unknown): string {
  if (typeof raw !== 'string' || !POLICY_NAME.test(raw)) {
    throw badRequest(
      'PolicyName is invalid. Policy names must only include alpha-numeric characters, dashes, and underscores.',
    );
  }
  return raw;
}

/** The policy text, checked (a JSON object within 4 KB), with insignificant whitespace stripped as SES does. */
function policyText(raw: unknown): string {
  if (typeof raw !== 'string' || raw.length === 0) throw badRequest('Policy is required.');
  if (new TextEncoder().encode(raw).length > MAX_POLICY_BYTES) {
    throw badRequest(`The policy exceeds the maximum size of ${MAX_POLICY_BYTES} bytes.`);
  }
  let policy: unknown;
  try {
    policy = JSON.parse(raw);
  } catch {
    throw badRequest('Policy is not valid JSON.');
  }
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) {
    throw badRequest('Policy must be a JSON object.');
  }
  const statement = (policy as { Statement?: unknown }).Statement;
  if (statement === undefined || (typeof statement !== 'object' && !Array.isArray(statement))) {
    throw badRequest('Policy has no Statement.');
  }
  return JSON.stringify(policy);
}

function policyNotFound(name: string): SesException {
  return new SesException('NotFoundException', `Policy ${name} does not exist`);
}

async function writePolicy(state: SesBackendState, input: PolicyInput, create: boolean) {
  const name = policyName(input.PolicyName);
  const text = policyText(input.Policy);
  const [key, record] = await findIdentity(state, input.EmailIdentity);
  return exclusive(state, key, async () => {
    const policies = { ...record.policies };
    if (create && name in policies) throw new SesException('AlreadyExistsException', `Policy ${name} already exists.`);
    if (!create && !(name in policies)) throw policyNotFound(name);
    if (create && Object.keys(policies).length >= MAX_POLICIES) {
      throw new SesException(
        'LimitExceededException',
        `Number of policies for ${record.identity} exceeds max allowed number of policies per resource`,
      );
    }
    policies[name] = text;
    record.policies = policies;
    await saveIdentity(state, key, record);
    return {};
  });
}

/** CreateEmailIdentityPolicy. */
export async function createEmailIdentityPolicy(state: SesBackendState, input: PolicyInput) {
  throttle(state, 'CreateEmailIdentityPolicy');
  return writePolicy(state, input, true);
}

/** UpdateEmailIdentityPolicy: NotFoundException for a policy that does not exist. */
export async function updateEmailIdentityPolicy(state: SesBackendState, input: PolicyInput) {
  throttle(state, 'UpdateEmailIdentityPolicy');
  return writePolicy(state, input, false);
}

/** GetEmailIdentityPolicies: every policy of the identity, name to JSON text. */
export async function getEmailIdentityPolicies(state: SesBackendState, input: { EmailIdentity?: string }) {
  throttle(state, 'GetEmailIdentityPolicies');
  const [, record] = await findIdentity(state, input.EmailIdentity);
  return { Policies: { ...record.policies } };
}

/** DeleteEmailIdentityPolicy. */
export async function deleteEmailIdentityPolicy(
  state: SesBackendState,
  input: { EmailIdentity?: string; PolicyName?: string },
) {
  throttle(state, 'DeleteEmailIdentityPolicy');
  const name = policyName(input.PolicyName);
  const [key, record] = await findIdentity(state, input.EmailIdentity);
  return exclusive(state, key, async () => {
    if (!record.policies || !(name in record.policies)) throw policyNotFound(name);
    const { [name]: _removed, ...rest } = record.policies;
    record.policies = rest;
    await saveIdentity(state, key, record);
    return {};
  });
}
