-- wrk script of the load benchmark (bench/load.sh): replays a fixed mixed corpus
-- (one "CLASS<TAB>PATH" per line, bench/load/corpus.py) over keep-alive
-- connections and records EVERY response: corpus line, HTTP status, latency,
-- body bytes, time of completion.
--
--   CORPUS=corpus.txt RECORDS=records.tsv WRK_OUT=wrk.json WRK_THREADS=C \
--     wrk -t C -c C -d 60s --timeout 60s -s load.lua http://127.0.0.1:PORT
--
-- Run it with ONE connection per thread (-t C -c C): wrk calls request() just
-- before it writes a request and response() as soon as that response is
-- complete, on the thread that owns the connection; with one connection per
-- thread the two calls alternate, so the time between them is that request's
-- latency (CLOCK_MONOTONIC through LuaJIT's ffi).  wrk's own histogram does not
-- know the class of a request; this one does, and report.py takes exact
-- percentiles per class from the records.
-- Thread i starts at line i*n/C of the corpus and walks it in order, wrapping
-- around (as bench/lib/corpus.lua), so every run issues the same sequence.
--
-- Records (tab-separated, one line per response):
--   line  status  latency_us  body_bytes  end_unix_ms  retry_after(503: 1/0, else -)
-- status 0 = the request was written but no response came: the connection
-- failed and wrk reconnected (a socket error, attributed to its request).
-- Lines starting with '#': "#window start_unix_ms end_unix_ms" (wrk's measured
-- time: wrk starts each thread as soon as it is set up, so the first ones run
-- before the clock starts), "#inflight line age_us" (requests still running
-- when wrk stopped) and "#sample line status body..." (first bodies of
-- non-2xx answers, for the report).

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } load_timespec;
int clock_gettime(int clk_id, load_timespec *tp);
]]
local ts = ffi.new("load_timespec")
local function mono_us()  -- CLOCK_MONOTONIC: same clock in every thread's Lua state
  ffi.C.clock_gettime(1, ts)
  return tonumber(ts.tv_sec) * 1000000 + tonumber(ts.tv_nsec) / 1000
end
local function unix_ms()  -- CLOCK_REALTIME, to line the records up with the RSS samples
  ffi.C.clock_gettime(0, ts)
  return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1000000
end

local threads = {}
local counter = 0

function setup(thread)
  -- the corpus is read once, by the main Lua state, and copied to each thread
  -- (global "paths" there)
  if not corpus_paths then
    corpus_paths = {}
    for line in io.lines(os.getenv("CORPUS")) do
      local c, p = line:match("^(%d+)\t(.+)$")
      if c then corpus_paths[#corpus_paths + 1] = p end
    end
    assert(#corpus_paths > 0, "empty corpus")
  end
  thread:set("tid", counter)
  thread:set("paths", corpus_paths)
  counter = counter + 1
  threads[#threads + 1] = thread
end

function init(args)
  n = #paths
  reqs = {}      -- formatted requests, made on first use (keeps the start-up of C threads short)
  local nthreads = tonumber(os.getenv("WRK_THREADS") or "1")
  idx = math.floor((tid or 0) * n / nthreads)
  cur = nil      -- corpus line of the request in flight on this thread's connection
  t0 = 0         -- when it was handed to wrk (mono_us)
  recs, nrec, chunks = {}, 0, {}
  samples, nsamples = {}, 0
  -- wrk calls request() once on thread 0 before the run, to check the request
  -- it returns (script_verify_request): that call must not count as sent
  verify_call = (tid or 0) == 0
end

local function req(i)
  local r = reqs[i]
  if not r then
    r = wrk.format("GET", paths[i])
    reqs[i] = r
  end
  return r
end

local function record(line, status, lat, bytes, flag)
  nrec = nrec + 1
  recs[nrec] = string.format("%d\t%d\t%d\t%d\t%.1f\t%s\n", line, status, lat, bytes, unix_ms(), flag)
  if nrec >= 512 then
    chunks[#chunks + 1] = table.concat(recs, "", 1, nrec)
    recs, nrec = {}, 0
  end
end

function request()
  local now = mono_us()
  if verify_call then
    verify_call = false
    return req(idx % n + 1)
  end
  if cur then
    -- a request was written and no response came before wrk asked for the next
    -- one: the connection broke (read/write error) and wrk reconnected
    record(cur, 0, now - t0, 0, "-")
  end
  idx = idx % n + 1
  cur, t0 = idx, now
  return req(idx)
end

function response(status, headers, body)
  local now = mono_us()
  if not cur then return end
  local flag = "-"
  if status == 503 then
    flag = (headers["Retry-After"] or headers["retry-after"]) and "1" or "0"
  end
  if (status < 200 or status > 299) and nsamples < 3 then
    nsamples = nsamples + 1
    samples[nsamples] = string.format("#sample\t%d\t%d\t%s\n", cur, status,
      ((body or ""):sub(1, 400):gsub("[\r\n\t]", " ")))
  end
  record(cur, status, now - t0, body and #body or 0, flag)
  cur = nil
end

function done(summary, latency, requests)
  local now, now_ms = mono_us(), unix_ms()
  local f = assert(io.open(os.getenv("RECORDS"), "w"))
  -- wrk's measured window: from the start of the last thread to the stop (threads
  -- started earlier already ran while the others were being set up)
  f:write(string.format("#window\t%.1f\t%.1f\n", now_ms - summary.duration / 1000, now_ms))
  for _, t in ipairs(threads) do
    for _, s in ipairs(t:get("chunks") or {}) do f:write(s) end
    local r, k = t:get("recs") or {}, t:get("nrec") or 0
    for j = 1, k do f:write(r[j]) end
    local c = t:get("cur")
    if c then f:write(string.format("#inflight\t%d\t%d\n", c, now - (t:get("t0") or now))) end
    for _, s in ipairs(t:get("samples") or {}) do f:write(s) end
  end
  f:close()
  local secs = summary.duration / 1e6
  local e = summary.errors
  local o = assert(io.open(os.getenv("WRK_OUT"), "w"))
  o:write(string.format(
    '{"requests": %d, "duration_s": %.6f, "rps": %.3f, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"mean": %.1f, "stdev": %.1f, "max": %d, "p50": %d, "p90": %d, "p99": %d, "p999": %d}}\n',
    summary.requests, secs, summary.requests / secs, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9)))
  o:close()
end
