// signMessage, sesSignMessage and verifyMessage as the Node build of the main entry has them: node:crypto unless told otherwise.

import type { KeyResolver } from '../../core/signature/key-lookup.js';
import { MAX_MESSAGE_BYTES } from '../../core/signature/message.js';
import { sesSignMessage as coreSesSign, type SesSignedMessage, type SesSignOptions } from '../../core/signature/ses.js';
import { signMessage as coreSign, type SignedMessage, type SignOptions } from '../../core/signature/sign.js';
import {
  verifyMessage as coreVerify,
  type MessageVerification,
  type VerifyMessageOptions,
} from '../../core/signature/verify.js';
import { nodeSignaturePrimitives } from './crypto.js';

/**
 * The message as a Buffer over the same bytes (no copy): the core finds line ends with
 * `indexOf`, and Buffer's (memchr) is several times faster than Uint8Array's. A string too large
 * is passed on as it is, for the core to refuse before any work.
 */
function asBuffer(message: string | Uint8Array): string | Uint8Array {
  if (typeof message === 'string') return message.length > MAX_MESSAGE_BYTES ? message : Buffer.from(message, 'utf8');
  if (message instanceof Buffer || !(message instanceof Uint8Array)) return message;
  return Buffer.from(message.buffer, message.byteOffset, message.length);
}

/** {@link coreSign | signMessage} with node:crypto's primitives unless `options.crypto` is given. */
export function signMessage(message: string | Uint8Array, options: SignOptions): Promise<SignedMessage> {
  return coreSign(
    asBuffer(message),
    options.crypto === undefined ? { ...options, crypto: nodeSignaturePrimitives } : options,
  );
}

/** {@link coreSesSign | sesSignMessage} with node:crypto's primitives unless `options.crypto` is given. */
export function sesSignMessage(message: string | Uint8Array, options: SesSignOptions): Promise<SesSignedMessage> {
  return coreSesSign(
    asBuffer(message),
    options.crypto === undefined ? { ...options, crypto: nodeSignaturePrimitives } : options,
  );
}

/** {@link coreVerify | verifyMessage} with node:crypto's primitives unless `options.crypto` is given. */
export function verifyMessage(
  message: string | Uint8Array,
  resolver: KeyResolver,
  options: VerifyMessageOptions = {},
): Promise<MessageVerification> {
  return coreVerify(
    asBuffer(message),
    resolver,
    options.crypto === undefined ? { ...options, crypto: nodeSignaturePrimitives } : options,
  );
}
