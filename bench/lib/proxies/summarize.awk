# Reads bench/proxies' hits.tsv and burst.tsv (in that order, each with its
# header line) and writes, per system, the medians over rounds (peak RSS and
# the largest origin requests for one object: the largest over rounds):
#   the two markdown tables, on stdout;
#   the chart's data, to the file named by -v plotfile=...

function median(table, key, col,    n, i, v) {
  n = count[table, key]
  for (i = 1; i <= n; i++) v[i] = value[table, key, col, i] + 0
  return median_of(v, n)
}

function maximum(table, key, col,    i, m) {
  m = value[table, key, col, 1] + 0
  for (i = 2; i <= count[table, key]; i++)
    if (value[table, key, col, i] + 0 > m) m = value[table, key, col, i] + 0
  return m
}

function have(table, key) { return count[table, key] > 0 }
function per_cpu_s(key,    c) { c = median("hits", key, "cpu_s_per_100k"); return c > 0 ? 100000 / c : 0 }

FNR == 1 {
  table = ++files == 1 ? "hits" : "burst"
  for (i = 1; i <= NF; i++) column[table, $i] = i
  header[table] = $0
  next
}
{
  key = $column[table, "system"]
  n = ++count[table, key]
  split(header[table], names, "\t")
  for (i in names) value[table, key, names[i], n] = $i
}

END {
  split("groupcached nginx varnish", systems, " ")
  label["groupcached"] = "groupcached"; label["nginx"] = "nginx proxy_cache"; label["varnish"] = "Varnish"

  print "One node, every request a hit:"
  print ""
  print "| server | rounds | req/s | p50 ms | p99 ms | CPU-s / 100k req | req / CPU-s | peak RSS MiB | vs groupcached req / CPU-s |"
  print "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  gc = have("hits", "groupcached") ? per_cpu_s("groupcached") : 0
  for (s = 1; s <= 3; s++) {
    key = systems[s]
    if (!have("hits", key)) continue
    printf "| %s | %d | %.0f | %.3f | %.3f | %.3f | %.0f | %.1f | %s |\n", label[key], count["hits", key],
      median("hits", key, "req_per_s"), median("hits", key, "p50_ms"), median("hits", key, "p99_ms"),
      median("hits", key, "cpu_s_per_100k"), per_cpu_s(key), maximum("hits", key, "peak_rss_mib"),
      (gc > 0 && per_cpu_s(key) > 0 ? sprintf("%.2fx", per_cpu_s(key) / gc) : "")
  }
  print ""
  print "A burst of new objects, every one asked of every node at once:"
  print ""
  print "| server | nodes | rounds | requests | origin requests per object | most for one object | objects fetched twice or more | p50 ms | p99 ms | burst s |"
  print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for (s = 1; s <= 3; s++) {
    key = systems[s]
    if (!have("burst", key)) continue
    printf "| %s | %d | %d | %d | %.3f | %d | %.0f | %.3f | %.3f | %.3f |\n", label[key],
      median("burst", key, "nodes"), count["burst", key], median("burst", key, "requests"),
      median("burst", key, "origin_per_object"), maximum("burst", key, "origin_max"),
      median("burst", key, "objects_fetched_twice_or_more"), median("burst", key, "p50_ms"),
      median("burst", key, "p99_ms"), median("burst", key, "seconds")
  }

  # Chart data: one line per system: hit req/s, hit req per CPU-s, hit p99,
  # burst origin requests per object (median, most), burst p99; "-" where
  # the system has no run.
  if (plotfile != "") {
    print "# system\thit_rps\thit_per_cpu_s\thit_p99\torigin_mean\torigin_max\tburst_p99" > plotfile
    for (s = 1; s <= 3; s++) {
      key = systems[s]
      if (!have("hits", key) && !have("burst", key)) continue
      line = label[key]
      if (have("hits", key))
        line = line "\t" median("hits", key, "req_per_s") "\t" per_cpu_s(key) "\t" median("hits", key, "p99_ms")
      else line = line "\t-\t-\t-"
      if (have("burst", key))
        line = line "\t" median("burst", key, "origin_per_object") "\t" maximum("burst", key, "origin_max") \
          "\t" median("burst", key, "p99_ms")
      else line = line "\t-\t-\t-"
      print line > plotfile
    }
  }
}
