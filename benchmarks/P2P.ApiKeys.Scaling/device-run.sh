#!/usr/bin/env bash
# Scaling benchmark, before vs after, on a machine without .NET (issue 16). Needs bash, tar, xz and coreutils
# only (no grep, sed or python).
# Unpacks the two self-contained builds (before.tar.xz, after.tar.xz: see docs/benchmarks.md, "Scaling
# benchmark") to /tmp, runs them alternately (before, after, before, after, ...), one round each time, and
# pools the runs per side with the after build's `compare`. Results go to $OUT (default ./scaling-out).
# Knobs: THREADS (1,2,4,8,16) SECONDS_EACH (3, per contender per thread count) PAIRS (2) WARMUP (1)
#        BEFORE_TAR / AFTER_TAR (default: next to this script, else ./.device/).
# Runtime with the defaults: about 4 minutes (each run ~5 T x 3 contenders x 3 s + ~8 s warm-up and start-up).
set -euo pipefail

started=$(date +%s)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
find_tar() {
  for candidate in "$here/$1" "$PWD/.device/$1"; do
    if [[ -f "$candidate" ]]; then echo "$candidate"; return 0; fi
  done
  echo "cannot find $1 (looked in $here and $PWD/.device; set ${2}=path)" >&2
  return 1
}
before_tar=${BEFORE_TAR:-$(find_tar before.tar.xz BEFORE_TAR)}
after_tar=${AFTER_TAR:-$(find_tar after.tar.xz AFTER_TAR)}
threads=${THREADS:-1,2,4,8,16}
seconds=${SECONDS_EACH:-3}
pairs=${PAIRS:-2}
warmup=${WARMUP:-1}
out=${OUT:-$PWD/scaling-out}
mkdir -p "$out"

work=$(mktemp -d /tmp/p2p-scaling.XXXXXX)
trap 'rm -rf "$work"' EXIT
for side in before after; do
  tar_var=${side}_tar
  mkdir -p "$work/$side"
  tar -xJf "${!tar_var}" -C "$work/$side"
  chmod +x "$work/$side/P2P.ApiKeys.Scaling"
done

{
  echo "date: $(date -u '+%Y-%m-%d %H:%M:%S') UTC"
  echo "nproc: $(nproc)"
  while IFS= read -r line; do [[ $line == "model name"* ]] && { echo "$line"; break; }; done < /proc/cpuinfo || true
  echo "loadavg at start: $(cat /proc/loadavg)"
  uname -srm
  echo "threads=$threads seconds=$seconds pairs=$pairs warmup=$warmup"
  echo "before: $before_tar ($(wc -c < "$before_tar") bytes), after: $after_tar ($(wc -c < "$after_tar") bytes)"
} | tee "$out/machine.txt"

# .NET hashes with the system's OpenSSL (libssl 3 or 1.1): say so up front if none is in the usual places.
shopt -s nullglob
ssl=(/lib*/libssl.so.* /lib*/*/libssl.so.* /usr/lib*/libssl.so.* /usr/lib*/*/libssl.so.* /usr/local/lib*/libssl.so.*)
shopt -u nullglob
if (( ${#ssl[@]} == 0 )); then echo "warning: no libssl.so.* found; SHA-256 in .NET needs OpenSSL (libssl3)"; fi

# Pre-flight (a few seconds): the after build starts, verifies a key, and reports bytes allocated per request.
"$work/after/P2P.ApiKeys.Scaling" alloc > "$out/alloc-after.md" 2>&1 \
  || { echo "the after build does not run here:"; cat "$out/alloc-after.md"; exit 1; }
echo "bytes allocated per request (after build, one thread):"
cat "$out/alloc-after.md"

before_files=()
after_files=()
for ((pair = 1; pair <= pairs; pair++)); do
  for side in before after; do
    echo "=== $side, run $pair of $pairs ($(( $(date +%s) - started )) s so far; loadavg $(cut -d' ' -f1-3 /proc/loadavg))"
    timeout 300 "$work/$side/P2P.ApiKeys.Scaling" --threads "$threads" --seconds "$seconds" --rounds 1 --warmup "$warmup" \
      --label "$side" --json "$out/$side-$pair.json" --md "$out/$side-$pair.md" > "$out/$side-$pair.log" 2>&1 \
      || { echo "$side run $pair failed:"; tail -20 "$out/$side-$pair.log"; exit 1; }
    while IFS= read -r line; do [[ $line =~ ^\|\ [0-9] ]] && echo "  $side $pair: $line"; done < "$out/$side-$pair.md" || true
    if [[ $side == before ]]; then before_files+=("$out/$side-$pair.json"); else after_files+=("$out/$side-$pair.json"); fi
  done
done

echo
echo "=== Summary (also in $out/summary.md)"
"$work/after/P2P.ApiKeys.Scaling" compare --before "${before_files[@]}" --after "${after_files[@]}" --md "$out/summary.md"
echo "loadavg at end: $(cat /proc/loadavg)" | tee -a "$out/machine.txt"
echo "total: $(( $(date +%s) - started )) s" | tee -a "$out/machine.txt"
