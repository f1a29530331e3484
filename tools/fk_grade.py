#!/usr/bin/env python3
"""Flesch-Kincaid grade of corpus article bodies, with the same counting rules as `patientqa-index lint`.

Usage: tools/fk_grade.py corpus/articles/*.md
Headings (lines starting with '#') and the front matter are not counted.
"""
import re
import sys


def syllables(word):
    w = word.lower()
    groups = re.findall(r"[aeiouy]+", w)
    n = len(groups)
    if w.endswith("e") and not w.endswith("le") and n > 1:
        n -= 1
    return max(1, n)


def grade(text):
    sentences = [s for s in re.split(r"[.!?]+(?:\s|$)", text) if re.search(r"[A-Za-z]", s)]
    words = re.findall(r"[A-Za-z][A-Za-z'-]*", text)
    if not words or not sentences:
        return 0.0, 0
    syl = sum(syllables(w) for w in words)
    return 0.39 * len(words) / len(sentences) + 11.8 * syl / len(words) - 15.59, len(words)


def body(path):
    lines = open(path, encoding="utf-8").read().split("\n")
    if lines and lines[0] == "---":
        end = lines.index("---", 1)
        lines = lines[end + 1 :]
    return "\n".join(l for l in lines if not l.startswith("#"))


for p in sys.argv[1:]:
    g, n = grade(body(p))
    print(f"{p}: grade {g:.1f}, {n} words")
