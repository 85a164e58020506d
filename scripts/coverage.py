#!/usr/bin/env python3
"""Line coverage of the portable core (core/) from a run of the coverage preset's tests:
runs gcov over every object of core/ in BUILD (default build/coverage) and prints a
Markdown table per folder of core/, the total, and the files least covered. The PE build
(dll/, service/) is not measured: see docs/testing.md. Usage: coverage.py [BUILD]"""
import collections
import os
import re
import subprocess
import sys


def main():
    build = sys.argv[1] if len(sys.argv) > 1 else "build/coverage"
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    core = os.path.join(root, "core") + os.sep
    notes = []
    for d, _, files in os.walk(os.path.join(build, "core")):
        notes += [os.path.abspath(os.path.join(d, f)) for f in files if f.endswith(".gcno")]
    if not notes:
        print("coverage.py: no gcov notes under %s/core (build the coverage preset)" % build)
        return 1
    # Each source file's lines: gcov counts a header once per object including it, so
    # keep the best figure seen for a header, the only one for a .c file.
    lines = {}
    out = subprocess.run(["gcov", "-n"] + sorted(notes), capture_output=True, text=True,
                         cwd=build).stdout
    for m in re.finditer(r"File '([^']+)'\nLines executed:([\d.]+)% of (\d+)", out):
        path, pct, total = m.group(1), float(m.group(2)), int(m.group(3))
        path = os.path.normpath(os.path.join(build, path)) if not os.path.isabs(path) else path
        if not path.startswith(core) or total == 0:
            continue
        hit = round(pct * total / 100)
        if path not in lines or hit > lines[path][0]:
            lines[path] = (hit, total)
    by_dir = collections.defaultdict(lambda: [0, 0])
    for path, (hit, total) in lines.items():
        parts = os.path.relpath(path, root).split(os.sep)
        folder = parts[1] if len(parts) > 2 else "(top)"
        by_dir[folder][0] += hit
        by_dir[folder][1] += total
    print("| core/ folder | lines | covered |")
    print("|---|---|---|")
    all_hit = all_total = 0
    for folder in sorted(by_dir):
        hit, total = by_dir[folder]
        all_hit += hit
        all_total += total
        print("| %s | %d | %.1f%% |" % (folder, total, 100.0 * hit / total))
    print("| **all of core/** | %d | **%.1f%%** |" % (all_total, 100.0 * all_hit / all_total))
    print()
    print("Least covered files (lines not run):")
    worst = sorted(lines.items(), key=lambda kv: kv[1][1] - kv[1][0], reverse=True)[:8]
    for path, (hit, total) in worst:
        print("  %-40s %4d of %4d not run" % (os.path.relpath(path, root), total - hit, total))
    return 0


if __name__ == "__main__":
    sys.exit(main())
