-- wrk script: replay a fixed corpus of URL paths (one per line) over keep-alive
-- connections, and write a JSON summary with latency percentiles.
--   CORPUS=file  WRK_OUT=result.json  wrk -s corpus.lua ...
-- Thread i starts at offset i*n/threads in the corpus and walks it in order,
-- wrapping around, so every run issues the same request sequence.

local corpus_file = os.getenv("CORPUS")
local out_file = os.getenv("WRK_OUT")
local threads = {}
local counter = 0

local function load(path)
  local t = {}
  for line in io.lines(path) do
    if #line > 0 then t[#t + 1] = line end
  end
  return t
end

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  threads[#threads + 1] = thread
end

function init(args)
  paths = load(corpus_file)
  n = #paths
  nthreads = tonumber(os.getenv("WRK_THREADS") or "1")
  idx = math.floor((tid or 0) * n / nthreads)
  reqs = {}
  for i = 1, n do reqs[i] = wrk.format("GET", paths[i]) end
end

function request()
  idx = idx % n + 1
  return reqs[idx]
end

function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  local e = summary.errors
  local f = assert(io.open(out_file, "w"))
  f:write(string.format(
    '{"requests": %d, "duration_s": %.6f, "rps": %.3f, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"mean": %.1f, "stdev": %.1f, "max": %d, "p50": %d, "p90": %d, "p99": %d, "p999": %d}}\n',
    summary.requests, secs, summary.requests / secs, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9)))
  f:close()
end
