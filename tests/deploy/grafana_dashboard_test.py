#!/usr/bin/env python3
"""Checks deploy/grafana/patientqa-dashboard.json.

The dashboard must parse as JSON, import into Grafana with a DS_PROMETHEUS datasource input,
query only the metrics patientqa exports (with their own label names and label values), show
every one of them somewhere, and (when Debian's promtool is installed) every query must be valid
PromQL.   usage: grafana_dashboard_test.py DASHBOARD.json
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

# The metrics the server exports on the HTTP port's /metrics: name -> {label: allowed values or
# None for free text}. Every instance also has Prometheus's own job and instance labels.
ANY = None
METRICS = {
    "patientqa_requests_total": {"surface": {"grpc", "http"}, "method": ANY, "code": ANY},
    "patientqa_request_duration_seconds": {"surface": {"grpc", "http"}, "method": ANY, "le": ANY},
    "patientqa_answers_total": {"result": {"answered", "refused"}},
    "patientqa_safety_notices_total": {"level": {"urgent", "contact_team", "info"}, "category": ANY},
    "patientqa_answer_cache_lookups_total": {"result": {"hit", "miss"}},
    "patientqa_index_info": {"version": ANY},
    "patientqa_index_passages": {},
    "patientqa_index_articles": {},
    "patientqa_index_reloads_total": {"result": {"ok", "failed"}},
    "patientqa_index_builds_total": {"result": {"ok", "failed"}},
    "patientqa_inflight_calls": {"surface": {"grpc", "http"}},
    "patientqa_rejected_calls_total": {"surface": {"grpc", "http"},
                                       "reason": {"overload", "rate_limited", "unauthenticated"}},
    "patientqa_content_gap_questions": {"outcome": {"refused", "weak"}, "type": ANY, "concept": ANY},
    "process_resident_memory_bytes": {},
    "process_start_time_seconds": {},
}
HISTOGRAMS = {"patientqa_request_duration_seconds"}
TARGET_LABELS = {"job", "instance"}
KEYWORDS = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or",
            "unless", "offset", "le", "inf", "nan"}

failures = []


def fail(msg):
    failures.append(msg)


def series_name(name):
    """The metric family a queried series belongs to, or None."""
    if name in METRICS and name not in HISTOGRAMS:
        return name
    for h in HISTOGRAMS:
        if name in (h + "_bucket", h + "_sum", h + "_count"):
            return h
    return None


def check_expr(where, expr, used):
    # Grafana's variables: $__rate_interval, $__interval, $job, ${DS_PROMETHEUS}...
    text = re.sub(r"\$\{?\w+\}?", "X", expr)
    # label_values(metric{...}, label) in a template variable query.
    lv = re.fullmatch(r"\s*label_values\((.*),\s*(\w+)\s*\)\s*", text)
    if lv:
        text, label = lv.group(1), lv.group(2)
    else:
        label = None
    # Selectors: metric{matchers}; check the matchers against the metric's labels.
    for m in re.finditer(r"([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{([^}]*)\}", text):
        family = series_name(m.group(1))
        if family is None:
            continue
        labels = METRICS[family]
        for lm in re.finditer(r'(\w+)\s*(=~|!~|!=|=)\s*"([^"]*)"', m.group(2)):
            name, op, value = lm.groups()
            if name in TARGET_LABELS:
                continue
            if name not in labels or (name == "le" and not m.group(1).endswith("_bucket")):
                fail(f"{where}: {m.group(1)} has no label '{name}'")
            elif labels[name] is not None and op == "=" and value not in labels[name]:
                fail(f"{where}: {m.group(1)}{{{name}=\"{value}\"}}: {name} is one of {sorted(labels[name])}")
            elif labels[name] is not None and op == "=~":
                for alt in value.split("|"):
                    if alt not in labels[name] and alt != "X" and alt != ".*":
                        fail(f"{where}: {m.group(1)}{{{name}=~\"{value}\"}}: '{alt}' is not one of {sorted(labels[name])}")
    if label is not None:
        m = re.match(r"\s*([a-zA-Z_:][a-zA-Z0-9_:]*)", text)
        family = series_name(m.group(1)) if m else None
        if family and label not in METRICS[family] and label not in TARGET_LABELS:
            fail(f"{where}: label_values: {m.group(1)} has no label '{label}'")
    # Remove what is not a metric name: strings, matchers, grouping label lists, ranges, numbers.
    text = re.sub(r'"[^"]*"', "", text)
    text = re.sub(r"\{[^}]*\}", "", text)
    text = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", text)
    text = re.sub(r"\[[^\]]*\]", "", text)
    names = [n for n in re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*(?!\s*\()", text)
             if n.lower() not in KEYWORDS and n != "X"]
    # What is followed by "(" is a function; the regex's lookahead leaves the name's prefix.
    functions = set(re.findall(r"([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\(", text))
    for n in names:
        if any(f.startswith(n) for f in functions):
            continue
        family = series_name(n)
        if family is None:
            fail(f"{where}: queries '{n}', which patientqa does not export")
        else:
            used.add(family)


def main():
    path = sys.argv[1]
    try:
        with open(path, encoding="utf-8") as f:
            dash = json.load(f)
    except (OSError, json.JSONDecodeError) as e:
        print(f"FAIL: {path}: {e}", file=sys.stderr)
        return 1
    inputs = dash.get("__inputs", [])
    if not any(i.get("name") == "DS_PROMETHEUS" and i.get("pluginId") == "prometheus" for i in inputs):
        fail("no DS_PROMETHEUS datasource input (__inputs) for Grafana's import")
    if not isinstance(dash.get("schemaVersion"), int) or not 36 <= dash["schemaVersion"] <= 39:
        fail(f"schemaVersion should be about 38, got {dash.get('schemaVersion')}")
    for key in ("title", "uid", "panels", "templating"):
        if key not in dash:
            fail(f"no '{key}'")
    if dash.get("id") is not None:
        fail("'id' must be null in a dashboard meant for import")

    used = set()
    exprs = []
    ids = set()
    panels = list(dash.get("panels", []))
    for p in panels:
        panels.extend(p.get("panels", []))  # collapsed rows keep their panels inside
    for p in panels:
        where = f"panel '{p.get('title')}'"
        if p.get("id") in ids:
            fail(f"{where}: id {p.get('id')} is not unique")
        ids.add(p.get("id"))
        gp = p.get("gridPos", {})
        if not all(k in gp for k in ("h", "w", "x", "y")) or gp.get("x", 0) + gp.get("w", 0) > 24:
            fail(f"{where}: bad gridPos {gp}")
        if p.get("type") == "row":
            continue
        targets = p.get("targets", [])
        if not targets:
            fail(f"{where}: no queries")
        for t in [p] + targets:
            ds = t.get("datasource")
            if ds is not None and ds.get("uid") != "${DS_PROMETHEUS}":
                fail(f"{where}: datasource {ds} is not the DS_PROMETHEUS input")
        for t in targets:
            if not t.get("expr", "").strip():
                fail(f"{where}: query {t.get('refId')} is empty")
                continue
            check_expr(f"{where} query {t.get('refId')}", t["expr"], used)
            exprs.append((where, t["expr"]))
    for v in dash.get("templating", {}).get("list", []):
        q = v.get("query")
        q = q.get("query") if isinstance(q, dict) else q
        if v.get("type") == "query":
            if v.get("datasource", {}).get("uid") != "${DS_PROMETHEUS}":
                fail(f"variable {v.get('name')}: datasource is not the DS_PROMETHEUS input")
            check_expr(f"variable {v.get('name')}", q, used)
    for name in sorted(set(METRICS) - used):
        fail(f"no panel shows {name}")

    # Valid PromQL, by Prometheus's own parser (Debian's prometheus package has promtool).
    promtool = shutil.which("promtool")
    if promtool:
        with tempfile.TemporaryDirectory() as tmp:
            rules = os.path.join(tmp, "rules.yml")
            with open(rules, "w", encoding="utf-8") as f:
                f.write("groups:\n- name: dashboard\n  rules:\n")
                for i, (where, expr) in enumerate(exprs):
                    e = (expr.replace("$__rate_interval", "5m").replace("$__interval", "1m")
                         .replace("$__range", "1h"))
                    e = re.sub(r"\$\{?\w+\}?", ".*", e)
                    f.write(f"  - record: dashboard:query{i}\n    expr: {json.dumps(e)}\n")
            r = subprocess.run([promtool, "check", "rules", rules], capture_output=True, text=True)
            if r.returncode != 0:
                fail(f"promtool check rules: {r.stdout}{r.stderr}")
    else:
        print("promtool is not installed (Debian: prometheus): PromQL syntax not checked")

    for f in failures:
        print(f"FAIL: {path}: {f}", file=sys.stderr)
    if failures:
        return 1
    print(f"{path}: {len([p for p in panels if p.get('type') != 'row'])} panels, {len(exprs)} queries; "
          f"every metric known and shown{', PromQL valid (promtool)' if promtool else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
