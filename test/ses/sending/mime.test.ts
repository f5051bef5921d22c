// Simple content becomes MIME that Python's email package (an independent parser) reads back exactly.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseMailbox, splitAddressList } from '../../../src/ses/sending/addresses.js';
import { messageIdField, rfc5322Date, sesMessageId } from '../../../src/ses/sending/message-id.js';
import { buildSimpleMessage, encodeHeaderText, quotedPrintable } from '../../../src/ses/sending/mime.js';
import { splitMessage, stampMessage } from '../../../src/ses/sending/rewrite.js';

/** Parses a message with Python's email package (policy=default) and returns what a mail client would show. */
function pythonReads(message: string): {
  subject: string;
  from: string;
  to: string;
  type: string;
  parts: [string, string][];
} {
  const script = `
import sys, json, email
from email import policy
m = email.message_from_bytes(sys.stdin.buffer.read(), policy=policy.default)
parts = [[p.get_content_type(), p.get_content().replace("\\r\\n", "\\n")] for p in (m.iter_parts() if m.is_multipart() else [m])]
print(json.dumps({"subject": str(m["subject"]), "from": str(m["from"]), "to": str(m["to"]), "type": m.get_content_type(), "parts": parts}))`;
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script], { input: message }).toString());
}

describe('Simple content as MIME', () => {
  it('text and HTML become multipart/alternative, text first; non-ASCII subject and name as encoded words', () => {
    const subject = 'Grüße aus Köln — ça va? 日本語のテキストも長く続きます、とても長い件名です';
    const text = 'Hallo Jürgen,\nlange Zeile '.concat('x'.repeat(120), ' Ende.\n= gleich');
    const html = '<p>Hallo <b>Jürgen</b></p>';
    const message = buildSimpleMessage({
      from: 'Jürgen Müller <j@example.com>',
      to: ['a@example.com', 'B <b@example.com>'],
      cc: [],
      replyTo: [],
      subject: { Data: subject, Charset: 'UTF-8' },
      text: { Data: text },
      html: { Data: html },
    });
    expect(message).toMatch(/^[\x20-\x7e\r\n\t]*$/); // 7-bit on the wire
    expect(message.split('\r\n').every((line) => line.length <= 78)).toBe(true);
    const read = pythonReads(message);
    expect(read).toEqual({
      subject,
      from: 'Jürgen Müller <j@example.com>',
      to: 'a@example.com, B <b@example.com>',
      type: 'multipart/alternative',
      parts: [
        ['text/plain', text],
        ['text/html', html],
      ],
    });
  });

  it('ASCII text alone is one 7bit text/plain part; latin-1 content is labelled and encoded as ISO-8859-1', () => {
    const ascii = buildSimpleMessage({
      from: 'a@example.com',
      to: ['b@example.com'],
      cc: ['c@example.com'],
      replyTo: ['r@example.com'],
      subject: { Data: 'Plain' },
      text: { Data: 'Just text.' },
    });
    expect(ascii).toContain(
      'Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\nJust text.\r\n',
    );
    expect(ascii).toContain('Cc: c@example.com\r\nReply-To: r@example.com\r\n');
    const latin = buildSimpleMessage({
      from: 'a@example.com',
      to: ['b@example.com'],
      cc: [],
      replyTo: [],
      subject: { Data: 'Café' },
      html: { Data: '<p>Café</p>', Charset: 'ISO-8859-1' },
    });
    expect(latin).toContain('<p>Caf=E9</p>');
    expect(pythonReads(latin).parts).toEqual([['text/html', '<p>Café</p>\n']]);
  });

  it('encoded words never split a character and stay within 75 characters', () => {
    const words = encodeHeaderText('€'.repeat(40)).split('\r\n ');
    expect(words.length).toBeGreaterThan(1);
    for (const word of words) {
      expect(word.length).toBeLessThanOrEqual(75);
      const bytes = Buffer.from(word.slice(10, -2), 'base64');
      expect(bytes.length % 3).toBe(0); // whole euro signs (3 bytes each)
    }
  });

  it('quoted-printable encodes =, trailing white space and 8-bit bytes, with soft breaks', () => {
    expect(quotedPrintable(new TextEncoder().encode('a=b \nc\t'))).toBe('a=3Db=20\r\nc=09');
    const long = quotedPrintable(new TextEncoder().encode('y'.repeat(200)));
    expect(long.split('\r\n').every((l) => l.length <= 76)).toBe(true);
    expect(long.replace(/=\r\n/g, '')).toBe('y'.repeat(200));
  });
});

describe('SES identifiers and rewrites', () => {
  it('MessageId and Message-ID in SES form', () => {
    const id = sesMessageId('us-east-1', Date.UTC(2022, 3, 8, 14, 23, 45), '89f89015-ddad-488e-92d4-a7cafaff5056');
    expect(id).toBe(
      '010001800b4d1847-89f89015-ddad-488e-92d4-a7cafaff5056-000000'.replace('01800b4d1847', id.slice(4, 16)),
    );
    expect(id.slice(0, 4)).toBe('0100');
    expect(Number.parseInt(id.slice(4, 16), 16)).toBe(Date.UTC(2022, 3, 8, 14, 23, 45));
    expect(messageIdField(id, 'us-east-1')).toBe(`<${id}@email.amazonses.com>`);
    expect(messageIdField(id, 'eu-west-1')).toBe(`<${id}@eu-west-1.amazonses.com>`);
    expect(rfc5322Date(Date.UTC(2026, 11, 1, 0, 40, 5))).toBe('Tue, 1 Dec 2026 00:40:05 +0000');
  });

  it('stamping replaces Date, Message-ID and Feedback-ID wherever they were and removes X-SES-*', () => {
    const parsed = splitMessage(
      new TextEncoder().encode(
        'Date: old\nFrom: a@b.c\nMessage-ID:\n <old@x>\nX-SES-FROM-ARN: arn\nSubject: s\n\nbody\n',
      ),
    );
    const stamped = stampMessage(parsed, { date: 'D', messageId: '<M>', feedbackId: 'F' });
    expect(stamped.fields).toEqual(['From: a@b.c', 'Subject: s', 'Date: D', 'Message-ID: <M>', 'Feedback-ID: F']);
    expect(stamped.body).toBe('body\r\n');
  });

  it('reads mailboxes and address lists as headers write them', () => {
    expect(splitAddressList('"Doe, J" <j@x.example>, k@x.example, (c, d) l@x.example')).toEqual([
      '"Doe, J" <j@x.example>',
      'k@x.example',
      '(c, d) l@x.example',
    ]);
    expect(parseMailbox(' "Doe, J" <j@x.example> ')).toEqual({
      text: '"Doe, J" <j@x.example>',
      address: 'j@x.example',
    });
    expect(() => parseMailbox('a@')).toThrow('Missing domain');
    expect(() => parseMailbox('a b@x.example')).toThrow('Local address contains control or whitespace');
  });
});
