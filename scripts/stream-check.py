#!/usr/bin/env python3
"""Shows that /v1/screen/stream answers a parcel while the upload is still arriving.

Sends a JSON Lines manifest with chunked transfer encoding, one parcel, then waits for its decision before
sending the second parcel and ending the upload. Usage: stream-check.py PORT
"""
import socket
import sys
import time

port = int(sys.argv[1])
line1 = b'{"parcel_id":"S1","items":[{"description":"NIKE running shoes","hs_code":"640411"}]}\n'
line2 = b'{"parcel_id":"S2","items":[{"description":"plain cotton socks","hs_code":"611595"}]}\n'
sock = socket.create_connection(("127.0.0.1", port))
sock.sendall(b"POST /v1/screen/stream HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
start = time.monotonic()
sock.sendall(b"%x\r\n%s\r\n" % (len(line1), line1))
sock.settimeout(5)
received = b""
while b'"S1"' not in received:
    data = sock.recv(65536)
    if not data:
        break
    received += data
first = time.monotonic() - start
ok = b'"S1"' in received
print(f"stream: decision for S1 {'arrived' if ok else 'did NOT arrive'} {first * 1000:.1f} ms after its line was sent, "
      "before the upload ended" if ok else "stream: no decision before the upload ended")
sock.sendall(b"%x\r\n%s\r\n0\r\n\r\n" % (len(line2), line2))
while b'"S2"' not in received:
    data = sock.recv(65536)
    if not data:
        break
    received += data
print(f"stream: after the upload ended, decision for S2 {'arrived' if b'S2' in received else 'missing'}")
sys.exit(0 if ok and b'"S2"' in received else 1)
