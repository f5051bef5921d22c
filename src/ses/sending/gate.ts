// Whether SES accepts a send: a verified sender (the address or its domain, or the FromArn identity), and in the sandbox verified recipients.
import { matchSesArn } from '../arn.js';
import { effectiveRecord } from '../deed.js';
import { SesException } from '../errors.js';
import type { IdentityRecord } from '../identity.js';
import type { SesBackendState } from '../state.js';
import { dkimStatusOf, v1VerificationStatus } from '../v1/record-view.js';
import { identityKeyOrNull } from '../validate.js';
import { canSend } from '../verified.js';
import { domainOf, isSimulatorAddress, type Mailbox } from './addresses.js';

/** How many failed identities SES lists before it ends the message with an ellipsis (developer guide). */
const MAX_LISTED = 10;

/**
 * SES's MessageRejected for unverified identities, word for word as real SES answers (ses-research
 * E.2): "Email address is not verified. The following identities failed the check in region
 * US-EAST-1: a@b.com". The region is upper case; a list too long ends with an ellipsis.
 */
export function notVerified(region: string, identities: readonly string[]): SesException {
  const listed = identities.slice(0, MAX_LISTED).join(', ');
  const more = identities.length > MAX_LISTED ? '...' : '';
  return new SesException(
    'MessageRejected',
    `Email address is not verified. The following identities failed the check in region ${region.toUpperCase()}: ${listed}${more}`,
  );
}

/** An identity ARN of this account and region: `arn:aws:ses:<region>:<account>:identity/<name>`. */
function identityOfArn(arn: string, region: string, accountId: string): string {
  const parts = matchSesArn(arn);
  if (parts?.kind !== 'identity') throw new SesException('BadRequestException', `Illegal ARN: ${arn.slice(0, 200)}`);
  const { name } = parts;
  if (parts.region !== region || parts.account !== accountId) {
    // Sending authorization across accounts or regions is not emulated: the identity is not ours.
    throw new SesException(
      'MessageRejected',
      `Sending from ${name} is not authorized for account ${accountId} in ${region}.`,
    );
  }
  return name;
}

/** Whether `address` is covered by the identity `name`: the same address, or an address in that domain or below. */
function covers(name: string, address: string): boolean {
  if (name.includes('@')) return name.toLowerCase() === address.toLowerCase();
  const domain = domainOf(address);
  const identity = name.toLowerCase();
  return domain === identity || domain.endsWith(`.${identity}`);
}

/** Whether the identity `name` itself is verified for sending (a domain by DKIM or its legacy TXT). */
async function identityVerified(state: SesBackendState, name: string): Promise<boolean> {
  if (name.includes('@')) return canSend(state, name);
  const key = identityKeyOrNull(name);
  const record = key === null ? undefined : await state.store.get(key);
  return record?.type === 'DOMAIN' && v1VerificationStatus(record, state.now()) === 'Success';
}

/** The checks of one send. */
export interface GateInput {
  readonly sender: Mailbox;
  readonly fromArn?: string;
  readonly recipients: readonly Mailbox[];
  readonly sandbox: boolean;
  readonly accountId: string;
}

/**
 * Throws MessageRejected unless SES would accept the send: the sender verified (its address or
 * its domain; with FromArn, that identity verified and covering the sender), and in the sandbox
 * every recipient verified except the mailbox simulator's.
 */
export async function gate(state: SesBackendState, input: GateInput): Promise<void> {
  const { sender } = input;
  let senderOk: boolean;
  if (input.fromArn !== undefined) {
    const name = identityOfArn(input.fromArn, state.region, input.accountId);
    senderOk = covers(name, sender.address) && (await identityVerified(state, name));
  } else {
    senderOk = await canSend(state, sender.address);
  }
  if (!senderOk) {
    // With a display name SES lists the whole From and the bare address (mageplaza #152 capture).
    const listed = sender.text === sender.address ? [sender.address] : [sender.text, sender.address];
    throw notVerified(state.region, listed);
  }
  if (!input.sandbox) return;
  const failed: string[] = [];
  for (const recipient of input.recipients) {
    if (isSimulatorAddress(recipient.address)) continue;
    if (!(await canSend(state, recipient.address))) failed.push(recipient.address);
  }
  if (failed.length > 0) throw notVerified(state.region, failed);
}

/**
 * The identity whose key signs for `address`: the most specific domain identity of the address's
 * domain or a parent, with SigningEnabled and DKIM SUCCESS. null: only the provider signs.
 */
export async function signingIdentity(state: SesBackendState, address: string): Promise<IdentityRecord | null> {
  const labels = domainOf(address).split('.');
  for (let i = 0; i < labels.length - 1; i++) {
    const key = identityKeyOrNull(labels.slice(i).join('.'));
    const record = key === null ? undefined : await state.store.get(key);
    if (record?.type !== 'DOMAIN') continue;
    // The most specific domain identity decides, even when it does not sign. A DEED replica signs
    // with its parent region's DKIM set-up.
    const effective = await effectiveRecord(state, record);
    return effective.signingEnabled && dkimStatusOf(effective) === 'SUCCESS' ? effective : null;
  }
  return null;
}
