# Shared by the benchmark scripts: the benchmark image's layers and the measuring helpers.
# Needs $FERRY_ROOT (lib/common.sh) and sets $work's temp files only through the callers' paths.

# bench_tars CACHE: builds the layer tars of the benchmark image once (about 1 GiB of mixed content
# in 6 layers: a JDK tree, shared libraries, text, binaries, /etc and 150 MiB of random bytes) and
# sets the array `tars` to their paths.
bench_tars() {
  local cache=$1
  mkdir -p "$cache"
  layer() { # layer NAME tar-args...: builds $cache/NAME.tar once
    local name=$1; shift
    [ -s "$cache/$name.tar" ] || tar --owner=0 --group=0 --mtime=@0 -cf "$cache/$name.tar" "$@" 2>/dev/null || true
  }
  if [ ! -s "$cache/random.tar" ]; then
    mkdir -p "$cache/random"; head -c $((150 * 1024 * 1024)) /dev/urandom > "$cache/random/random.bin"
    tar -C "$cache/random" -cf "$cache/random.tar" random.bin; rm -rf "$cache/random"
  fi
  layer jdk -C /usr/lib/jvm temurin-25-jdk-amd64
  layer libs -C /usr/lib/x86_64-linux-gnu $(cd /usr/lib/x86_64-linux-gnu && ls -S | head -n 400 | tail -n 300)
  layer text -C / usr/lib/python3.11 usr/share/perl usr/share/i18n usr/share/doc
  layer bin -C / $(cd / && ls -S usr/bin/* | head -n 300)
  layer etc -C / etc
  tars=("$cache/jdk.tar" "$cache/libs.tar" "$cache/text.tar" "$cache/random.tar" "$cache/bin.tar" "$cache/etc.tar")
}

# measure OUT CMD...: runs CMD once and appends "wall cpu rss_kib" to OUT
measure() {
  local out=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$out.time" "$@" >/dev/null 2>"$out.err" || { cat "$out.err" >&2; return 1; }
  awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$out.time" >> "$out"
}
median() { sort -n | awk '{a[NR]=$1} END {printf "%.2f", (NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2}'; }
col() { awk -v c="$2" '{print $c}' "$1" | median; }
mib() { awk -v k="$1" 'BEGIN{printf "%.0f", k/1024}'; }
