// Size limits of private key input: SES's own and the engine's guard against oversized input.

/** SES's limit on DomainSigningPrivateKey, in characters. */
export const MAX_SES_KEY_LENGTH = 20_480;
/** Any input (text or bytes) longer than this is refused before it is looked at. */
export const MAX_INPUT_LENGTH = 32_768;
/** The key sizes SES accepts for BYODKIM. */
export const SUPPORTED_KEY_BITS: readonly number[] = [1024, 2048];
