# Plots of an openlive-soak run. Usage: gnuplot -e "dir='RUN_DIR'" tests/soak/soak_plots.gp
# Reads RUN_DIR/timeline.tsv (written by openlive-soak, one row per second) and RUN_DIR/faults.gp (fault bands),
# writes latency.png, bitrate.png, cache.png, rss.png and resources.png into RUN_DIR.
# Columns: 1 t, 2 latency_max_ms, 3 latency_avg_ms, 4 push_kbps, 5 push_cache_max_ms, 6 play_cache_max_ms,
#          7 rss_mb, 8 fds, 9 threads, 10 stalls, 11 drops, 12 reconnects, 13 self_mb (the runner's own records),
#          14 heap_mb (malloc'd and in use, mallinfo2), 15 rss_anon_mb (RssAnon), 16 rss_file_mb (RssFile),
#          17 heap_footprint_mb (what malloc holds from the system, in use or free)
if (!exists("dir")) dir = "."
data = dir . "/timeline.tsv"
set terminal pngcairo size 1100,380 font ",10" noenhanced
set datafile separator "\t"
set datafile missing "NaN"
set grid
set xlabel "time (s)"
load dir . "/faults.gp"
stats data using 1 nooutput
set xrange [0:STATS_max]
set key outside right top

set output dir . "/latency.png"
set title "Glass-to-glass latency (E2E_LATENCY over players with fresh frames)"
set ylabel "ms"
plot data using 1:2 with lines lw 2 lc rgb "#c03030" title "max", \
     data using 1:3 with lines lw 1 lc rgb "#3060c0" title "mean"

set output dir . "/bitrate.png"
set title "Pushers' encoder bitrate (sum of VIDEO_BITRATE)"
set ylabel "kbps"
plot data using 1:4 with lines lw 2 lc rgb "#2a8a2a" title "push video kbps"

set output dir . "/cache.png"
set title "Caches: pusher send queue (CACHE_SIZE) and player buffer (VIDEO_CACHE), largest of each"
set ylabel "ms"
plot data using 1:5 with lines lw 2 lc rgb "#b07000" title "push queue max", \
     data using 1:6 with lines lw 2 lc rgb "#6030a0" title "player cache max"

set output dir . "/rss.png"
set title "Resident memory of the soak process (all pushers and players)"
set ylabel "MB"
plot data using 1:7 with lines lw 2 lc rgb "#404040" title "RSS", \
     data using 1:($7-$13) with lines lw 2 lc rgb "#2060c0" title "RSS less the runner's own per-second records", \
     data using 1:($15-$13) with lines lw 2 lc rgb "#c03030" title "anonymous RSS (RssAnon) less those records", \
     data using 1:($17-$13) with lines lw 1 lc rgb "#a0a000" title "malloc footprint (arena + mmap) less those records", \
     data using 1:($14-$13) with lines lw 2 lc rgb "#20a040" title "heap in use (mallinfo2) less those records", \
     data using 1:16 with lines lw 1 lc rgb "#808080" title "file-backed RSS (RssFile: library pages)"

set output dir . "/resources.png"
set title "Open descriptors, threads, cumulative stalls and reconnect attempts"
set ylabel "count"
plot data using 1:8 with lines lw 2 title "fds", \
     data using 1:9 with lines lw 2 title "threads", \
     data using 1:10 with steps lw 1 title "stalls", \
     data using 1:12 with steps lw 1 title "reconnects"
