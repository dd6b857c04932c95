#!/usr/bin/env python3
"""The lightest script that still does the job: the benchmark's second Python peer.

Pulls Mimecast audit events (API 2.0: OAuth client credentials, paging with
meta.pagination.next) with `requests` (peer.py's fetch_events) and indexes them with elasticsearch-py's helpers.bulk
(`create` into the data stream, `_id` the SHA-256 of the Mimecast event id, no compression). The
mapping is the least a SIEM user would accept: @timestamp, event.action, event.original, user.*
and one regular expression for the source IP. No categorisation, no target user, no related.*:
a floor for what a Python script costs per event, not a rival mapping.

Environment: MIMECAST_BASE_URL, MIMECAST_CLIENT_ID, MIMECAST_CLIENT_SECRET, ELASTICSEARCH_URL.
Usage: peer_minimal.py --since 2026-11-30T00:00:00Z --until 2026-12-01T00:00:00Z [--page-size 500]
Dependencies: pip install requests elasticsearch (Benchmarks/run.sh does this in a venv).
"""
import base64
import datetime
import hashlib
import json
import os
import re
import sys

from elasticsearch import Elasticsearch, helpers

# The API side (OAuth token, paging) is peer.py's, so both peers pay the same for it.
from peer import fetch_events, window_arguments

DATA_STREAM = "logs-mimecast.audit-default"
IP = re.compile(r"\bIP(?: Address)?\s*:[\s:]*([0-9A-Fa-f:.]+[0-9A-Fa-f])|Remote IP is\s+([0-9A-Fa-f:.]+[0-9A-Fa-f])")


def action(event):
    doc = {
        "@timestamp": datetime.datetime.strptime(event["eventTime"], "%Y-%m-%dT%H:%M:%S%z")
        .astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "event": {"action": "-".join((event.get("auditType") or "").lower().split()),
                  "original": json.dumps(event, separators=(",", ":"))},
    }
    user = event.get("user")
    if user:
        name, _, domain = user.partition("@")
        doc["user"] = {"email": user, "name": name, "domain": domain}
    ip = IP.search(event.get("eventInfo") or "")
    if ip:
        doc["source"] = {"ip": ip.group(1) or ip.group(2)}
    digest = hashlib.sha256(str(event["id"]).encode()).digest()
    return {"_op_type": "create", "_index": DATA_STREAM, "_source": doc,
            "_id": base64.urlsafe_b64encode(digest).rstrip(b"=").decode()}


def main():
    args = window_arguments(__doc__.splitlines()[0])
    es = Elasticsearch(os.environ.get("ELASTICSEARCH_URL", "http://localhost:9200"), request_timeout=120)
    source = fetch_events(os.environ.get("MIMECAST_BASE_URL", "https://api.services.mimecast.com"),
                    os.environ["MIMECAST_CLIENT_ID"], os.environ["MIMECAST_CLIENT_SECRET"],
                    args.since.replace("Z", "+0000"), args.until.replace("Z", "+0000"), args.page_size)
    indexed, errors = helpers.bulk(es, (action(event) for event in source), raise_on_error=False, stats_only=True)
    print(json.dumps({"indexed": indexed, "errors": errors}), file=sys.stderr)
    return 0 if errors == 0 else 3


if __name__ == "__main__":
    sys.exit(main())
