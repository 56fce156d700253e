# The chart of bench/compare: C++ vs Go (and nginx, the ceiling, beside the
# local hits of each size) per scenario and value size, four panels:
# requests/s, p99 latency, requests per server CPU-second (all three on a log
# scale: 1 MiB values are two orders of magnitude slower than 100 bytes), and
# the C++/Go ratios. Medians over rounds, from summarize.awk's chart data.
#
#   gnuplot -e "datafile='chart.tsv'; outfile='chart.png'; subtitle='...'" plot.gp

if (!exists("datafile")) datafile = "chart.tsv"
if (!exists("outfile")) outfile = "chart.png"
if (!exists("subtitle")) subtitle = ""

if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
  set terminal pngcairo size 1600,1000 font "sans,10" noenhanced
} else {
  set terminal png size 1600,1000 noenhanced
}
set output outfile

set datafile separator "\t"
set datafile missing "-"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.95
set grid ytics
set key top right horizontal samplen 2
set xtics nomirror rotate by -30
set ytics nomirror

cpp = "#1f5fa8"
go = "#2aa37a"
nginx = "#9a9a9a"
# Bar centres in a cluster of three with gap 1: -0.25, 0, +0.25; of two: -1/6, +1/6.
bar(i) = $0 + (i - 1) * 0.25
bar2(i) = $0 + (i - 0.5) / 3

set multiplot layout 2,2 title "groupcache, C++ vs Go, nginx as the ceiling, per value size: ".subtitle

# Log scales: the bars start at the bottom of the panel, so the panel reaches
# a decade below the smallest value.
set logscale y
set yrange [*:*]
set offsets 0, 0, graph 0.15, 0
set format y "%.0s%c"

set title "requests/s (higher is better)"
plot datafile using 2:xtic(1) title "C++" lc rgb cpp, \
     '' using 3 title "Go" lc rgb go, \
     '' using 4 title "nginx" lc rgb nginx, \
     '' using (bar(0)):2:(sprintf("%.0f", $2)) with labels offset 0,0.7 font ",7" notitle, \
     '' using (bar(1)):3:(sprintf("%.0f", $3)) with labels offset 0,0.7 font ",7" notitle, \
     '' using (bar(2)):4:(sprintf("%.0f", $4)) with labels offset 0,0.7 font ",7" notitle

set format y "%g"
set title "p99 latency, ms (lower is better)"
plot datafile using 5:xtic(1) title "C++" lc rgb cpp, \
     '' using 6 title "Go" lc rgb go, \
     '' using 7 title "nginx" lc rgb nginx, \
     '' using (bar(0)):5:(sprintf("%.2f", $5)) with labels offset 0,0.7 font ",7" notitle, \
     '' using (bar(1)):6:(sprintf("%.2f", $6)) with labels offset 0,0.7 font ",7" notitle, \
     '' using (bar(2)):7:(sprintf("%.2f", $7)) with labels offset 0,0.7 font ",7" notitle

set format y "%.0s%c"
set title "requests per server CPU-second (higher is better)"
plot datafile using 8:xtic(1) title "C++" lc rgb cpp, \
     '' using 9 title "Go" lc rgb go, \
     '' using 10 title "nginx" lc rgb nginx, \
     '' using (bar(0)):8:(sprintf("%.0f", $8)) with labels offset 0,0.7 font ",7" notitle, \
     '' using (bar(1)):9:(sprintf("%.0f", $9)) with labels offset 0,0.7 font ",7" notitle, \
     '' using (bar(2)):10:(sprintf("%.0f", $10)) with labels offset 0,0.7 font ",7" notitle

unset logscale y
set format y "%g"
set yrange [0:*]
set offsets 0, 0, graph 0.2, 0
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dashtype 2 lw 1.5 lc rgb "black" front
set title "C++ / Go (above 1: C++ ahead)"
plot datafile using 11:xtic(1) title "req/s" lc rgb cpp, \
     '' using 12 title "req per CPU-s" lc rgb "#7fa7d6", \
     '' using (bar2(0)):11:(sprintf("%.2fx", $11)) with labels offset 0,0.7 font ",7" notitle, \
     '' using (bar2(1)):12:(sprintf("%.2fx", $12)) with labels offset 0,0.7 font ",7" notitle

unset multiplot
