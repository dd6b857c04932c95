#!/usr/bin/env python3
"""Writes COUNT raw Mimecast audit events, one JSON object a line, made from the sample's 20 events
by random edits: eventInfo, user, auditType and category texts with inserted keys, addresses,
display names, IPs, Unicode (combining marks, U+2028, non-breaking spaces), control bytes, quotes
and backslashes; ids as numbers and empty; odd and invalid eventTimes; shuffled and repeated
members; each value written with or without \\u escapes. Deterministic for a seed.

    python3 Benchmarks/parity/mutated-events.py SEED COUNT > events.ndjson
"""
import json
import pathlib
import random
import sys

seed, count = int(sys.argv[1]), int(sys.argv[2])
random.seed(seed)
sample = pathlib.Path(__file__).resolve().parents[2] / "samples" / "mimecast-audit-sample.ndjson"
events = [event for line in sample.read_text().splitlines() if line.strip() for event in json.loads(line)["data"]]
palette = list("aZ09 .,;:@<>[](){}|=-_\t\n\r\"\\/") + [
    "\u00a0", "\u2028", "\u200b", "\u0301", "é", "ß", "\u212a", "İ", "🙂", "\u0000", "\u001f", "\u007f",
    " by ", " for ", "IP: ", "Remote IP is ", "From: ", "To: ", "Subject: ", "Application: ", "Method: ",
    "2FA: ", "Reason: ", "emailAddress=", "method=", "user: ", "x@y.org", "A.B@Example.COM", "<Name, X>",
    "<a@b.cc>", "198.51.100.7", "2001:db8::1", "[", "]", "null", "remote IP : ", "IP Address : ",
]


def mutate(text, edits):
    chars = list(text)
    for _ in range(edits):
        choice, position = random.random(), random.randint(0, len(chars))
        if choice < 0.5:
            chars[position:position] = list(random.choice(palette))
        elif choice < 0.7 and chars:
            del chars[position:position + random.randint(1, 8)]
        elif choice < 0.85 and chars:
            index = random.randrange(len(chars))
            chars[index] = chars[index].swapcase()
        else:
            start = random.randint(0, len(chars))
            chars[position:position] = chars[start:start + random.randint(1, 20)]
    return "".join(chars)


def variant(text):
    choice = random.random()
    if choice < 0.3:
        return text
    if choice < 0.9:
        return mutate(text, random.randint(1, 6))
    return random.choice(["", " ", None, 12345, 1.5, True, [], {"a": 1}])


lines = []
for _ in range(count):
    event = {}
    for key, value in random.choice(events).items():
        if isinstance(value, str) and random.random() < (0.08 if key in ("eventTime", "id") else 0.6):
            value = variant(value)
        event[key] = value
    if random.random() < 0.1:
        event["id"] = random.choice([random.randint(0, 10**12), str(random.randint(0, 10**6)), "", None, 'x"y'])
    if random.random() < 0.1:
        event["eventTime"] = random.choice([
            "2024-05-02T09:14:07Z", "2024-05-02T09:14:07.123456+05:30", "2024-05-02 09:14:07 -0800",
            "2024-05-02T09:14:07", "bad", "", "2024-02-30T00:00:00Z", " 2024-05-02T09:14:07+0000 "])
    if random.random() < 0.05:
        event["auditType"] = random.choice(["logon-authentication  FAILED", "Unheard Of", " Mimecast  Support_Login ", "ÄUDIT"])
    if random.random() < 0.05:
        event["category"] = random.choice(["POLICY_LOGS", "mystery_logs", "Mimecast_Access_Logs", ""])
    members = list(event.items())
    if random.random() < 0.2:
        random.shuffle(members)
    if random.random() < 0.05 and members:
        members.append(random.choice(members))
    lines.append("{" + ",".join(json.dumps(key, ensure_ascii=random.random() < 0.5) + ":"
                                + json.dumps(value, ensure_ascii=random.random() < 0.5) for key, value in members) + "}")
sys.stdout.write("\n".join(lines) + "\n")
