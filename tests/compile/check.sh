#!/usr/bin/env bash
# Compile-time checks of the public API against GCC 12's double destruction of co_await
# temporaries (temporal/async/co_await_temporaries.h): each snippet in co_await/ says in its first line whether
# it must compile everywhere (`// expect: compile`) or must be rejected by GCC < 13 with the
# guard's message and compile elsewhere (`// expect: gcc12-rejects`).
#   check.sh <c++ compiler> <include dir>...
set -uo pipefail
cxx=$1
shift
includes=()
for d in "$@"; do includes+=(-I "$d"); done
here=$(cd "$(dirname "$0")" && pwd)

# Is this the affected compiler? (GCC before 13; clang defines __GNUC__ as 4.)
gcc12=$("$cxx" -x c++ -E -P - <<<'#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ < 13
yes
#else
no
#endif' | tr -d '[:space:]')

failed=0
for src in "$here"/co_await/*.cpp; do
  name=$(basename "$src")
  expect=$(sed -n '1s|^// expect: ||p' "$src")
  out=$("$cxx" -std=c++20 -fsyntax-only "${includes[@]}" "$src" 2>&1)
  rc=$?
  if [[ $expect == gcc12-rejects && $gcc12 == yes ]]; then
    if ((rc == 0)); then
      echo "FAIL $name: compiled, but GCC 12 must reject it"
      failed=1
    elif ! grep -q "GCC 12 destroys a" <<<"$out"; then
      echo "FAIL $name: rejected, but not by the guard:"
      echo "$out" | head -20
      failed=1
    else
      echo "ok   $name: rejected with the guard's message"
    fi
  else
    if ((rc != 0)); then
      echo "FAIL $name: does not compile:"
      echo "$out" | head -20
      failed=1
    else
      echo "ok   $name: compiles"
    fi
  fi
done
exit $failed
