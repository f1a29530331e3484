#!/usr/bin/env python3
"""Folded stacks and a flame graph from `perf script` output, with no other tools.

Debian 12 does not package Brendan Gregg's FlameGraph scripts; this does the two steps they do:

  perf script -i perf.data | scripts/flamegraph.py fold > stacks.folded
  scripts/flamegraph.py svg --title "Ask" < stacks.folded > flame.svg
  scripts/flamegraph.py top --match patientqa:: < stacks.folded   # inclusive cost per function

A folded stack is one line per distinct call stack, root first, frames joined by ';', then a
space and the number of samples ("main;Ask;Search;get_mset 42"): the format of FlameGraph's
stackcollapse-perf.pl, which flamegraph.pl, speedscope and inferno also read.
"""
import argparse
import collections
import html
import re
import sys


def simplify(symbol):
    """Drops argument lists, template arguments and ABI tags, so frames stay readable."""
    symbol = re.sub(r"\[abi:[^\]]*\]", "", symbol)
    out, depth = [], 0
    for ch in symbol:
        if ch in "<(":
            if depth == 0:
                out.append("<>" if ch == "<" else "")
            depth += 1
        elif ch in ">)" and depth > 0:
            depth -= 1
        elif depth == 0:
            out.append(ch)
    text = "".join(out).strip()
    # "operator<" and friends lose their '<' above; perf's own names are good enough there.
    return text or symbol


def fold(lines):
    """perf script text -> Counter of 'root;...;leaf' stacks."""
    stacks = collections.Counter()
    comm, frames = None, []

    def flush():
        if comm is not None:
            stacks[";".join([comm] + [simplify(f) for f in reversed(frames)])] += 1

    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            flush()
            comm, frames = None, []
        elif not line[0].isspace():
            comm = line.split()[0]  # "patientqa-bench  4242 123.456: 2004008 cycles:"
        else:
            # "\t    7f12 Xapian::Enquire::get_mset(...) (/usr/lib/.../libxapian.so)"
            parts = line.strip().split(" ", 1)
            if len(parts) < 2:
                continue
            sym = parts[1].rsplit(" (", 1)[0]
            sym = re.sub(r"\+0x[0-9a-f]+$", "", sym)
            if sym == "[unknown]":
                dso = parts[1].rsplit(" (", 1)[-1].rstrip(")")
                sym = "[" + dso.rsplit("/", 1)[-1] + "]"
            frames.append(sym)
    flush()
    return stacks


def read_folded(lines):
    stacks = collections.Counter()
    for line in lines:
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if stack:
            stacks[stack] += int(count)
    return stacks


def top(stacks, match, limit):
    """Inclusive (anywhere on the stack) and self (leaf) samples per frame."""
    total = sum(stacks.values())
    inclusive, leaf = collections.Counter(), collections.Counter()
    for stack, n in stacks.items():
        frames = stack.split(";")
        for f in set(frames):
            inclusive[f] += n
        leaf[frames[-1]] += n
    print(f"{total} samples; inclusive% self% frame")
    for f, n in inclusive.most_common():
        if match and match not in f:
            continue
        print(f"{100.0 * n / total:6.2f} {100.0 * leaf[f] / total:6.2f}  {f}")
        limit -= 1
        if limit == 0:
            break


def svg(stacks, title, width=1200, row=16, min_width=0.1):
    """A static flame graph: root at the bottom, each frame as wide as its samples."""
    root = {"children": {}, "n": 0}
    for stack, n in stacks.items():
        node = root
        node["n"] += n
        for f in stack.split(";"):
            node = node["children"].setdefault(f, {"children": {}, "n": 0})
            node["n"] += n
    total = max(root["n"], 1)
    depth_max = [0]
    rects = []

    def walk(node, x, depth):
        depth_max[0] = max(depth_max[0], depth)
        for name, child in sorted(node["children"].items()):
            w = child["n"] * (width - 20) / total
            if w >= min_width:
                rects.append((name, x, depth, w, child["n"]))
                walk(child, x, depth + 1)
            x += w

    walk(root, 10.0, 0)
    height = (depth_max[0] + 2) * row + 40
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'font-family="monospace" font-size="11">',
        f'<text x="10" y="20" font-size="14">{html.escape(title)} ({total} samples)</text>',
    ]
    for name, x, depth, w, n in rects:
        y = height - (depth + 1) * row - 10
        hue = 10 + (sum(name.encode()) % 40)  # the same colour for a frame every run
        label = html.escape(name)
        chars = int(w / 7)
        shown = label if len(name) <= chars else html.escape(name[: max(chars - 2, 0)]) + ".."
        out.append(
            f'<g><title>{label} ({n} samples, {100.0 * n / total:.2f}%)</title>'
            f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{row - 1}" '
            f'fill="hsl({hue},90%,60%)"/>'
            + (f'<text x="{x + 2:.1f}" y="{y + row - 4}">{shown}</text>' if chars > 2 else "")
            + "</g>"
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    sub.add_parser("fold", help="perf script output (stdin) -> folded stacks (stdout)")
    s = sub.add_parser("svg", help="folded stacks (stdin) -> flame graph SVG (stdout)")
    s.add_argument("--title", default="Flame graph")
    t = sub.add_parser("top", help="folded stacks (stdin) -> inclusive/self share per frame")
    t.add_argument("--match", default="", help="only frames containing this text")
    t.add_argument("--limit", type=int, default=40)
    args = p.parse_args()
    if args.cmd == "fold":
        for stack, n in sorted(fold(sys.stdin).items()):
            print(f"{stack} {n}")
    elif args.cmd == "svg":
        sys.stdout.write(svg(read_folded(sys.stdin), args.title))
    else:
        top(read_folded(sys.stdin), args.match, args.limit)


if __name__ == "__main__":
    main()
