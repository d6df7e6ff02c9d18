-- Constant-rate load for wrk, with latency counted from when each request was due.
--
--   wrk -t C -c C -d D -s wrk_paced.lua URL -- VISITS RATE SECONDS C MARKER
--
-- Debian's wrk has no -R (that is wrk2): here delay() holds each request until it is
-- due, and its latency runs from that moment, not from when it went out. A slow answer
-- that holds up the requests behind it on its connection so counts in theirs too, as
-- in wrk2 (no "coordinated omission").
--
-- Request j (0 <= j < RATE x SECONDS) is due at START + j / RATE, goes out on
-- connection j mod C, and asks for line j mod (lines) of VISITS: a path, a tab and a
-- Cookie header (empty for none), so consecutive requests rotate through the members.
-- One connection per thread: wrk's delay(), request() and response() do not say which
-- connection they are called for, and with one per thread they need not.
--
-- A 200 whose body holds MARKER counts as ok, any other answer as an error. A thread
-- writes FINISHED once its last request is answered (the caller then stops wrk), and
-- done() writes one BENCH line of JSON: every latency in microseconds, and for each
-- request left unanswered when wrk was stopped, how long it had waited by then.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_nsec; } paced_timespec;
int clock_gettime(int clock, paced_timespec *now);
]]
local CLOCK_MONOTONIC = 1 -- the clock of Python's time.monotonic()
local timespec = ffi.new("paced_timespec")

local function now_us()
  ffi.C.clock_gettime(CLOCK_MONOTONIC, timespec)
  return tonumber(timespec.tv_sec) * 1e6 + tonumber(timespec.tv_nsec) / 1e3
end

-- Time for wrk to start every thread before the first request is due.
local LEAD_US = 1e6
-- A connection with nothing left to send waits until wrk is stopped.
local PARK_MS = 24 * 3600 * 1000

local threads = {}

-- In wrk's main Lua state, once per thread before it starts: its number and the
-- moment the first request is due, the same for all.
function setup(thread)
  first_due = first_due or now_us() + LEAD_US
  thread:set("first_due", first_due)
  thread:set("number", #threads)
  threads[#threads + 1] = thread
end

function init(args)
  visits = {}
  for line in io.lines(args[1]) do
    local path, cookie = line:match("^([^\t]*)\t(.*)$")
    visits[#visits + 1] = { path, cookie }
  end
  rate, connections, marker = tonumber(args[2]), tonumber(args[4]), args[5] or ""
  total = math.floor(rate * tonumber(args[3]) + 0.5)
  formatted = {} -- each line of VISITS as a request, made once
  following = number -- the next request this connection sends
  current = nil -- the request on the wire, until it is answered
  sent = false
  latencies, ok, errors, resent, last_answer = {}, 0, 0, 0, 0
end

local function due_us(j)
  return first_due + j * 1e6 / rate
end

function delay()
  if following >= total then
    current = nil
    return PARK_MS
  end
  current, sent = following, false
  following = following + connections
  -- Rounded up: a request never goes out before it is due.
  return math.max(0, math.ceil((due_us(current) - now_us()) / 1000))
end

function request()
  -- wrk asks for one request before the run to check it: any will do.
  local j = current or number
  if current ~= nil then
    -- Asked again without a delay(): wrk resends after a socket error.
    if sent then
      resent = resent + 1
    end
    sent = true
  end
  local line = j % #visits + 1
  if formatted[line] == nil then
    local path, cookie = visits[line][1], visits[line][2]
    formatted[line] = wrk.format("GET", path, cookie ~= "" and { Cookie = cookie } or {})
  end
  return formatted[line]
end

function response(status, headers, body)
  if current == nil then
    return
  end
  last_answer = now_us()
  latencies[#latencies + 1] = math.floor(last_answer - due_us(current) + 0.5)
  if status == 200 and body:find(marker, 1, true) then
    ok = ok + 1
  else
    errors = errors + 1
  end
  current = nil
  if following >= total then
    io.write("FINISHED\n")
    io.flush()
  end
end

function done(summary, latency, requests)
  local stopped = now_us()
  local all, waited = {}, {}
  local counts = { ok = 0, errors = 0, resent = 0 }
  local last = 0
  for _, thread in ipairs(threads) do
    for _, value in ipairs(thread:get("latencies")) do
      all[#all + 1] = value
    end
    for key in pairs(counts) do
      counts[key] = counts[key] + thread:get(key)
    end
    last = math.max(last, thread:get("last_answer"))
    -- Unanswered: the one on the wire and those never sent, each a stride apart.
    local rate, stride = thread:get("rate"), thread:get("connections")
    local j = thread:get("current") or thread:get("following")
    while j < thread:get("total") do
      waited[#waited + 1] = math.max(0, math.floor(stopped - (first_due + j * 1e6 / rate)))
      j = j + stride
    end
  end
  local socket = summary.errors
  io.write(string.format(
    'BENCH {"first_due_us": %d, "last_answer_us": %d, "ok": %d, "errors": %d, ' ..
    '"resent": %d, "socket_errors": %d, "latencies_us": [%s], "unanswered_waited_us": [%s]}\n',
    math.floor(first_due), math.floor(last), counts.ok, counts.errors, counts.resent,
    socket.connect + socket.read + socket.write, table.concat(all, ","), table.concat(waited, ",")))
end
