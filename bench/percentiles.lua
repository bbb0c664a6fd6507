-- wrk reports p50/p75/p90/p99; the benchmark wants p50 and p95 and the error count as JSON.
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    'JSON {"requests": %d, "seconds": %.3f, "p50_ms": %.2f, "p95_ms": %.2f, "errors": %d}\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, errors))
end
