#!/usr/bin/env python3
"""Validates detection-rule files against Elastic's published rule API schemas (draft-04).

Usage: validate-kibana-rules.py [rule.json ...]   (default: every file in kibana/rules/)
Exit 0 when every file validates, 1 otherwise (one line per problem on stderr).
The schemas are vendored in Tests/KibanaSchemas/ (see its README for the new_terms translation).
"""
import copy
import json
import pathlib
import re
import sys

try:
    import jsonschema
except ImportError:
    sys.stderr.write("validate-kibana-rules: Python's jsonschema is missing; run `pip install jsonschema`\n")
    sys.exit(2)

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCHEMAS = ROOT / "Tests" / "KibanaSchemas"
VERSION = "9.4"
HISTORY_WINDOW = re.compile(r"^now-[1-9][0-9]*[smhd]$")


def schema_form(rule):
    """The rule as the schema describes it (new_terms moved into its nested object)."""
    rule = copy.deepcopy(rule)
    problems = []
    if rule.get("type") == "new_terms":
        fields = rule.pop("new_terms_fields", None)
        window = rule.pop("history_window_start", None)
        if not isinstance(window, str) or not HISTORY_WINDOW.match(window):
            problems.append("history_window_start %r is not of the form now-<n><s|m|h|d>" % (window,))
        rule["new_terms"] = {
            "field": "new_terms_fields",
            "value": fields,
            "history_window_start": [{"field": "history_window_start"}],
        }
    return rule, problems


def validate(path):
    try:
        rule = json.loads(pathlib.Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        return ["cannot read: %s" % error]
    if not isinstance(rule, dict):
        return ["not a JSON object"]
    schema_file = SCHEMAS / ("%s.%s.json" % (VERSION, rule.get("type")))
    if not schema_file.is_file():
        return ["type %r has no vendored schema (%s)" % (rule.get("type"), schema_file.name)]
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    candidate, problems = schema_form(rule)
    validator = jsonschema.Draft4Validator(schema)
    for error in sorted(validator.iter_errors(candidate), key=lambda e: list(e.path)):
        location = "/".join(str(part) for part in error.path) or "(root)"
        problems.append("%s: %s" % (location, error.message))
    return problems


def main(arguments):
    paths = arguments or sorted(str(p) for p in (ROOT / "kibana" / "rules").glob("*.json"))
    if not paths:
        sys.stderr.write("validate-kibana-rules: no rule files found\n")
        return 1
    failed = 0
    for path in paths:
        problems = validate(path)
        if problems:
            failed += 1
            for problem in problems:
                sys.stderr.write("%s: %s\n" % (path, problem))
    print("%d rule file(s) checked against the %s schemas, %d invalid" % (len(paths), VERSION, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
