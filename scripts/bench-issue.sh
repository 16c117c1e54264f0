#!/usr/bin/env bash
# Batch issuance at national scale: N generated records (default 1,000,000)
# issued as SD-JWT VCs and as Data Integrity credentials, with status
# entries and register rows (SQLite; PostgreSQL too when DDCC_BENCH_POSTGRES
# names a database, password in PGPASSWORD). Prints wall time, rate and
# peak RSS of each run. Release build; needs about 6 GB of free disk for
# 1,000,000 credentials of each kind.
#
#   scripts/bench-issue.sh [N] [WORKDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
work=${2:-$(mktemp -d)}
mkdir -p "$work"

cargo build -q --release -p ddcc-cli
cargo build -q --release -p ddcc-examples --example 08_records_file
ddcc=$PWD/target/release/ddcc
[ -f "$work/records.jsonl" ] && [ "$(wc -l <"$work/records.jsonl")" -eq "$n" ] \
  || target/release/examples/08_records_file "$n" "$work/records.jsonl"
[ -f "$work/moh.key" ] || "$ddcc" key generate --out "$work/moh.key" >/dev/null

timed() { # label, then the command
  local label=$1
  shift
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f "$label: %e s wall, %M KiB peak RSS, %P CPU" "$@" 2>&1 >/dev/null | grep -E "wall,|^issued"
  else
    "$@" 2>&1 >/dev/null | grep -E "^issued"
  fi
}

echo "== $n records, $(nproc) cores"
rm -f "$work"/out.* "$work"/register-*.sqlite*
timed "sd-jwt+sqlite" "$ddcc" issue --key "$work/moh.key" --format sd-jwt --batch "$work/records.jsonl" \
  --out "$work/out.sdjwt" --status-base https://moh.example/status --register "$work/register-sd.sqlite"
timed "di+sqlite" "$ddcc" issue --key "$work/moh.key" --format di --batch "$work/records.jsonl" \
  --out "$work/out.jsonl" --status-base https://moh.example/status --register "$work/register-di.sqlite"
if [ -n "${DDCC_BENCH_POSTGRES:-}" ]; then
  rm -f "$work/out.pg.sdjwt"
  timed "sd-jwt+postgres" "$ddcc" issue --key "$work/moh.key" --format sd-jwt --batch "$work/records.jsonl" \
    --out "$work/out.pg.sdjwt" --status-base https://moh.example/status --register "$DDCC_BENCH_POSTGRES"
fi
ls -l "$work"/out.* "$work"/register-*.sqlite
