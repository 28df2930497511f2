#!/usr/bin/env python3
"""The object half of geocentre's backups (scripts/backup.sh), on a bucket
with S3 versioning. Python's standard library only (SigV4 signing included),
so that a restore needs nothing but python3 and the PostgreSQL client.

  s3-versions.py versioning                 turns versioning on for the bucket (created if missing)
  s3-versions.py manifest [--at UNIX_TIME]  prints the objects under the prefix as they were
                                            at that time (default: now): key, version id, ETag, size
  s3-versions.py restore MANIFEST           makes the prefix hold exactly the manifest's objects:
                                            a key whose current bytes differ gets the listed version
                                            back (read by version id, written again), a key not in
                                            the manifest is deleted (a delete marker: recoverable)

The store comes from the environment, as geocentre's own: GEOCENTRE_BLOBS
(s3://bucket/prefix), AWS_ENDPOINT_URL (empty: AWS), AWS_REGION (us-east-1),
AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN).
Path-style URLs (what S3-compatible servers expect; AWS accepts them).

Why a manifest of version ids rather than a copy of the bucket: geocentre
writes every object once under a new key and only GC deletes, so with
versioning on, the bucket already holds every version a registry dump can
reference; the manifest fixes which ones, at the dump's time, in a few KB.
"""
from __future__ import annotations

import argparse
import datetime
import hashlib
import hmac
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

NS = "{http://s3.amazonaws.com/doc/2006-03-01/}"


class Bucket:
    def __init__(self):
        blobs = os.environ.get("GEOCENTRE_BLOBS", "")
        if not blobs.startswith("s3://"):
            sys.exit("error: GEOCENTRE_BLOBS must be s3://bucket/prefix")
        self.bucket, _, prefix = blobs[5:].partition("/")
        self.prefix = prefix.strip("/")
        self.endpoint = (os.environ.get("AWS_ENDPOINT_URL") or "").rstrip("/") or "https://s3.amazonaws.com"
        self.region = os.environ.get("AWS_REGION") or "us-east-1"
        self.key_id = os.environ.get("AWS_ACCESS_KEY_ID", "")
        self.secret = os.environ.get("AWS_SECRET_ACCESS_KEY", "")
        self.token = os.environ.get("AWS_SESSION_TOKEN", "")
        if not (self.key_id and self.secret):
            sys.exit("error: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are needed")
        self.host = urllib.parse.urlsplit(self.endpoint).netloc
        # Never through a proxy the caller's shell may name.
        self.opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))

    def request(self, method, key="", query=None, body=b"", headers=None, ok=(200,)):
        """A signed request (AWS Signature Version 4) to the bucket, or to
        `key` in it; returns (status, headers, body)."""
        query = query or {}
        q = lambda s: urllib.parse.quote(s, safe="-_.~")  # noqa: E731
        path = f"/{self.bucket}" + (f"/{urllib.parse.quote(key, safe='/-_.~')}" if key else "")
        now = datetime.datetime.now(datetime.timezone.utc)
        amz_date, day = now.strftime("%Y%m%dT%H%M%SZ"), now.strftime("%Y%m%d")
        payload = hashlib.sha256(body).hexdigest()
        h = {"host": self.host, "x-amz-content-sha256": payload, "x-amz-date": amz_date}
        if self.token:
            h["x-amz-security-token"] = self.token
        for k, v in (headers or {}).items():
            h[k.lower()] = v
        signed = ";".join(sorted(h))
        canonical_query = "&".join(f"{q(k)}={q(v)}" for k, v in sorted(query.items()))
        canonical = "\n".join([method, path, canonical_query, "".join(f"{k}:{h[k].strip()}\n" for k in sorted(h)),
                               signed, payload])
        scope = f"{day}/{self.region}/s3/aws4_request"
        to_sign = "\n".join(["AWS4-HMAC-SHA256", amz_date, scope, hashlib.sha256(canonical.encode()).hexdigest()])
        k = ("AWS4" + self.secret).encode()
        for part in (day, self.region, "s3", "aws4_request"):
            k = hmac.new(k, part.encode(), hashlib.sha256).digest()
        sig = hmac.new(k, to_sign.encode(), hashlib.sha256).hexdigest()
        h["authorization"] = (f"AWS4-HMAC-SHA256 Credential={self.key_id}/{scope}, SignedHeaders={signed}, "
                              f"Signature={sig}")
        del h["host"]
        url = self.endpoint + path + ("?" + canonical_query if canonical_query else "")
        req = urllib.request.Request(url, data=body if method in ("PUT", "POST") else None, method=method,
                                     headers=h)
        try:
            with self.opener.open(req, timeout=120) as r:
                status, rh, data = r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            status, rh, data = e.code, dict(e.headers), e.read()
        if status not in ok:
            sys.exit(f"error: {method} {path}?{canonical_query}: HTTP {status}: {data[:500]!r}")
        return status, rh, data

    def key(self, rel):
        return f"{self.prefix}/{rel}" if self.prefix else rel

    def rel(self, key):
        return key[len(self.prefix) + 1:] if self.prefix else key

    def entries(self):
        """Every version and delete marker under the prefix (ListObjectVersions,
        all pages): (key, version_id, is_marker, last_modified, etag, size)."""
        out, km, vm = [], None, None
        while True:
            query = {"versions": "", "prefix": self.prefix + "/" if self.prefix else ""}
            if km:
                query["key-marker"] = km
            if vm:
                query["version-id-marker"] = vm
            _, _, data = self.request("GET", query=query)
            root = ET.fromstring(data)
            for el in root:
                tag = el.tag.removeprefix(NS)
                if tag not in ("Version", "DeleteMarker"):
                    continue
                lm = datetime.datetime.fromisoformat(el.findtext(f"{NS}LastModified").replace("Z", "+00:00"))
                out.append((el.findtext(f"{NS}Key"), el.findtext(f"{NS}VersionId"), tag == "DeleteMarker",
                            lm.timestamp(), (el.findtext(f"{NS}ETag") or "").strip('"'),
                            int(el.findtext(f"{NS}Size") or 0)))
            if (root.findtext(f"{NS}IsTruncated") or "false").lower() != "true":
                return out
            km, vm = root.findtext(f"{NS}NextKeyMarker"), root.findtext(f"{NS}NextVersionIdMarker")

    def current(self):
        """{key: etag} of the objects under the prefix now (ListObjectsV2)."""
        out, token = {}, None
        while True:
            query = {"list-type": "2", "prefix": self.prefix + "/" if self.prefix else ""}
            if token:
                query["continuation-token"] = token
            _, _, data = self.request("GET", query=query)
            root = ET.fromstring(data)
            for c in root.findall(f"{NS}Contents"):
                out[c.findtext(f"{NS}Key")] = (c.findtext(f"{NS}ETag") or "").strip('"')
            if (root.findtext(f"{NS}IsTruncated") or "false").lower() != "true":
                return out
            token = root.findtext(f"{NS}NextContinuationToken")


