#!/usr/bin/python3
# dkimpy (Debian python3-dkim) verifying every DKIM-Signature of each message, with keys fetched over real DNS
# from loopback authoritative servers: CNAMEs are followed from server to server (customer zone -> provider zone).
# Request on stdin: {"servers": [{"suffix": "amazonses.com", "address": "127.0.0.1", "port": 5353}, ...],
#                    "messages": ["<base64>", ...]}   ("suffix": "" is the server for every other name)
# Output: [[{"domain", "selector", "result": "pass"|"fail", "detail"}, ...topmost first], ...]
import base64
import json
import sys

import dkim
import dns.message
import dns.query
import dns.rdatatype

request = json.load(sys.stdin)
servers = sorted(request['servers'], key=lambda s: -len(s['suffix']))


def server_for(name):
    for server in servers:
        suffix = server['suffix']
        if suffix == '' or name == suffix or name.endswith('.' + suffix):
            return server
    raise LookupError('no server for ' + name)


def dnsfunc(name, timeout=5):
    name = (name.decode() if isinstance(name, bytes) else name).lower().rstrip('.')
    for _ in range(8):
        server = server_for(name)
        # EDNS for 2048-bit keys, and TCP when a UDP answer is still truncated.
        query = dns.message.make_query(name + '.', dns.rdatatype.TXT, use_edns=0, payload=4096)
        answer, _ = dns.query.udp_with_fallback(query, server['address'], port=server['port'], timeout=2)
        target = None
        for rrset in answer.answer:
            if rrset.name.to_text().lower().rstrip('.') != name:
                continue
            if rrset.rdtype == dns.rdatatype.TXT:
                return b''.join(list(rrset)[0].strings)
            if rrset.rdtype == dns.rdatatype.CNAME:
                target = list(rrset)[0].target.to_text().lower().rstrip('.')
        if target is None:
            return None
        name = target
    return None


out = []
for encoded in request['messages']:
    message = base64.b64decode(encoded)
    d = dkim.DKIM(message)
    count = len([h for h in d.headers if h[0].lower() == b'dkim-signature'])
    results = []
    for index in range(count):
        try:
            ok = bool(d.verify(idx=index, dnsfunc=dnsfunc))
            detail = ''
        except dkim.DKIMException as error:
            ok, detail = False, f'{type(error).__name__}: {error}'
        results.append({
            'domain': (d.domain or b'').decode(),
            'selector': (d.selector or b'').decode(),
            'result': 'pass' if ok else 'fail',
            'detail': detail,
        })
    out.append(results)
json.dump(out, sys.stdout)
