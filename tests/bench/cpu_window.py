#!/usr/bin/env python3
"""CPU of one process over a fixed window of its run (used by tests/bench/player_cpu.sh).

    cpu_window.py WARM SECS OUT [--also PID] [--progress FILE] -- CMD [ARG...]

Starts CMD, reads the user + system time of its process (all threads, /proc/PID/stat) WARM seconds after the
start and again WARM + SECS seconds after it, then sends SIGINT and waits for it. The window leaves out each
player's start-up (connect, probing: the ffmpeg CLI reads ~5 s of a live FLV stream before it decodes), so two
players are compared on the same steady seconds. --also PID samples another process over the same window (the
X server). --progress FILE: CMD's ffmpeg -progress output, to count the frames it decoded in the window.
Writes one line to OUT:

    window_cpu_s total_cpu_s max_rss_kb also_cpu_s exit_status window_frames (-1 without --progress)

total_cpu_s / max_rss_kb are the whole run's (wait4 rusage). Fails (exit 1) when CMD ends before the window
does: a player that died would otherwise look cheap.
"""
import os
import signal
import subprocess
import sys
import threading
import time

TCK = os.sysconf("SC_CLK_TCK")


def ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of the whole line)
    except (OSError, IndexError, ValueError):
        return None


def frames(path):  # the last frame= of an ffmpeg -progress file
    last = None
    try:
        for line in open(path):
            if line.startswith("frame="):
                last = int(line.split("=", 1)[1])
    except (OSError, ValueError):
        pass
    return last


def main(argv):
    if "--" not in argv or len(argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    sep = argv.index("--")
    warm, secs, out = float(argv[1]), float(argv[2]), argv[3]
    also = int(argv[argv.index("--also") + 1]) if "--also" in argv[:sep] else None
    progress = argv[argv.index("--progress") + 1] if "--progress" in argv[:sep] else None
    cmd = argv[sep + 1:]
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=open(out + ".stdout", "w"),
                            stderr=open(out + ".stderr", "w"))
    time.sleep(max(0.0, t0 + warm - time.monotonic()))  # the window is timed by definition, not a sync
    a, xa, fa = ticks(proc.pid), ticks(also) if also else 0, frames(progress) if progress else None
    time.sleep(max(0.0, t0 + warm + secs - time.monotonic()))
    b, xb, fb = ticks(proc.pid), ticks(also) if also else 0, frames(progress) if progress else None
    alive = proc.poll() is None
    killer = threading.Timer(10.0, proc.kill)  # a player that ignores SIGINT is not waited for forever
    if alive:
        proc.send_signal(signal.SIGINT)
        killer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
    except ChildProcessError:
        status, usage = 0, None
    killer.cancel()
    if not alive or a is None or b is None:
        print(f"cpu_window.py: {cmd[0]} ended before the window did (status {status})", file=sys.stderr)
        return 1
    total = usage.ru_utime + usage.ru_stime if usage else 0.0
    code = os.waitstatus_to_exitcode(status)
    with open(out, "w") as f:
        f.write(f"{(b - a) / TCK:.2f} {total:.2f} {usage.ru_maxrss if usage else 0} "
                f"{((xb or 0) - (xa or 0)) / TCK:.2f} {code} {fb - (fa or 0) if fb is not None else -1}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
