-- wrk report script: only done() is defined, so wrk keeps its static pre-built request (no Lua per request).
-- Prints one machine-readable line; gateway.sh parses it. Latencies in microseconds.
-- errors.status is wrk's count of responses with status > 399 ("Non-2xx or 3xx responses").
done = function(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format(
    "WRK requests=%d duration_s=%.2f rps=%.1f p50_us=%d p90_us=%d p99_us=%d p999_us=%d max_us=%d mean_us=%.1f"
      .. " status_errors=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
    summary.requests, secs, summary.requests / secs,
    math.floor(latency:percentile(50)), math.floor(latency:percentile(90)),
    math.floor(latency:percentile(99)), math.floor(latency:percentile(99.9)),
    math.floor(latency.max), latency.mean,
    e.status, e.connect, e.read, e.write, e.timeout))
end
