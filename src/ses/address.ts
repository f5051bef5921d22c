// SES's rules for email-address identities: the address checks whose messages SES reports (JavaMail's checkAddress).

/**
 * Why SES refuses an email address, in SES's words, or null when it passes. SES's messages for
 * bad addresses are, word for word, those of JavaMail's `InternetAddress.checkAddress`, whose
 * rules these are; SES also takes 7-bit ASCII local parts only (no SMTPUTF8), so anything
 * outside printable ASCII there (a zero-width space, say) is an illegal character.
 */
export function addressProblem(address: string): string | null {
  const at = address.lastIndexOf('@');
  if (at < 0) return "Missing final '@domain'";
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length === 0) return 'Missing local name';
  if (domain.length === 0) return 'Missing domain';
  return localProblem(local) ?? domainProblem(domain);
}

const LOCAL_SPECIALS = '()<>,;:\\"[]@';

function localProblem(local: string): string | null {
  const quoted = local.startsWith('"');
  if (quoted && (local.length < 2 || !local.endsWith('"'))) return 'Unterminated quote';
  for (const char of local) {
    const code = char.codePointAt(0) ?? 0;
    // Inside quotes a space is text; control characters never are.
    if (code < 0x20 || code === 0x7f || (code === 0x20 && !quoted))
      return 'Local address contains control or whitespace';
    if (code > 0x7e) return 'Local address contains illegal character';
  }
  if (quoted) return null; // a quoted local part skips the dot and special-character rules
  for (const char of local) if (LOCAL_SPECIALS.includes(char)) return 'Local address contains illegal character';
  if (local.startsWith('.')) return 'Local address starts with dot';
  if (local.includes('..')) return 'Local address contains dot-dot';
  if (local.endsWith('.')) return 'Local address ends with dot';
  return null;
}

function domainProblem(domain: string): string | null {
  if (domain.startsWith('[') && domain.endsWith(']')) return null; // an address literal
  for (const char of domain) {
    const code = char.codePointAt(0) ?? 0;
    if (code <= 0x20 || code === 0x7f) return 'Domain contains control or whitespace';
    if (!/[A-Za-z0-9.-]/.test(char)) return 'Domain contains illegal character';
  }
  if (domain.startsWith('.')) return 'Domain starts with dot';
  if (domain.includes('..')) return 'Domain contains dot-dot';
  if (domain.endsWith('.')) return 'Domain ends with dot';
  return null;
}
