#!/usr/bin/env bash
# The hot path before and after, in one BenchmarkDotNet run: benchmarks/P2P.ApiKeys.HotPath built against another
# commit's src (the "before" job, baseline of every ratio) and against this checkout's ("after").
#   benchmarks/run-hotpath.sh [BEFORE_REF] [extra BenchmarkDotNet arguments]   (default BEFORE_REF: main)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
ref="${1:-main}"
shift || true
before="$(mktemp -d /tmp/p2p-hotpath-before.XXXXXX)"
trap 'rm -rf "$before"' EXIT
git -C "$root" archive "$ref" src Directory.Build.props Directory.Packages.props global.json | tar -x -C "$before"
echo "before: $ref ($(git -C "$root" rev-parse --short "$ref")), after: working tree ($(git -C "$root" rev-parse --short HEAD))"
cd "$root"
P2P_BEFORE_SRC="$before/src" dotnet run -c Release --project benchmarks/P2P.ApiKeys.HotPath -- --filter '*' "$@"
