#!/usr/bin/env bash
# The shared library exports exactly the igmopt_* functions the public
# header declares, each under the version node IGMOPT_1, and its soname is
# libigmopt.so.1.
# Usage: exported_symbols.sh <header> <build dir holding libigmopt.so.1>
set -euo pipefail
header=$1
lib=$2/libigmopt.so.1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

sed -n 's/^IGMOPT_API .*[ *]\(igmopt_[a-z0-9_]*\)(.*/\1/p' "$header" | sort > "$tmp/declared"
nm -D --defined-only "$lib" | awk '$2 != "A" { print $3 }' | sort > "$tmp/exported_versioned"
sed 's/@.*//' "$tmp/exported_versioned" > "$tmp/exported"

status=0
if ! diff -u "$tmp/declared" "$tmp/exported"; then
    echo "exported symbols (+) differ from the header's declarations (-)"
    status=1
fi
if grep -v '@@IGMOPT_1$' "$tmp/exported_versioned"; then
    echo "the symbols above are not under the version node IGMOPT_1"
    status=1
fi
soname=$(readelf -d "$lib" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')
if [ "$soname" != "libigmopt.so.1" ]; then
    echo "soname is '$soname', not libigmopt.so.1"
    status=1
fi
[ "$(wc -l < "$tmp/declared")" -gt 30 ] || { echo "too few declarations parsed"; status=1; }
[ $status -eq 0 ] && echo "$(wc -l < "$tmp/declared") symbols, soname $soname: OK"
exit $status
