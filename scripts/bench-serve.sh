#!/usr/bin/env bash
# `ddcc serve` under load against the in-process verification rate, taken
# in turns so that a noisy machine moves both alike. Starts the service on
# loopback with its defaults (HTTPS, SQLite register), issues one
# credential through it, fetches its status lists, then for each round:
#
#   1. verifies the request body in process on 2 threads (examples/verify_rate);
#   2. drives POST /credentials/verify over keep-alive HTTPS connections,
#      with wrk when it is installed, else examples/load;
#
# and prints each round's rates, latencies, errors and the CPU time the
# service used per request, then the medians and their ratio. Release build.
#
#   scripts/bench-serve.sh [SECONDS] [ROUNDS] [CONNECTIONS] [WORKDIR]
#   DDCC_BENCH_BIN=DIR scripts/bench-serve.sh …   (DIR holds ddcc, load, verify_rate)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
rounds=${2:-5}
conns=${3:-32}
work=${4:-$(mktemp -d)}
mkdir -p "$work"

if [ -n "${DDCC_BENCH_BIN:-}" ]; then
  # Binaries built elsewhere (ddcc, load, verify_rate in one folder), to
  # compare two builds in one sitting.
  ddcc=$DDCC_BENCH_BIN/ddcc
  examples=$DDCC_BENCH_BIN
else
  cargo build -q --release -p ddcc-cli
  cargo build -q --release -p ddcc-server --example load --example verify_rate
  ddcc=$PWD/target/release/ddcc
  examples=$PWD/target/release/examples
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
url=https://127.0.0.1:$port

rm -rf "$work/data"  # a fresh service: the credential below is issued once
# The credential is issued through the service, with an API key of the run.
api_key=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
DDCC_API_KEY=$api_key "$ddcc" serve --data-dir "$work/data" --listen "127.0.0.1:$port" 2>"$work/serve.log" &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  curl -sf --cacert "$work/data/ca.pem" "$url/health" >/dev/null 2>&1 && break
  sleep 0.1
done
ca=$work/data/ca.pem

# One credential, issued by the service, and the lists its status names.
[ -f "$work/throwaway.key" ] || "$ddcc" key generate --out "$work/throwaway.key" >/dev/null
"$ddcc" issue --key "$work/throwaway.key" --record examples/records/primary-series-complete.json \
  --out "$work/signed.json" 2>/dev/null
python3 - "$work" <<'EOF'
import json, sys
w = sys.argv[1]
vc = json.load(open(f"{w}/signed.json"))
for k in ("issuer", "proof", "credentialStatus"):
    vc.pop(k, None)
json.dump({"credential": vc}, open(f"{w}/issue.json", "w"))
EOF
curl -sf --cacert "$ca" -H 'content-type: application/json' --data @"$work/issue.json" \
  -H "authorization: Bearer $api_key" "$url/credentials/issue" >"$work/issued.json"
python3 - "$work" <<'EOF'
import json, sys
w = sys.argv[1]
vc = json.load(open(f"{w}/issued.json"))["verifiableCredential"]
json.dump(vc, open(f"{w}/vc.json", "w"))
body = json.dumps({"verifiableCredential": vc})
open(f"{w}/post.lua", "w").write(
    'wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
    f"wrk.body = {json.dumps(body)}\n")
print("\n".join(e["statusListCredential"] for e in vc["credentialStatus"]), file=open(f"{w}/lists", "w"))
EOF
lists=()
while read -r l; do
  f=$work/$(basename "$l")
  curl -sf --cacert "$ca" "$l" >"$f"
  lists+=("$f")
done <"$work/lists"

cpu() { awk '{print $14 + $15}' "/proc/$server/stat"; }
client_cpu() { # runs the load generator, keeping its CPU seconds in $work/client
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "%U %S" -o "$work/client" "$@"
  else
    echo "0 0" >"$work/client"
    "$@"
  fi
}
tick=$(getconf CLK_TCK)
echo "== $(nproc) cores; $seconds s per run, $rounds rounds, $conns connections; client: $(command -v wrk >/dev/null && echo wrk || echo examples/load)"
: >"$work/rates"
for r in $(seq "$rounds"); do
  inproc=$("$examples/verify_rate" "$work/vc.json" "$seconds" 2 "${lists[@]}" | sed -E 's/.*: ([0-9]+) per second/\1/')
  before=$(cpu)
  if command -v wrk >/dev/null; then
    out=$(client_cpu wrk -t1 -c"$conns" -d"${seconds}s" --latency -s "$work/post.lua" "$url/credentials/verify")
    rate=$(awk '/^Requests\/sec/ {printf "%.0f", $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    total=$(awk '/requests in/ {print $1}' <<<"$out")
    errors=$(awk '/Non-2xx/ {n += $NF} /Socket errors/ {gsub(",", ""); n += $4 + $6 + $8 + $10} END {print n + 0}' <<<"$out")
  else
    out=$(client_cpu "$examples/load" "$url" "$ca" "$work/vc.json" "$seconds" "$conns")
    rate=$(sed -E 's/.*: ([0-9]+) requests\/s.*/\1/' <<<"$out")
    p50=$(sed -E 's/.*p50 ([0-9.]+ ms).*/\1/' <<<"$out")
    p99=$(sed -E 's/.*p99 ([0-9.]+ ms).*/\1/' <<<"$out")
    total=$(awk '{print $1}' <<<"$out")
    errors=$(sed -E 's/.*errors ([0-9]+).*/\1/' <<<"$out")
  fi
  used=$(( $(cpu) - before ))
  per=$(( used * 1000000 / tick / (total > 0 ? total : 1) ))
  client=$(awk -v n="$total" '{printf "%.0f", ($1 + $2) * 1e6 / (n > 0 ? n : 1)}' "$work/client")
  echo "round $r: in process $inproc/s; HTTPS $rate req/s (p50 $p50, p99 $p99, errors $errors) = $(( rate * 100 / inproc ))%; CPU per request: service $per µs, load generator $client µs"
  echo "$inproc $rate $per" >>"$work/rates"
done
python3 - "$work/rates" <<'EOF'
import statistics, sys
rows = [tuple(map(int, l.split())) for l in open(sys.argv[1])]
inproc = statistics.median(r[0] for r in rows)
http = statistics.median(r[1] for r in rows)
per = statistics.median(r[2] for r in rows)
print(f"median: in process {inproc:.0f}/s ({2e6 / inproc:.0f} µs per verification per core); "
      f"HTTPS {http:.0f} req/s = {100 * http / inproc:.0f}% of it; "
      f"service CPU {per:.0f} µs per request: it answers {100 * (2e6 / inproc) / per:.0f}% as many requests per CPU-second as are verified in process")
EOF
