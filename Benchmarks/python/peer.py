#!/usr/bin/env python3
"""The script a user would otherwise write: the seed article's approach, made correct.

Pulls Mimecast audit events (API 2.0: OAuth client credentials, real JSON bodies, paging with
meta.pagination.next), maps each to a subset of ECS, and indexes them with elasticsearch-py's
helpers.bulk (`create` into the data stream, `_id` from the SHA-256 of the Mimecast event id).
It is the benchmark's Python peer: same servers, same events, same window as mimecast-shipper.

Environment: MIMECAST_BASE_URL, MIMECAST_CLIENT_ID, MIMECAST_CLIENT_SECRET, ELASTICSEARCH_URL.
Usage: peer.py --since 2026-11-30T00:00:00Z --until 2026-12-01T00:00:00Z [--page-size 500]
Dependencies: pip install requests elasticsearch (Benchmarks/run.sh does this in a venv).
"""
import argparse
import base64
import datetime
import hashlib
import ipaddress
import json
import os
import re
import sys
import time

import requests
from elasticsearch import Elasticsearch, helpers

DATA_STREAM = "logs-mimecast.audit-default"
ECS_VERSION = "9.4.0"

# Audit type -> (event.category, event.type, event.outcome); the common rows of the shipper's table.
CATEGORISATION = {
    "logon authentication": (["authentication"], ["start"], "success"),
    "logon authentication failed": (["authentication"], ["start"], "failure"),
    "user logged on": (["authentication"], ["start"], "success"),
    "user logged off": (["authentication"], ["end"], "success"),
    "sso logon": (["authentication"], ["start"], "success"),
    "mimecast support login": (["authentication"], ["start"], "success"),
    "mimecast support login failed": (["authentication"], ["start"], "failure"),
    "user password changed": (["iam"], ["user", "change"], None),
    "device enrollment": (["iam"], ["user", "change"], None),
    "role assigned": (["iam"], ["user", "change"], None),
    "directory sync": (["iam"], ["info"], None),
    "policy changed": (["configuration"], ["change"], None),
    "connector updated": (["configuration"], ["change"], None),
    "mimecast support action": (["configuration"], ["change"], None),
    "case review viewed": (["web"], ["access"], None),
    "search executed": (["web"], ["access"], None),
    "message released": (["email"], ["info"], None),
    "export data": (["file"], ["creation"], None),
    "archive folder deleted": (["file"], ["deletion"], None),
    "awareness training completed": (["web"], ["info"], None),
}
# Fallback by Mimecast category for audit types the table does not know.
BY_CATEGORY = {
    "authentication_logs": (["authentication"], ["info"], None),
    "mimecast_access_logs": (["authentication"], ["info"], None),
    "account_logs": (["iam"], ["info"], None),
    "policy_logs": (["configuration"], ["change"], None),
    "integrations_and_apis": (["configuration"], ["info"], None),
    "secure_messaging_logs": (["email"], ["info"], None),
    "archive_service_logs": (["web"], ["access"], None),
    "case_review_logs": (["web"], ["access"], None),
    "reporting_logs": (["web"], ["access"], None),
    "awareness_training_logs": (["web"], ["info"], None),
}

# Every IP form Mimecast writes: "IP: x", "IP : x", "IP: : x", "IP Address :x", "Remote IP is x",
# "remote IP : x".
IP_PATTERN = re.compile(r"(?:\bIP(?: Address)?\s*:\s*(?::\s+)?|Remote IP is\s+|remote IP\s*:\s*)([0-9A-Fa-f:.]+)")
EMAIL_PATTERN = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
APPLICATION_PATTERN = re.compile(r"[Aa]pplication\s*:\s*([^,\]\n]+)")


def get_token(session, base_url, client_id, client_secret):
    r = session.post(
        base_url + "/oauth/token",
        data={"client_id": client_id, "client_secret": client_secret, "grant_type": "client_credentials"},
        timeout=60,
    )
    r.raise_for_status()
    return r.json()["access_token"]