def versioning(b):
    # The bucket, if it does not exist yet (409: it does, ours or not:
    # PutBucketVersioning below says whether we may manage it).
    b.request("PUT", ok=(200, 409))
    body = (b'<VersioningConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">'
            b"<Status>Enabled</Status></VersioningConfiguration>")
    b.request("PUT", query={"versioning": ""}, body=body)
    _, _, data = b.request("GET", query={"versioning": ""})
    status = ET.fromstring(data).findtext(f"{NS}Status")
    if status != "Enabled":
        sys.exit(f"error: the bucket's versioning is {status!r} after enabling it: {data[:300]!r}")
    print(f"versioning enabled on bucket {b.bucket}")


def manifest(b, at):
    """The objects as they were at `at`: per key, the newest entry written
    at or before `at`, if it is a version. S3 times have one-second
    resolution: an entry of the same second as `at` counts as before it,
    and a delete marker of that second is passed over (the registry dump
    started at `at` may reference what GC deleted in the same second)."""
    by_key = {}
    for e in b.entries():
        by_key.setdefault(e[0], []).append(e)
    objects = []
    for key, es in sorted(by_key.items()):
        es.sort(key=lambda e: e[3], reverse=True)
        for k, vid, marker, lm, etag, size in es:
            if lm > at + 1:
                continue
            if marker:
                if lm >= at - 1:
                    continue
                break
            objects.append({"key": b.rel(k), "version_id": vid, "etag": etag, "size": size})
            break
    return {"bucket": b.bucket, "prefix": b.prefix, "at": at, "objects": objects}


def restore(b, m):
    if m.get("prefix", "") != b.prefix:
        sys.exit(f"error: the manifest is of prefix {m.get('prefix')!r}, GEOCENTRE_BLOBS names {b.prefix!r}")
    want = {b.key(o["key"]): o for o in m["objects"]}
    now = b.current()
    restored = deleted = kept = 0
    for key, o in want.items():
        if now.get(key) == o["etag"]:
            kept += 1
            continue
        _, _, data = b.request("GET", key, query={"versionId": o["version_id"]})
        if len(data) != o["size"] or ("-" not in o["etag"] and hashlib.md5(data).hexdigest() != o["etag"]):
            sys.exit(f"error: version {o['version_id']} of {key} is not the one the manifest lists "
                     f"({len(data)} bytes; listed: {o['size']} bytes, ETag {o['etag']})")
        b.request("PUT", key, body=data)
        restored += 1
    for key in sorted(set(now) - set(want)):
        b.request("DELETE", key, ok=(200, 204))
        deleted += 1
    print(json.dumps({"kept": kept, "restored": restored, "deleted": deleted}))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("versioning")
    mp = sub.add_parser("manifest")
    mp.add_argument("--at", type=float, default=None)
    rp = sub.add_parser("restore")
    rp.add_argument("manifest")
    a = ap.parse_args()
    b = Bucket()
    if a.cmd == "versioning":
        versioning(b)
    elif a.cmd == "manifest":
        at = a.at if a.at is not None else datetime.datetime.now(datetime.timezone.utc).timestamp()
        json.dump(manifest(b, at), sys.stdout, indent=1)
        print()
    else:
        with open(a.manifest) as f:
            restore(b, json.load(f))


if __name__ == "__main__":
    main()
