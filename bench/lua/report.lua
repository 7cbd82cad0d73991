-- Shared wrk done() hook: one machine-readable RESULT line (latencies in ms). Adapted from the DRF peer's.
function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_s":%.2f,"rps":%.1f,"p50_ms":%.2f,"p90_ms":%.2f,' ..
    '"p99_ms":%.2f,"max_ms":%.2f,"mean_ms":%.2f,"non2xx3xx":%d,"connect_err":%d,"read_err":%d,' ..
    '"write_err":%d,"timeouts":%d}\n',
    summary.requests, secs, summary.requests / secs,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000,
    e.status, e.connect, e.read, e.write, e.timeout))
end
