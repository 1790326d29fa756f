#!/usr/bin/env bash
# The public header compiles alone as strict C99 and as C++ (every compiler
# found among cc, c++, clang, clang++), without a single warning.
# Usage: header_compiles.sh <include dir>
set -euo pipefail
include_dir=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf '#include <igmopt/igmopt.h>\nint main(void) { return igmopt_version() ? 0 : 1; }\n' \
    > "$tmp/use.c"
cp "$tmp/use.c" "$tmp/use.cpp"

compile() { # compiler source flags...
    local compiler=$1 source=$2
    shift 2
    echo "$compiler $* $source"
    "$compiler" "$@" -I"$include_dir" -c "$source" -o "$tmp/out.o"
}

compile "${CC:-cc}" "$tmp/use.c" -std=c99 -pedantic -Wall -Wextra -Werror
compile "${CXX:-c++}" "$tmp/use.cpp" -Wall -Wextra -Werror
compile "${CXX:-c++}" "$tmp/use.cpp" -std=c++11 -pedantic -Wall -Wextra -Werror
if command -v clang >/dev/null; then
    compile clang "$tmp/use.c" -std=c99 -pedantic -Wall -Wextra -Werror
    compile clang++ "$tmp/use.cpp" -pedantic -Wall -Wextra -Werror
fi
echo "header OK"
