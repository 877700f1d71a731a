#!/usr/bin/env python3
"""Lists the skipped tests of a ctest run with their reasons (ctest itself only says "Skipped").

Usage: skipped_tests.py <junit.xml>   (written by `ctest --output-junit <file>`)
The reason is the GoogleTest skip message (the lines after "...: Skipped"), a "SKIP: ..." line of a shell
test, or a "skipped: ..." line of openlive-soak; else ctest's own note (e.g. SKIP_RETURN_CODE=77).
"""
import re
import sys
import xml.etree.ElementTree as ET


def reason(case):
    out = case.findtext("system-out") or ""
    m = re.search(r": Skipped\n(.*?)\n\[  SKIPPED \]", out, re.S)
    if m and m.group(1).strip():
        return " ".join(m.group(1).split())
    for line in out.splitlines():
        if line.startswith("SKIP: ") or ": skipped: " in line:
            return line.strip()
    skipped = case.find("skipped")
    return skipped.get("message", "") if skipped is not None else ""


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    try:
        root = ET.parse(sys.argv[1]).getroot()
    except (OSError, ET.ParseError) as e:
        sys.exit(f"skipped_tests.py: {e}")
    skipped = [c for c in root.iter("testcase") if c.find("skipped") is not None]
    for case in skipped:
        print(f"  SKIPPED {case.get('name')}: {reason(case)}")
    if skipped:
        print(f"  ({len(skipped)} skipped)")


if __name__ == "__main__":
    main()
