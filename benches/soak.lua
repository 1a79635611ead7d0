-- wrk script for benches/soak.sh: cycles through a file of request paths (one per line), varying
-- Accept-Encoding, sending a matching If-None-Match now and then (a 304), and making every tenth
-- request a path never asked before (a memo miss that the memo may or may not keep), so the
-- per-worker memo fills up to its bound during the run.
--
--   wrk -t1 -c64 -d600s -s benches/soak.lua http://127.0.0.1:PORT/ -- PATHS_FILE

local paths = {}
local encodings = { "", "gzip", "br", "zstd", "gzip, deflate, br, zstd" }
local n = 0

function init(args)
  for line in io.lines(args[1]) do
    if #line > 0 then paths[#paths + 1] = line end
  end
  if #paths == 0 then error("no paths in " .. tostring(args[1])) end
end

function request()
  n = n + 1
  local headers = {}
  local enc = encodings[n % #encodings + 1]
  if enc ~= "" then headers["Accept-Encoding"] = enc end
  local path
  if n % 10 == 0 then
    -- a new page each time: offsets up to 1,000,000 are valid (past the end is an empty page)
    path = "/v1/exercises?limit=1&offset=" .. tostring((n / 10) % 1000000)
  else
    path = paths[n % #paths + 1]
  end
  if n % 7 == 0 then
    headers["If-None-Match"] = "\"not-the-current-etag\", *"
  end
  return wrk.format("GET", path, headers)
end
