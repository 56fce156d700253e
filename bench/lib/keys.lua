-- wrk script: spreads requests over many keys, round robin, with every
-- request formatted once in init() so per-request Lua cost stays tiny and the
-- same for every server under test.
--
--   wrk -t1 -c64 -d10s -s keys.lua http://127.0.0.1:PORT -- 1000 "/get?key="
--       requests /get?key=key-0 .. /get?key=key-999
--   wrk ... -s keys.lua http://127.0.0.1:PORT -- @keys.txt "/get?key="
--       requests the keys listed in keys.txt, one per line (already URL-safe)
--
-- The path prefix defaults to "/get?key=". Each wrk thread starts at its own
-- offset so two threads do not walk the keys in lockstep.

local requests = {}
local next_index = 0

-- setup() runs in the main Lua state, once per thread; the value set here is
-- a global in that thread's own state by the time its init() runs.
local threads = 0
function setup(thread)
  thread:set("offset", threads * 7919)
  threads = threads + 1
end

function init(args)
  local spec = args[1] or "1000"
  local prefix = args[2] or "/get?key="
  local keys = {}
  if spec:sub(1, 1) == "@" then
    for line in io.lines(spec:sub(2)) do
      if line ~= "" then keys[#keys + 1] = line end
    end
  else
    local n = tonumber(spec)
    if n == nil or n < 1 then error("keys.lua: key count must be a positive number, got " .. spec) end
    for i = 0, n - 1 do keys[#keys + 1] = "key-" .. i end
  end
  if #keys == 0 then error("keys.lua: no keys in " .. spec) end
  for i, key in ipairs(keys) do
    requests[i] = wrk.format("GET", prefix .. key)
  end
  next_index = (offset or 0) % #requests
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end
