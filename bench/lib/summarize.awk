# Reads bench/compare's rounds.tsv and writes, for each scenario and
# implementation, the medians over rounds (peak RSS: the largest). Two outputs:
#   the markdown table, on stdout;
#   the chart's data, to the file named by -v plotfile=...
# Columns of rounds.tsv (header line first):
#   scenario impl round requests seconds req_per_s p50_ms p99_ms cpu_s
#   cpu_s_per_100k req_per_cpu_s peak_rss_mib non2xx socket_errors

function median(key, col,    n, i, j, v, t) {
  n = count[key]
  for (i = 1; i <= n; i++) v[i] = value[key, col, i] + 0
  for (i = 2; i <= n; i++) {  # insertion sort: a handful of rounds
    t = v[i]
    for (j = i - 1; j >= 1 && v[j] > t; j--) v[j + 1] = v[j]
    v[j + 1] = t
  }
  if (n % 2) return v[(n + 1) / 2]
  return (v[n / 2] + v[n / 2 + 1]) / 2
}

function maximum(key, col,    i, m) {
  m = value[key, col, 1] + 0
  for (i = 2; i <= count[key]; i++) if (value[key, col, i] + 0 > m) m = value[key, col, i] + 0
  return m
}

function have(key) { return count[key] > 0 }
function ratio(a, b) { return b > 0 ? sprintf("%.2fx", a / b) : "" }
function fmt_int(x) { return sprintf("%.0f", x) }

FNR == 1 { for (i = 1; i <= NF; i++) column[$i] = i; next }
{
  key = $column["scenario"] SUBSEP $column["impl"]
  n = ++count[key]
  for (name in column) value[key, name, n] = $column[name]
}

END {
  split("local-hits peer-path loads ceiling", scenarios, " ")
  split("cpp go nginx", impls, " ")
  label["cpp"] = "C++"; label["go"] = "Go"; label["nginx"] = "nginx"
  title["local-hits"] = "local hits"; title["peer-path"] = "peer path"
  title["loads"] = "loads"; title["ceiling"] = "ceiling"

  nginx = "ceiling" SUBSEP "nginx"
  nginx_rps = have(nginx) ? median(nginx, "req_per_s") : 0

  print "| scenario | server | rounds | req/s | p50 ms | p99 ms | CPU-s / 100k req | peak RSS MiB | C++/Go req/s | C++/Go req per CPU-s | % of nginx req/s |"
  print "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for (s = 1; s <= 4; s++) {
    sc = scenarios[s]
    cpp = sc SUBSEP "cpp"; go = sc SUBSEP "go"
    for (m = 1; m <= 3; m++) {
      key = sc SUBSEP impls[m]
      if (!have(key)) continue
      rps = median(key, "req_per_s")
      cpu = median(key, "cpu_s_per_100k")
      rps_ratio = cpu_ratio = pct = ""
      if (impls[m] == "cpp" && have(go)) {
        rps_ratio = ratio(rps, median(go, "req_per_s"))
        cpu_ratio = ratio(median(go, "cpu_s_per_100k"), cpu)
      }
      if (sc == "local-hits" && nginx_rps > 0) pct = sprintf("%.0f%%", 100 * rps / nginx_rps)
      printf "| %s | %s | %d | %s | %.3f | %.3f | %.3f | %.1f | %s | %s | %s |\n",
        title[sc], label[impls[m]], count[key], fmt_int(rps), median(key, "p50_ms"),
        median(key, "p99_ms"), cpu, maximum(key, "peak_rss_mib"), rps_ratio, cpu_ratio, pct
    }
  }

  # Chart data: one line per scenario; for each of req/s, p99 and CPU, the
  # C++, Go and nginx columns ("-" where a server has no run).
  if (plotfile != "") {
    print "# scenario\tcpp_rps\tgo_rps\tnginx_rps\tcpp_p99\tgo_p99\tnginx_p99\tcpp_cpu\tgo_cpu\tnginx_cpu" > plotfile
    for (s = 1; s <= 4; s++) {
      sc = scenarios[s]
      line = title[sc]
      any = 0
      split("req_per_s p99_ms cpu_s_per_100k", metrics, " ")
      for (k = 1; k <= 3; k++)
        for (m = 1; m <= 3; m++) {
          key = sc SUBSEP impls[m]
          if (have(key)) { line = line "\t" median(key, metrics[k]); any = 1 }
          else line = line "\t-"
        }
      if (any) print line > plotfile
    }
  }
}
