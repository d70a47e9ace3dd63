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

# cpu_ticks PID...: the CPU time (user + system, in clock ticks) the processes have used so far
cpu_ticks() {
  local total=0 pid t
  for pid in "$@"; do
    # Fields after the command name, which may hold spaces: utime and stime are the 12th and 13th.
    t=$(sed 's/^.*) //' "/proc/$pid/stat" | awk '{print $12 + $13}')
    total=$((total + t))
  done
  echo "$total"
}
# measure_with OUT PIDS CMD...: like measure, and appends the CPU seconds that the processes PIDS
# (a space-separated list, e.g. the registries) used meanwhile as a fourth column
measure_with() {
  local out=$1 pids=$2; shift 2
  local before after hz
  hz=$(getconf CLK_TCK)
  before=$(cpu_ticks $pids)
  measure "$out.m" "$@"
  after=$(cpu_ticks $pids)
  awk -v l="$(tail -n1 "$out.m")" -v d="$((after - before))" -v hz="$hz" 'BEGIN{printf "%s %.2f\n", l, d / hz}' >> "$out"
}
# startup OUT RUNS: appends "wall cpu rss_kib" of `ferry --version` RUNS times to OUT: the JVM's
# start-up with ferry's flags
startup() {
  local i
  for i in $(seq 1 "$2"); do
    measure "$1" "$FERRY_ROOT/scripts/ferry" --version
  done
}
