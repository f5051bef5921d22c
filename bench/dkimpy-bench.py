#!/usr/bin/python3
# dkimpy (Debian python3-dkim) in a subprocess for the signature benchmarks: reads one JSON request on stdin,
# signs or verifies the message for about `seconds`, prints the rate (operations per second).
import base64
import json
import sys
import time

import dkim

request = json.load(sys.stdin)
message = base64.b64decode(request['message'])
key = request['key'].encode()
record = request['record'].encode()
header, body = request['canonicalization'].split('/')


def sign():
    dkim.sign(message, b'bench', b'example.com', key, canonicalize=(header.encode(), body.encode()))


def verify():
    if not dkim.verify(message, dnsfunc=lambda name, timeout=5: record):
        raise SystemExit('dkimpy did not verify the benchmark message')


run = sign if request['op'] == 'sign' else verify
run()
count = 0
start = time.perf_counter()
while time.perf_counter() - start < request['seconds']:
    run()
    count += 1
print(count / (time.perf_counter() - start))
