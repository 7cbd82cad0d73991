#!/usr/bin/env bash
# Renders the service's metrics from real traffic in Prometheus's own graph page and screenshots it with headless
# Chromium: docs/metrics-prometheus.png (README, "Observability"). Needs the Debian packages prometheus and chromium.
# Starts the service (its embedded PostgreSQL in a temporary directory), Prometheus and a load loop; stops them all.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d /tmp/purchases-screenshot.XXXXXX)
chmod 755 "$work"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

svc_port=$(free_port) prom_port=$(free_port)
dotnet build "$root/src" -c Release -o "$work/app" -v q >/dev/null
export ASPNETCORE_ENVIRONMENT=Development ASPNETCORE_URLS=http://127.0.0.1:$svc_port
cd "$work/app"   # the content root, whose embedded PostgreSQL cluster the service and the CLI share
dotnet Purchases.dll >"$work/service.log" 2>&1 &
pids+=($!)
for _ in $(seq 300); do curl -fsS -o /dev/null "http://127.0.0.1:$svc_port/healthz" 2>/dev/null && break; sleep 0.2; done
token=$(dotnet Purchases.dll customers add trebolenergia 2>/dev/null)
worker=$(dotnet Purchases.dll tokens issue --role worker argo 2>/dev/null)

cat >"$work/prometheus.yml" <<YAML
global: { scrape_interval: 2s }
scrape_configs:
  - job_name: purchases
    static_configs: [ { targets: ["127.0.0.1:$svc_port"] } ]
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
  --web.listen-address="127.0.0.1:$prom_port" >"$work/prometheus.log" 2>&1 &
pids+=($!)

# Two minutes of traffic: submits, reads, reports back, and a few refusals.
api="http://127.0.0.1:$svc_port/api/v0/user/trebolenergia"
body='{"purchase": [{"datetime": "2025-11-11 00:15", "purchase": 12.0}, {"datetime": "2025-11-11 00:30", "purchase": 13.0}]}'
end=$((SECONDS + 120))
while ((SECONDS < end)); do
  id=$(curl -fsS -X POST "$api/submit-purchase?retailer_id=123" -H "Authorization: Bearer $token" \
    -H 'Content-Type: application/json' -d "$body" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p')
  for _ in 1 2 3 4 5; do curl -fsS -o /dev/null "$api/purchase/$id/get" -H "Authorization: Bearer $token"; done
  curl -fsS -o /dev/null "$api/purchases?limit=20" -H "Authorization: Bearer $token"
  curl -fsS -o /dev/null -X PUT "$api/purchase/$id/update" -H "Authorization: Bearer $worker" -H 'Content-Type: application/json' \
    -d '{"outputs": {"idmodel": 7}, "status": "completed", "error": ""}'
  curl -sS -o /dev/null "$api/purchase/not-a-uuid/get" -H "Authorization: Bearer $token"
done

expr='sum by (http_route, http_request_method) (rate(http_server_request_duration_seconds_count{job="purchases"}[20s]))'
url="http://127.0.0.1:$prom_port/graph?g0.expr=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$expr")&g0.tab=0&g0.range_input=3m&g0.stacked=0"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,1000 --virtual-time-budget=8000 \
  --screenshot="$root/docs/metrics-prometheus.png" "$url" 2>/dev/null
echo "docs/metrics-prometheus.png from $url"
