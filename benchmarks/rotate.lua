-- wrk script: rotate over the lines of a file, each put into a path pattern.
--   wrk ... -s benchmarks/rotate.lua http://127.0.0.1:PORT -- FILE PATTERN
-- FILE holds one item a line (procedure codes, or whole paths with PATTERN "%s");
-- PATTERN is a Lua format with one %s, e.g. "/thu-tuc/%s/". Used by catalog_rps.sh
-- and http_server_time.py.
local paths = {}
local i = 0
function init(args)
  for item in io.lines(args[1]) do
    if item ~= "" then paths[#paths + 1] = string.format(args[2], item) end
  end
  i = math.random(#paths)
end
function request()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
