// The quick start: generate a key, validate it as SES would receive it, print its DNS record.
// Run with `npm start` (builds first). Uses only the public entry, as an application would.
import { dkimTxtRecord, generateDkimKey, parsePrivateKey, toSesPrivateKey } from 'dkim-engine';

const { privateKey } = await generateDkimKey({ bits: 2048 });

// What you would pass to SES as DkimSigningAttributes.DomainSigningPrivateKey:
const key = parsePrivateKey(privateKey, { strict: true });
console.log(`key: RSA ${key.bits} bits, ${key.form}/${key.encoding}, e=${key.e}, consistent and prime (strict)`);
console.log(`SES form: ${toSesPrivateKey(key).length} characters of base64 (not printed: it is secret)`);

// What you publish in DNS:
const record = dkimTxtRecord(key, { domain: 'example.com', selector: 'ses2026' });
console.log(`\npublish at ${record.name}:`);
console.log(record.zone);
console.log(`\nas strings for a DNS API: ${record.strings.length} strings of at most 255 octets`);

// And what happens to a key that is not usable:
try {
  parsePrivateKey('MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu');
} catch (error) {
  console.log(`\na truncated key is refused: ${error.code}: ${error.message}`);
}
