-- wrk script: every request carries its own pre-signed SCP signature (see presign.rs).
-- Each wrk thread takes every n-th line of the file, so no signature is sent twice.
-- Environment: SIGNED_FILE (lines "timestamp signature"), ACCESS_KEY, TARGET_PATH.

local thread_counter = 0

function setup(thread)
  thread:set("thread_index", thread_counter)
  thread_counter = thread_counter + 1
  thread:set("thread_total", 0)
end

function init(args)
  local total = tonumber(os.getenv("WRK_THREADS") or "2")
  local index = thread_index
  timestamps, signatures = {}, {}
  local n, line_no = 0, 0
  for line in io.lines(os.getenv("SIGNED_FILE")) do
    if line_no % total == index then
      local ts, sig = line:match("^(%S+) (%S+)$")
      n = n + 1
      timestamps[n], signatures[n] = ts, sig
    end
    line_no = line_no + 1
  end
  count, next_request = n, 0
  access_key = os.getenv("ACCESS_KEY")
  target_path = os.getenv("TARGET_PATH")
  headers = {
    ["Scp-Accesskey"] = access_key,
    ["Scp-ClientType"] = "Openapi",
    ["Accept-Language"] = "en-US",
  }
end

function request()
  next_request = next_request + 1
  if next_request > count then
    error("ran out of pre-signed requests; raise REQUESTS")
  end
  headers["Scp-Timestamp"] = timestamps[next_request]
  headers["Scp-Signature"] = signatures[next_request]
  return wrk.format("GET", target_path, headers)
end

function done(summary, latency, requests)
  local non_2xx = summary.errors.status
  io.write(string.format("RESULT requests=%d duration_us=%d rps=%.0f p50_ms=%.3f p99_ms=%.3f non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, non_2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
