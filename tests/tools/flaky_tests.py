#!/usr/bin/env python3
"""Lists the tests of a ctest log that failed once and passed when run again (--repeat until-pass:2).

scripts/test runs ctest with one retry so that a real-time test losing once to a loaded machine does not fail
the run; this script makes every such retry visible in the tier's output.
"""
import re
import sys


def main(path: str) -> int:
    failed, passed = set(), set()
    line_re = re.compile(r"Test\s+#\d+:\s+(\S+).*?(Passed|\*\*\*Failed|\*\*\*Timeout|\*\*\*Exception)")
    with open(path, errors="replace") as f:
        for line in f:
            m = line_re.search(line)
            if not m:
                continue
            name, result = m.group(1), m.group(2)
            (passed if result == "Passed" else failed).add(name)
    flaky = sorted(failed & passed)
    if flaky:
        print(f"FLAKY: {len(flaky)} test(s) failed once and passed on the retry:")
        for name in flaky:
            print(f"  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
