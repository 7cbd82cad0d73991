-- wrk: GET the URL given to wrk. env: BENCH_TOKEN (optional: the limits take none), BENCH_LUA (this directory).
wrk.method = "GET"
local token = os.getenv("BENCH_TOKEN") or ""
if token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end

dofile(os.getenv("BENCH_LUA") .. "/report.lua")
