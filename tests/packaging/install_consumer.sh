#!/usr/bin/env bash
# `meson install --destdir` into a temporary root, then a consumer program is
# built from the installed header, pkg-config file and library: once against
# libigmopt.so.1 (run with LD_LIBRARY_PATH) and once statically against
# libigmopt.a (pkg-config --static).
# Usage: install_consumer.sh <build dir> <consumer.c> [sanitize flags]
set -euo pipefail
build=$1
consumer=$2
sanitize=${3:-none}
cc=${CC:-cc}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
expected="igmopt 0.1.0: trial 0 COMPLETE n=3"
flags=()
[ "$sanitize" = none ] || flags=(-fsanitize="$sanitize")

meson install -C "$build" --no-rebuild --destdir "$root" >"$tmp/install.log" \
    || { cat "$tmp/install.log"; exit 1; }
pc=$(find "$root" -name igmopt.pc)
[ -n "$pc" ] || { echo "no igmopt.pc installed"; exit 1; }
header=$(find "$root" -path '*/include/igmopt/igmopt.h')
[ -n "$header" ] || { echo "no igmopt/igmopt.h installed"; exit 1; }
# The .pc holds absolute paths under the prefix: the sysroot maps them into $root.
pkg() { PKG_CONFIG_PATH=$(dirname "$pc") PKG_CONFIG_SYSROOT_DIR=$root pkg-config "$@" igmopt; }
libdir=$root$(PKG_CONFIG_PATH=$(dirname "$pc") pkg-config --variable=libdir igmopt)
for f in libigmopt.so.1 libigmopt.so libigmopt.a; do
    [ -e "$libdir/$f" ] || { echo "$libdir/$f not installed"; exit 1; }
done

check_output() { # program [env...]
    local got
    got=$("$@")
    if [ "$got" != "$expected" ]; then
        echo "$*: printed '$got', expected '$expected'"
        exit 1
    fi
}

# shellcheck disable=SC2046
"$cc" "${flags[@]}" "$consumer" -o "$tmp/consumer_shared" $(pkg --cflags --libs)
readelf -d "$tmp/consumer_shared" | grep -q 'NEEDED.*\[libigmopt.so.1\]' \
    || { echo "consumer_shared does not need libigmopt.so.1"; exit 1; }
check_output env LD_LIBRARY_PATH="$libdir" "$tmp/consumer_shared"

# -l:libigmopt.a: the linker would otherwise prefer the .so beside it.
static_libs=$(pkg --static --libs | sed 's/-ligmopt\b/-l:libigmopt.a/')
# shellcheck disable=SC2086
"$cc" "${flags[@]}" "$consumer" -o "$tmp/consumer_static" $(pkg --cflags) $static_libs
if readelf -d "$tmp/consumer_static" | grep -q 'libigmopt'; then
    echo "consumer_static still needs a shared libigmopt"
    exit 1
fi
check_output "$tmp/consumer_static"

# igmopt-run finds the library of its own prefix through its rpath.
run=$(find "$root" -path '*/bin/igmopt-run')
[ -n "$run" ] || { echo "no bin/igmopt-run installed"; exit 1; }
rpath=$(readelf -d "$run" | sed -n 's/.*R\(UN\)\?PATH.*\[\(.*\)\]/\2/p')
[ "$root$rpath" = "$libdir" ] || { echo "igmopt-run's rpath '$rpath' is not the libdir"; exit 1; }
echo "installed, pkg-config OK; shared and static consumers print: $expected"
