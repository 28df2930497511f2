"""A real S3-compatible server for the tests (SeaweedFS, started by
scripts/s3-server.sh, installed by scripts/install-deps.sh --test) and a
small signed client to look into its buckets.

The client signs with AWS Signature Version 4 itself (a few lines of
hashlib/hmac) rather than pulling boto3 into the test environment: the
tests only list, read and delete keys and multipart uploads.
"""
from __future__ import annotations

import datetime
import hashlib
import hmac
import socket
import subprocess
import urllib.parse
import xml.etree.ElementTree as ET
from pathlib import Path

import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "scripts" / "s3-server.sh"
# scripts/s3-server.sh's fixed test credentials.
ACCESS_KEY, SECRET_KEY, REGION = "geocentre-test", "geocentre-test-secret", "us-east-1"


def ports_free(first, n=10):
    for p in range(first, first + n):
        s = socket.socket()
        try:
            s.bind(("127.0.0.1", p))
        except OSError:
            return False
        finally:
            s.close()
    return True


class S3:
    """A started server (`port`, data in `dir`) and one bucket's client."""

    def __init__(self, port, dir_, bucket):
        self.port, self.dir, self.bucket = port, Path(dir_), bucket
        self.endpoint = f"http://127.0.0.1:{port}"
        self.http = requests.Session()
        self.http.trust_env = False

    def env(self) -> dict:
        """What a geocentre process needs to reach the server (the endpoint
        and credentials as AWS variables, docs/configuration.md)."""
        return {"AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET_KEY, "AWS_REGION": REGION,
                "AWS_ENDPOINT_URL": self.endpoint, "AWS_ALLOW_HTTP": "true"}

    def _signed(self, method, path, query, unsigned_payload=False):
        """AWS Signature Version 4 headers: for an empty payload, or one
        declared UNSIGNED-PAYLOAD (a body sent as is)."""
        now = datetime.datetime.now(datetime.timezone.utc)
        amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
        q = lambda s: urllib.parse.quote(s, safe="-_.~")  # noqa: E731
        canonical_query = "&".join(f"{q(k)}={q(v)}" for k, v in sorted(query.items()))
        payload = "UNSIGNED-PAYLOAD" if unsigned_payload else hashlib.sha256(b"").hexdigest()
        headers = {"host": f"127.0.0.1:{self.port}", "x-amz-content-sha256": payload, "x-amz-date": amz_date}
        signed = ";".join(sorted(headers))
        canonical = "\n".join([method, urllib.parse.quote(path, safe="/-_.~"), canonical_query,
                               "".join(f"{k}:{headers[k]}\n" for k in sorted(headers)), signed, payload])
        scope = f"{day}/{REGION}/s3/aws4_request"
        to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
        key = ("AWS4" + SECRET_KEY).encode()
        for part in (day, REGION, "s3", "aws4_request"):
            key = hmac.new(key, part.encode(), hashlib.sha256).digest()
        sig = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
        headers["authorization"] = (f"AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/{scope}, "
                                    f"SignedHeaders={signed}, Signature={sig}")
        del headers["host"]
        return headers

    def list(self, prefix=""):
        """Every key of the bucket under `prefix`, sorted."""
        return sorted(k for k, _, _ in self.objects(prefix))

    def objects(self, prefix=""):
        """(key, size, ETag) of every object of the bucket under `prefix`
        (ListObjectsV2, all pages)."""
        keys, token = [], None
        while True:
            query = {"list-type": "2", "prefix": prefix}
            if token:
                query["continuation-token"] = token
            path = f"/{self.bucket}"
            r = self.http.get(self.endpoint + path, params=query, headers=self._signed("GET", path, query),
                              timeout=30)
            if r.status_code == 404 and b"NoSuchBucket" in r.content:
                return []
            assert r.status_code == 200, f"ListObjectsV2: HTTP {r.status_code}: {r.text[:500]}"
            root = ET.fromstring(r.content)
            ns = {"s": root.tag.split("}")[0].strip("{")} if root.tag.startswith("{") else {}
            p = "s:" if ns else ""
            keys += [(c.findtext(f"{p}Key", None, ns), int(c.findtext(f"{p}Size", "0", ns)),
                      (c.findtext(f"{p}ETag", "", ns) or "").strip('"'))
                     for c in root.findall(f"{p}Contents", ns)]
            if (root.findtext(f"{p}IsTruncated", "false", ns) or "false").lower() != "true":
                return keys
            token = root.findtext(f"{p}NextContinuationToken", None, ns)

    def get(self, key):
        """The bytes of one object of the bucket."""
        path = f"/{self.bucket}/{key}"
        r = self.http.get(self.endpoint + path, headers=self._signed("GET", path, {}), timeout=60)
        assert r.status_code == 200, f"GET {key}: HTTP {r.status_code}: {r.text[:300]}"
        return r.content

    def put(self, key, body: bytes):
        """Writes one object (its payload sent unsigned)."""
        path = f"/{self.bucket}/{key}"
        h = self._signed("PUT", path, {}, unsigned_payload=True)
        r = self.http.put(self.endpoint + path, data=body, headers=h, timeout=60)
        assert r.status_code == 200, f"PUT {key}: HTTP {r.status_code}: {r.text[:300]}"

    def delete(self, key):
        """Deletes one object."""
        path = f"/{self.bucket}/{key}"
        r = self.http.delete(self.endpoint + path, headers=self._signed("DELETE", path, {}), timeout=30)
        assert r.status_code in (200, 204), f"DELETE {key}: HTTP {r.status_code}: {r.text[:300]}"

    def pending_uploads(self, prefix=""):
        """How many multipart uploads are open (under `prefix`)."""
        path = f"/{self.bucket}"
        query = {"uploads": "", "prefix": prefix} if prefix else {"uploads": ""}
        r = self.http.get(self.endpoint + path, params=query, headers=self._signed("GET", path, query),
                          timeout=30)
        assert r.status_code in (200, 404), r.text[:500]
        return r.text.count("<Upload>")


def start(dir_, bucket, first_port, last_port, step=10) -> S3:
    """Starts a server with its data in `dir_` on the first free block of
    ports in [first_port, last_port) (it takes PORT..PORT+9)."""
    last = ""
    for port in range(first_port, last_port, step):
        if not ports_free(port):
            continue
        p = subprocess.run(["bash", str(SCRIPT), "start", str(dir_), str(port)], capture_output=True, text=True,
                           timeout=180)
        if p.returncode == 0:
            return S3(port, dir_, bucket)
        last = p.stderr
        subprocess.run(["bash", str(SCRIPT), "kill", str(dir_)], timeout=60)
    raise RuntimeError(f"no S3 server could be started on ports {first_port}-{last_port}: {last}")


def stop(dir_):
    subprocess.run(["bash", str(SCRIPT), "stop", str(dir_)], timeout=60)