def fetch_events(base_url, client_id, client_secret, start, end, page_size):
    """Yields every event of [start, end), page by page."""
    session = requests.Session()
    token = get_token(session, base_url, client_id, client_secret)
    headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json", "Accept": "application/json"}
    page_token = None
    while True:
        pagination = {"pageSize": page_size}
        if page_token:
            pagination["pageToken"] = page_token
        payload = {"meta": {"pagination": pagination}, "data": [{"startDateTime": start, "endDateTime": end}]}
        r = session.post(base_url + "/api/audit/get-audit-events", headers=headers, json=payload, timeout=120)
        r.raise_for_status()
        body = r.json()
        if body.get("fail"):
            raise RuntimeError("Mimecast answered with errors: %s" % body["fail"])
        data = body.get("data") or []
        yield from data
        page_token = body.get("meta", {}).get("pagination", {}).get("next")
        if not page_token or not data:
            return


def utc_timestamp(event_time):
    parsed = datetime.datetime.strptime(event_time, "%Y-%m-%dT%H:%M:%S%z")
    return parsed.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def document_id(mimecast_id):
    digest = hashlib.sha256(mimecast_id.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def user_fields(address):
    name, _, domain = address.partition("@")
    fields = {"name": name, "email": address}
    if domain:
        fields["domain"] = domain
    return fields


def ips_in(event_info):
    ips = []
    for candidate in IP_PATTERN.findall(event_info):
        candidate = candidate.rstrip(".:")
        try:
            ip = str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
        if ip not in ips:
            ips.append(ip)
    return ips


def to_ecs(event, read_at):
    audit_type = event.get("auditType") or ""
    info = event.get("eventInfo") or ""
    category = event.get("category") or ""
    doc = {
        "@timestamp": utc_timestamp(event["eventTime"]),
        "ecs": {"version": ECS_VERSION},
        "event": {
            "kind": "event",
            "created": read_at,
            "module": "mimecast",
            "dataset": "mimecast.audit",
            "id": event.get("id"),
            "action": "-".join(audit_type.lower().split()),
            "original": json.dumps(event, separators=(",", ":")),
        },
        "data_stream": {"type": "logs", "dataset": "mimecast.audit", "namespace": "default"},
        "message": info,
        "mimecast": {"category": category, "audit_type": audit_type},
    }
    row = CATEGORISATION.get(audit_type.lower()) or BY_CATEGORY.get(category)
    if row:
        doc["event"]["category"], doc["event"]["type"] = row[0], row[1]
        if row[2]:
            doc["event"]["outcome"] = row[2]
    related_users = []
    user = event.get("user")
    if user:
        doc["user"] = user_fields(user)
        related_users.append(user)
    for email in EMAIL_PATTERN.findall(info):
        if email.lower() != (user or "").lower():
            doc.setdefault("user", {}).setdefault("target", user_fields(email))
        if email not in related_users:
            related_users.append(email)
    ips = ips_in(info)
    if ips:
        doc["source"] = {"ip": ips[0], "address": ips[0]}
        doc["related"] = {"ip": ips}
    if related_users:
        doc.setdefault("related", {})["user"] = related_users
    application = APPLICATION_PATTERN.search(info)
    if application:
        doc["mimecast"]["application"] = application.group(1).strip()
    return doc


def actions(events):
    read_at = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    for event in events:
        yield {"_op_type": "create", "_index": DATA_STREAM, "_id": document_id(event["id"]), "_source": to_ecs(event, read_at)}


def window_arguments(description):
    """--since, --until and --page-size, as both peers take them."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--since", required=True)
    parser.add_argument("--until", required=True)
    parser.add_argument("--page-size", type=int, default=500)
    return parser.parse_args()


def main():
    args = window_arguments(__doc__.splitlines()[0])
    started = time.monotonic()
    start = args.since.replace("Z", "+0000")
    end = args.until.replace("Z", "+0000")
    es = Elasticsearch(os.environ.get("ELASTICSEARCH_URL", "http://localhost:9200"), request_timeout=120)
    events = fetch_events(
        os.environ.get("MIMECAST_BASE_URL", "https://api.services.mimecast.com"),
        os.environ["MIMECAST_CLIENT_ID"], os.environ["MIMECAST_CLIENT_SECRET"], start, end, args.page_size,
    )
    indexed, errors = helpers.bulk(es, actions(events), raise_on_error=False, stats_only=True)
    print(json.dumps({"indexed": indexed, "errors": errors, "duration_seconds": round(time.monotonic() - started, 3)}),
          file=sys.stderr)
    return 0 if errors == 0 else 3


if __name__ == "__main__":
    sys.exit(main())
