# The chart of bench/compare: C++ vs Go (and nginx, the ceiling) per
# scenario, three panels: requests/s, p99 latency, server CPU per 100k
# requests. Medians over rounds, from summarize.awk's chart data.
#
#   gnuplot -e "datafile='chart.tsv'; outfile='chart.png'; subtitle='...'; ceiling=NGINX_REQ_PER_S" plot.gp

if (!exists("datafile")) datafile = "chart.tsv"
if (!exists("outfile")) outfile = "chart.png"
if (!exists("subtitle")) subtitle = ""
if (!exists("ceiling")) ceiling = 0

if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
  set terminal pngcairo size 1500,560 font "sans,10" noenhanced
} else {
  set terminal png size 1500,560 noenhanced
}
set output outfile

set datafile separator "\t"
set datafile missing "-"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.95
set grid ytics
set key top center horizontal samplen 2
set yrange [0:*]
set offsets 0, 0, graph 0.2, 0
set xtics nomirror
set ytics nomirror

cpp = "#1f5fa8"
go = "#2aa37a"
nginx = "#9a9a9a"
# Bar centres in a cluster of three with gap 1: -0.25, 0, +0.25.
bar(i) = $0 + (i - 1) * 0.25

set multiplot layout 1,3 title "groupcache, C++ vs Go: ".subtitle

# nginx's req/s (passed in as ceiling) also as a dashed line across the panel.
if (ceiling > 0) {
  set arrow 1 from graph 0, first ceiling to graph 1, first ceiling nohead dashtype 2 lw 1.5 lc rgb nginx front
}
# The line's key entry (an empty title adds none).
ceiling_title = ceiling > 0 ? sprintf("nginx ceiling (%.0f)", ceiling) : ""
set title "requests/s (higher is better)"
plot datafile using 2:xtic(1) title "C++" lc rgb cpp, \
     '' using 3 title "Go" lc rgb go, \
     '' using 4 title "nginx" lc rgb nginx, \
     '' using (bar(0)):2:(sprintf("%.0f", $2)) with labels offset 0,0.7 font ",7" notitle, \
     '' using (bar(1)):3:(sprintf("%.0f", $3)) with labels offset 0,0.7 font ",7" notitle, \
     '' using (bar(2)):4:(sprintf("%.0f", $4)) with labels offset 0,0.7 font ",7" notitle, \
     NaN with lines dashtype 2 lw 1.5 lc rgb nginx title ceiling_title

unset arrow 1
set title "p99 latency, ms (lower is better)"
plot datafile using 5:xtic(1) title "C++" lc rgb cpp, \
     '' using 6 title "Go" lc rgb go, \
     '' using 7 title "nginx" lc rgb nginx, \
     '' using (bar(0)):5:(sprintf("%.2f", $5)) with labels offset 0,0.7 font ",7" notitle, \
     '' using (bar(1)):6:(sprintf("%.2f", $6)) with labels offset 0,0.7 font ",7" notitle, \
     '' using (bar(2)):7:(sprintf("%.2f", $7)) with labels offset 0,0.7 font ",7" notitle

set title "server CPU-seconds per 100k requests (lower is better)"
plot datafile using 8:xtic(1) title "C++" lc rgb cpp, \
     '' using 9 title "Go" lc rgb go, \
     '' using 10 title "nginx" lc rgb nginx, \
     '' using (bar(0)):8:(sprintf("%.2f", $8)) with labels offset 0,0.7 font ",7" notitle, \
     '' using (bar(1)):9:(sprintf("%.2f", $9)) with labels offset 0,0.7 font ",7" notitle, \
     '' using (bar(2)):10:(sprintf("%.2f", $10)) with labels offset 0,0.7 font ",7" notitle

unset multiplot
