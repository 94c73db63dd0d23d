-- wrk script: like paths.lua, but every request carries the ETag its path answered with
-- before the load (If-None-Match), as a browser or a proxy revalidating does: the answers
-- are 304 Not Modified. BENCH_PATHS names a file of "path<TAB>etag" lines. Prints the same
-- JSON summary line at the end.
local paths = {}
local etags = {}
local position = 0

function init(args)
  for line in io.lines(os.getenv("BENCH_PATHS")) do
    local path, etag = line:match("^([^\t]+)\t(.+)$")
    if path then
      paths[#paths + 1] = path
      etags[#etags + 1] = etag
    end
  end
  position = math.random(#paths)
end

function request()
  position = position % #paths + 1
  return wrk.format("GET", paths[position], {["If-None-Match"] = etags[position]})
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"non_2xx": %d, "socket_errors": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    errors.status, errors.connect + errors.read + errors.write + errors.timeout))
end
