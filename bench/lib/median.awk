# The median of v[1..n] (sorted in place), for bench/lib/summarize.awk and
# bench/lib/proxies/summarize.awk, which awk loads with this file first
# (awk -f median.awk -f summarize.awk).
function median_of(v, n,    i, j, t) {
  for (i = 2; i <= n; i++) {  # insertion sort: a handful of rounds
    t = v[i]
    for (j = i - 1; j >= 1 && v[j] > t; j--) v[j + 1] = v[j]
    v[j + 1] = t
  }
  if (n % 2) return v[(n + 1) / 2]
  return (v[n / 2] + v[n / 2 + 1]) / 2
}
