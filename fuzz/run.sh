#!/usr/bin/env bash
# Coverage-guided fuzzing of every parser: seeds the corpora from the
# external vectors and the repository's fixtures, builds the targets
# (nightly, AddressSanitizer), and runs each for SECONDS. A crash, a hang
# (one input longer than 20 s) or running out of memory (2 GiB) fails the
# run; libFuzzer leaves the input under fuzz/artifacts/TARGET/.
#
#   fuzz/run.sh [SECONDS per target, default 60] [VECTORS dir] [TARGET…]
set -euo pipefail
secs=${1:-60}
# A vectors folder given relative to where the script was called from.
vectors=${2:-${DDCC_VECTORS:-$(dirname "$0")/../../shared/vectors}}
vectors=$(realpath -m "$vectors")
shift $(( $# > 2 ? 2 : $# ))
cd "$(dirname "$0")"
# The fuzz build (nightly, sanitizers) keeps to fuzz/target, whatever the
# workspace's target folder is.
unset CARGO_TARGET_DIR
if [ -d "$vectors" ]; then
  python3 seed.py "$vectors" ..
elif [ "${DDCC_REQUIRE_VECTORS:-}" = 1 ]; then
  echo "fuzz: no vectors at $vectors, and DDCC_REQUIRE_VECTORS=1" >&2
  exit 1
else
  echo "fuzz: no vectors at $vectors; the corpora start from the repository's fixtures only" >&2
  python3 seed.py /nonexistent ..
fi
cargo +nightly fuzz build
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo +nightly fuzz list)
fi
total=0
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  log=$(mktemp)
  if ! cargo +nightly fuzz run "$t" "corpus/$t" -- \
      -max_total_time="$secs" -rss_limit_mb=2048 -timeout=20 -max_len=262144 \
      -print_final_stats=1 >"$log" 2>&1; then
    tail -60 "$log"
    echo "fuzz: $t FAILED (input under fuzz/artifacts/$t/)" >&2
    exit 1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo '?')
  total=$((total + runs))
  echo "fuzz: $t: $runs executions in ${secs} s, coverage $cov, no crash"
  rm -f "$log"
done
echo "fuzz: ${#targets[@]} targets, $total executions, no crash"
