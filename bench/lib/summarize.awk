# Reads bench/compare's rounds.tsv and writes, for each scenario, value size
# and implementation, the medians over rounds (peak RSS: the largest). Two
# outputs:
#   the markdown table, on stdout;
#   the chart's data, to the file named by -v plotfile=...
# Columns of rounds.tsv (header line first):
#   scenario value_bytes impl round requests seconds req_per_s p50_ms p99_ms
#   cpu_s cpu_s_per_100k req_per_cpu_s peak_rss_mib non2xx socket_errors
# Files from before value sizes (no value_bytes column) read as 100 bytes.

function median(key, col,    n, i, v) {
  n = count[key]
  for (i = 1; i <= n; i++) v[i] = value[key, col, i] + 0
  return median_of(v, n)
}

function maximum(key, col,    i, m) {
  m = value[key, col, 1] + 0
  for (i = 2; i <= count[key]; i++) if (value[key, col, i] + 0 > m) m = value[key, col, i] + 0
  return m
}

function have(key) { return count[key] > 0 }
function ratio(a, b) { return b > 0 ? sprintf("%.2fx", a / b) : "" }
function fmt_int(x) { return sprintf("%.0f", x) }
# Requests per CPU-second from the median CPU-s per 100k requests.
function per_cpu_s(key,    c) { c = median(key, "cpu_s_per_100k"); return c > 0 ? 100000 / c : 0 }

# 100 -> "100 B", 65536 -> "64 KiB", 1048576 -> "1 MiB".
function size_name(b) {
  if (b >= 1048576 && b % 1048576 == 0) return (b / 1048576) " MiB"
  if (b >= 1024 && b % 1024 == 0) return (b / 1024) " KiB"
  return b " B"
}

FNR == 1 { for (i = 1; i <= NF; i++) column[$i] = i; next }
{
  bytes = ("value_bytes" in column) ? $column["value_bytes"] + 0 : 100
  if (!(bytes in seen_size)) { seen_size[bytes] = 1; sizes[++nsizes] = bytes }
  key = $column["scenario"] SUBSEP bytes SUBSEP $column["impl"]
  n = ++count[key]
  for (name in column) value[key, name, n] = $column[name]
}

END {
  for (i = 2; i <= nsizes; i++) {  # ascending sizes
    t = sizes[i]
    for (j = i - 1; j >= 1 && sizes[j] > t; j--) sizes[j + 1] = sizes[j]
    sizes[j + 1] = t
  }
  split("local-hits peer-path loads ceiling", scenarios, " ")
  split("cpp go nginx", impls, " ")
  label["cpp"] = "C++"; label["go"] = "Go"; label["nginx"] = "nginx"
  title["local-hits"] = "local hits"; title["peer-path"] = "peer path"
  title["loads"] = "loads"; title["ceiling"] = "ceiling"

  print "| scenario | value | server | rounds | req/s | p50 ms | p99 ms | CPU-s / 100k req | req / CPU-s | peak RSS MiB | C++/Go req/s | C++/Go req per CPU-s | % of nginx req/s |"
  print "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for (s = 1; s <= 4; s++) {
    sc = scenarios[s]
    for (z = 1; z <= nsizes; z++) {
      b = sizes[z]
      cpp = sc SUBSEP b SUBSEP "cpp"; go = sc SUBSEP b SUBSEP "go"
      nginx = "ceiling" SUBSEP b SUBSEP "nginx"
      nginx_rps = have(nginx) ? median(nginx, "req_per_s") : 0
      for (m = 1; m <= 3; m++) {
        key = sc SUBSEP b SUBSEP impls[m]
        if (!have(key)) continue
        rps = median(key, "req_per_s")
        rps_ratio = cpu_ratio = pct = ""
        if (impls[m] == "cpp" && have(go)) {
          rps_ratio = ratio(rps, median(go, "req_per_s"))
          cpu_ratio = ratio(per_cpu_s(key), per_cpu_s(go))
        }
        if (sc == "local-hits" && nginx_rps > 0) pct = sprintf("%.0f%%", 100 * rps / nginx_rps)
        printf "| %s | %s | %s | %d | %s | %.3f | %.3f | %.3f | %s | %.1f | %s | %s | %s |\n",
          title[sc], size_name(b), label[impls[m]], count[key], fmt_int(rps), median(key, "p50_ms"),
          median(key, "p99_ms"), median(key, "cpu_s_per_100k"), fmt_int(per_cpu_s(key)),
          maximum(key, "peak_rss_mib"), rps_ratio, cpu_ratio, pct
      }
    }
  }

  # Chart data: one line per scenario and size, the nginx ceiling on the
  # local-hits line of its size; for each of req/s, p99 and req per CPU-s the
  # C++, Go and nginx columns ("-" where a server has no run), then the C++/Go
  # ratios of req/s and of req per CPU-s.
  if (plotfile != "") {
    print "# row\tcpp_rps\tgo_rps\tnginx_rps\tcpp_p99\tgo_p99\tnginx_p99\tcpp_per_cpu_s\tgo_per_cpu_s\tnginx_per_cpu_s\trps_ratio\tcpu_ratio" > plotfile
    for (s = 1; s <= 3; s++) {
      sc = scenarios[s]
      for (z = 1; z <= nsizes; z++) {
        b = sizes[z]
        line = (sc == "local-hits" ? "hits" : sc == "peer-path" ? "peer" : sc) " " size_name(b)
        any = 0
        for (k = 1; k <= 3; k++)
          for (m = 1; m <= 3; m++) {
            key = (impls[m] == "nginx" ? (sc == "local-hits" ? "ceiling" : "-") : sc) SUBSEP b SUBSEP impls[m]
            if (!have(key)) { line = line "\t-"; continue }
            any = 1
            v = k == 1 ? median(key, "req_per_s") : k == 2 ? median(key, "p99_ms") : per_cpu_s(key)
            line = line "\t" v
          }
        cpp = sc SUBSEP b SUBSEP "cpp"; go = sc SUBSEP b SUBSEP "go"
        if (have(cpp) && have(go) && median(go, "req_per_s") > 0 && per_cpu_s(go) > 0)
          line = line "\t" median(cpp, "req_per_s") / median(go, "req_per_s") "\t" per_cpu_s(cpp) / per_cpu_s(go)
        else line = line "\t-\t-"
        if (any) print line > plotfile
      }
    }
  }
}
