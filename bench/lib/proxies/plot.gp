# The chart of bench/proxies: groupcached, nginx proxy_cache and Varnish in
# front of the same origin. Four panels: one node's hit requests/s and
# requests per CPU-second, and for the burst over `nodes` nodes the origin
# requests per object (median over rounds, and the most for one object) and
# the p99 latency. From summarize.awk's chart data.
#
#   gnuplot -e "datafile='chart.tsv'; outfile='chart.png'; subtitle='...'; nodes=3" plot.gp

if (!exists("datafile")) datafile = "chart.tsv"
if (!exists("outfile")) outfile = "chart.png"
if (!exists("subtitle")) subtitle = ""
if (!exists("nodes")) nodes = 3

if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
  set terminal pngcairo size 1300,900 font "sans,10" noenhanced
} else {
  set terminal png size 1300,900 noenhanced
}
set output outfile

set datafile separator "\t"
set datafile missing "-"
set style fill solid 0.85 border -1
set boxwidth 0.6
set grid ytics
set key top right samplen 2
set yrange [0:*]
set offsets 0.5, 0.5, graph 0.15, 0
set xtics nomirror
set ytics nomirror

# groupcached's bar in blue, the others grey.
colour(row) = row == 0 ? 0x1f5fa8 : 0x9a9a9a

set multiplot layout 2,2 title "groupcached vs nginx proxy_cache vs Varnish: ".subtitle

set title "one node: hit requests/s (higher is better)"
plot datafile using 0:2:(colour($0)):xtic(1) with boxes lc rgb variable notitle, \
     '' using 0:2:(sprintf("%.0f", $2)) with labels offset 0,0.7 notitle

set title "one node: hit requests per CPU-second (higher is better)"
plot datafile using 0:3:(colour($0)):xtic(1) with boxes lc rgb variable notitle, \
     '' using 0:3:(sprintf("%.0f", $3)) with labels offset 0,0.7 notitle

set title sprintf("burst, %d nodes: origin requests per object (lower is better)", nodes)
set boxwidth 0.35
set arrow 1 from graph 0, first 1 to graph 1, first 1 nohead dashtype 2 lw 1.2 lc rgb "black" back
set yrange [0:nodes + 1]
set offsets 0.5, 0.5, 0, 0
plot datafile using ($0 - 0.18):5:(colour($0)):xtic(1) with boxes lc rgb variable title "median over rounds", \
     '' using ($0 + 0.18):6 with boxes fill pattern 4 lc rgb "black" title "most for one object", \
     '' using ($0 - 0.18):5:(sprintf("%.2f", $5)) with labels offset 0,0.7 notitle, \
     '' using ($0 + 0.18):6:(sprintf("%.0f", $6)) with labels offset 0,0.7 notitle
unset arrow 1

set title sprintf("burst, %d nodes: p99 latency, ms (lower is better)", nodes)
set boxwidth 0.6
set yrange [0:*]
set offsets 0.5, 0.5, graph 0.15, 0
plot datafile using 0:7:(colour($0)):xtic(1) with boxes lc rgb variable notitle, \
     '' using 0:7:(sprintf("%.2f", $7)) with labels offset 0,0.7 notitle

unset multiplot
