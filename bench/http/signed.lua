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
  -- The request's fixed text is built once: per request only the timestamp and signature
  -- are spliced in (one concatenation), so the load generator spends as little of the
  -- shared cores as it can (`wrk.format` rebuilds the whole request from a table each time).
  local path = os.getenv("TARGET_PATH")
  head = "GET " .. path .. " HTTP/1.1\r\nHost: " .. wrk.host .. ":" .. wrk.port .. "\r\nScp-Accesskey: " ..
    os.getenv("ACCESS_KEY") .. "\r\nScp-ClientType: Openapi\r\nAccept-Language: en-US\r\nScp-Timestamp: "
end

function request()
  next_request = next_request + 1
  if next_request > count then
    error("ran out of pre-signed requests; raise REQUESTS")
  end
  return head .. timestamps[next_request] .. "\r\nScp-Signature: " .. signatures[next_request] .. "\r\n\r\n"
end

function done(summary, latency, requests)
  local non_2xx = summary.errors.status
  io.write(string.format("RESULT requests=%d duration_us=%d rps=%.0f p50_ms=%.3f p99_ms=%.3f non2xx=%d socket_errors=%d\n",
    summary.requests, summary.duration, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, non_2xx,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
