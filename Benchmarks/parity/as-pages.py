#!/usr/bin/env python3
"""Splits an NDJSON file of events into the events Python's strict `json` reads as objects (written
one per line to OUT_EVENTS) and the same events, byte for byte, inside API response pages of
PAGE_SIZE (written one page per line to OUT_PAGES).

compare.sh --pages maps the first with the old binary and the second with the new one: an event
cut out of a page (whose members the page's scan found) must map exactly as the same event read
alone. Events that are not JSON objects, or nest deeper than 510 levels (the page adds two to the
parsers' limit of 512), are left out of both, since one would make its whole page invalid; so are
events with a `data` array, which a replay file's line reads as a page of its own.

    python3 as-pages.py EVENTS OUT_EVENTS OUT_PAGES [PAGE_SIZE]
"""
import json
import sys


def depth(value) -> int:
    if isinstance(value, dict):
        return 1 + max((depth(member) for member in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth(element) for element in value), default=0)
    return 0


def is_object(line: bytes) -> bool:
    def refuse(constant):
        raise ValueError(constant)
    try:
        value = json.loads(line.decode("utf-8"), parse_constant=refuse)
        return isinstance(value, dict) and depth(value) <= 510 and not isinstance(value.get("data"), list)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False


def main() -> None:
    source, out_events, out_pages = sys.argv[1:4]
    page_size = int(sys.argv[4]) if len(sys.argv) > 4 else 500
    with open(source, "rb") as handle:
        kept = [line.rstrip(b"\r\n") for line in handle if is_object(line.rstrip(b"\r\n"))]
    with open(out_events, "wb") as handle:
        handle.write(b"".join(line + b"\n" for line in kept))
    with open(out_pages, "wb") as handle:
        for start in range(0, len(kept), page_size):
            handle.write(b'{"meta":{"status":200,"pagination":{"pageSize":%d}},"data":[' % page_size)
            handle.write(b",".join(kept[start:start + page_size]))
            handle.write(b'],"fail":[]}\n')
    print(f"{len(kept)} events kept as objects", file=sys.stderr)


if __name__ == "__main__":
    main()
