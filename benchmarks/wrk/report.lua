-- Shared by every wrk script of the benchmarks (and usable alone: wrk -s report.lua URL): prints the run's
-- figures as "BENCH key=value" lines that the bench-*.sh scripts parse. Latencies in milliseconds.
-- wrk counts a response with status >= 400 under errors.status; socket errors are connect/read/write/timeout.
-- A script that wants to add lines defines bench_extra(), called at the end.

function done(summary, latency, requests)
   local e = summary.errors
   local seconds = summary.duration / 1e6
   io.write(string.format("BENCH requests=%d seconds=%.3f rps=%.1f bytes=%d\n",
      summary.requests, seconds, summary.requests / seconds, summary.bytes))
   io.write(string.format("BENCH status_errors=%d connect_errors=%d read_errors=%d write_errors=%d timeouts=%d\n",
      e.status, e.connect, e.read, e.write, e.timeout))
   io.write(string.format("BENCH mean_ms=%.3f stdev_ms=%.3f max_ms=%.3f p50_ms=%.3f p90_ms=%.3f p99_ms=%.3f p999_ms=%.3f\n",
      latency.mean / 1000, latency.stdev / 1000, latency.max / 1000, latency:percentile(50) / 1000,
      latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000))
   if bench_extra then
      bench_extra()
   end
end
