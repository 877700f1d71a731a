# Shared by the latency benchmarks (sourced; needs $BUILD). start_nginx DIR MAX_SECONDS starts
# openlive-test-server (nginx-rtmp on a free loopback port) with its output on a FIFO, reads it line by line until
# READY=1 (blocking reads, no polling), sources the variables it printed (RTMP_BASE, RTMP_PORT, ...) and keeps
# the FIFO open; stop_nginx ends it.
start_nginx() {
  local dir="$1" max="$2" line
  mkfifo "$dir/server.out"
  "$BUILD/tests/tools/openlive-test-server" --kind nginx --print-env --ignore-stdin --max-seconds "$max" \
    > "$dir/server.out" </dev/null 2>/dev/null &
  BENCH_SERVER_PID=$!
  exec {BENCH_SERVER_FD}<"$dir/server.out"
  : > "$dir/server.env"
  while IFS= read -r -t 30 line <&"$BENCH_SERVER_FD"; do
    echo "$line" >> "$dir/server.env"
    [[ "$line" == READY=1 ]] && break
  done
  # shellcheck disable=SC1091
  source "$dir/server.env"
}

stop_nginx() {
  kill "$BENCH_SERVER_PID" 2>/dev/null
  wait "$BENCH_SERVER_PID" 2>/dev/null
  exec {BENCH_SERVER_FD}<&-
}
