#!/usr/bin/python3
# Interop harness for dkimpy (Debian python3-dkim): reads one JSON request on stdin, prints JSON verdicts.
# Request: {"op": "verify", "records": {"<name>": "<TXT value>"}, "messages": ["<base64>", ...]}
#       or {"op": "sign", "key": "<PEM or base64 seed>", "algorithm": "rsa-sha256"|"ed25519-sha256",
#           "domain", "selector", "canonicalization": "relaxed/simple", "headers": [...]|null,
#           "messages": ["<base64>", ...]}
# Keys come from the request through dkimpy's injectable DNS lookup: no network.
import base64
import json
import sys

import dkim


def verify(request):
    records = {name.lower().rstrip('.'): value.encode() for name, value in request['records'].items()}

    def dnsfunc(name, timeout=5):
        key = name.decode() if isinstance(name, bytes) else name
        return records.get(key.lower().rstrip('.'))

    out = []
    for encoded in request['messages']:
        message = base64.b64decode(encoded)
        try:
            d = dkim.DKIM(message)
            results = []
            count = len([h for h in d.headers if h[0].lower() == b'dkim-signature'])
            details = []
            for index in range(count):
                try:
                    results.append(bool(d.verify(idx=index, dnsfunc=dnsfunc)))
                    details.append('')
                except dkim.DKIMException as error:  # dkimpy raises some failures: a fail verdict
                    results.append(False)
                    details.append(f'{type(error).__name__}: {error}')
            out.append({'ok': True, 'results': results, 'details': details})
        except Exception as error:  # a verdict, not a crash: the test reads it
            out.append({'ok': False, 'error': f'{type(error).__name__}: {error}'})
    return out


def sign(request):
    key = request['key'].encode()
    if request['algorithm'] == 'ed25519-sha256':
        key = request['key'].encode()  # base64 of the 32-byte seed, as dkimpy takes it
    header, body = request.get('canonicalization', 'relaxed/simple').split('/')
    headers = request.get('headers')
    out = []
    for encoded in request['messages']:
        message = base64.b64decode(encoded)
        signature = dkim.sign(
            message,
            request['selector'].encode(),
            request['domain'].encode(),
            key,
            canonicalize=(header.encode(), body.encode()),
            include_headers=[h.encode() for h in headers] if headers else None,
            signature_algorithm=request['algorithm'].encode(),
            length=bool(request.get('length', False)),
        )
        out.append(base64.b64encode(signature + message).decode())
    return out


request = json.load(sys.stdin)
result = verify(request) if request['op'] == 'verify' else sign(request)
json.dump(result, sys.stdout)
