#!/usr/bin/env bash
# Live mode after faults (issue 12 item 3), for tests/bench/run_all.sh: runs tests/bench/network_compare.sh on
# the clean, stalls, stall2s and cap scenarios (OpenLive and the ffmpeg CLI through the same fault proxy at the
# same time; it rewrites those scenarios' tables and plots in docs/BENCHMARKS.md itself) and prints, on stdout,
# the live 1/3 s player's figures against the targets: no more pictures lost than the pusher dropped, back
# within the 3 s max cache <= 10 s after each fault, settled at <= 1.1 s on the clean link. Progress on stderr.
#
# Usage: tests/bench/live_recovery.sh [BUILD_DIR] [IGNORED]   (the second argument is run_all.sh's seconds: the
#        scenarios have their own lengths, ~2.5 min in all)
set -euo pipefail
SRC="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BUILD="${1:-$SRC/build/default}"
# The summary goes to this script's stdout (fd 3), everything network_compare.sh prints to stderr.
"$SRC/tests/bench/network_compare.sh" "$BUILD" --summary /dev/fd/3 clean stalls stall2s cap 3>&1 >&2
