"""Sends N GetFederationToken requests, one after another, on one keep-alive connection, with
the headers of crates/bench's load generator; exits non-zero on any answer that is not a 200
with a body. Usage: client.py URL N"""

import http.client
import sys
import urllib.parse

AUTHORIZATION = (
    "AWS4-HMAC-SHA256 Credential=AKIDBENCH/20261128/us-east-1/connect/aws4_request, "
    "SignedHeaders=host;x-amz-date, Signature=" + "0" * 64
)


def main():
    url, n = sys.argv[1], int(sys.argv[2])
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    headers = {"x-amz-date": "20261128T000000Z", "authorization": AUTHORIZATION}
    for i in range(n):
        conn.request("GET", "/user/federate/i-1", headers=headers)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200 or not body:
            sys.exit(f"request {i}: status {response.status}, {len(body)} bytes")
    conn.close()


if __name__ == "__main__":
    main()
