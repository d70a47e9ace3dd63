# Shared by the scripts: find a JDK >= 25, the project root, the jar.
# Sourced, not run.

# Builtins rather than dirname, sed or head here and below: scripts/ferry sources this file on every
# command, and each process forked costs start-up time.
case ${BASH_SOURCE[0]} in
  */*) FERRY_ROOT=$(cd "${BASH_SOURCE[0]%/*}/../.." && pwd) ;;
  *) FERRY_ROOT=$(cd ../.. && pwd) ;;
esac
FERRY_JAR="$FERRY_ROOT/target/ferry.jar"
FERRY_MIN_JAVA=25

# java_major JDK: sets FERRY_JAVA_MAJOR to the major version of the JDK at JDK, read from its release
# file (starting a JVM just to ask would cost a tenth of a second on every run).
java_major() {
  local line v=""
  if [ -r "$1/release" ]; then
    while IFS= read -r line; do
      case $line in
        JAVA_VERSION=\"*) v=${line#JAVA_VERSION=\"}; v=${v%%[!0-9]*}; break ;;
      esac
    done < "$1/release"
  fi
  [ -n "$v" ] || v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -n1)
  FERRY_JAVA_MAJOR=$v
}

# find_jdk: sets JAVA_HOME to a JDK >= 25 (JAVA_HOME first, then /usr/lib/jvm/*), or fails clearly.
find_jdk() {
  local candidate major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    java_major "$candidate"; major=$FERRY_JAVA_MAJOR
    if [ -n "$major" ] && [ "${major%%.*}" -ge "$FERRY_MIN_JAVA" ] 2>/dev/null; then
      export JAVA_HOME="$candidate"
      # Maven's bundled Guava uses sun.misc.Unsafe, which Java 25 warns about on every run.
      export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
      return 0
    fi
  done
  echo "ferry: no JDK >= $FERRY_MIN_JAVA found (looked at JAVA_HOME and /usr/lib/jvm/*); install one, e.g. apt-get install temurin-25-jdk, or set JAVA_HOME" >&2
  return 1
}

# need_packages PKG...: installs the Debian packages that are missing (needs root and apt).
need_packages() {
  local missing=() pkg
  for pkg in "$@"; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "installing ${missing[*]} with apt-get" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "ferry: need root to install ${missing[*]}; install them and run again" >&2
    return 1
  fi
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1; then
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || {
      echo "ferry: apt-get install ${missing[*]} failed" >&2; return 1; }
  fi
}

# jar_is_stale: true when the jar is missing or older than a source or the pom. One process (find,
# about 4 ms) on every command: find fails through `false` only when a file is newer, so no
# command substitution (a second fork) is needed to read its answer.
jar_is_stale() {
  [ -f "$FERRY_JAR" ] || return 0
  ! find "$FERRY_ROOT/src/main" "$FERRY_ROOT/pom.xml" -newer "$FERRY_JAR" -exec false {} + 2>/dev/null
}

# build_jar: builds target/ferry.jar (no tests), messages on stderr only.
build_jar() {
  echo "building ferry (mvn package)..." >&2
  local log
  log=$(mktemp)
  if ! (cd "$FERRY_ROOT" && mvn -B -ntp -Dstyle.color=never -DskipTests package >"$log" 2>&1); then
    grep -E "ERROR|BUILD" "$log" >&2 || cat "$log" >&2
    rm -f "$log"
    echo "ferry: build failed" >&2
    return 1
  fi
  rm -f "$log"
}

FERRY_AOT="$FERRY_ROOT/target/ferry.aot"
# The AOT cache is only used when these match between the training run and later runs. A small
# initial heap: blobs stream through 1 MiB buffers, so a pull needs little, and RSS stays near 100 MiB.
# No hsperfdata file (jps/jstat cannot list ferry): one file less to create and map per command.
FERRY_JVM_BASE="-XX:+UseSerialGC -Xms16m -XX:-UsePerfData -Xlog:aot=off -Xlog:cds=off --enable-native-access=ALL-UNNAMED"

# A second cache for the commands that only print what a registry holds (inspect, list-tags,
# history, help): trained on those alone, it loads fewer classes at start and replays only their
# profiles; these commands run for a few hundred milliseconds, start-up is most of it.
FERRY_AOT_QUERIES="$FERRY_ROOT/target/ferry-queries.aot"

# ensure_aot_cache: records target/ferry.aot and target/ferry-queries.aot from offline training runs
# when missing or older than the jar. A failure only costs start-up time, so it never stops the command.
ensure_aot_cache() {
  record_aot_cache "$FERRY_AOT"
  record_aot_cache "$FERRY_AOT_QUERIES" queries
}

# record_aot_cache FILE [queries]: records one cache unless it is newer than the jar.
record_aot_cache() {
  local out=$1 tmp="$1.$$"
  [ -f "$out" ] && [ "$out" -nt "$FERRY_JAR" ] && return 0
  # shellcheck disable=SC2086
  if "$JAVA_HOME/bin/java" -XX:AOTCacheOutput="$tmp" $FERRY_JVM_BASE -XX:TieredStopAtLevel=1 \
      -cp "$FERRY_JAR" dev.ferry.aot.AotTraining ${2:-} >/dev/null 2>&1 && [ -f "$tmp" ]; then
    mv -f "$tmp" "$out"
  else
    rm -f "$tmp"
  fi
}

# ferry_jvm_flags ARGS...: sets FERRY_JVM_FLAGS to the JVM flags for ferry's command line ARGS. C1
# alone: it starts fastest, and the hot loops of a pull (SHA-256 through OpenSSL, inflate through
# ISA-L or zlib, zstd) are native code either way. The cache's recorded profiles are not replayed:
# replay compiles every method the training run made hot, at start, before the command needs them
# (inspect 0.22 s against 0.20, a pull into a layout 0.34 s against 0.31, interleaved runs), and
# C1 alone has no use for profiles. The command is the first argument that is not an option; a
# global option's value taken for it only means the larger cache.
ferry_jvm_flags() {
  FERRY_JVM_FLAGS="$FERRY_JVM_BASE -XX:TieredStopAtLevel=1 -XX:+UnlockDiagnosticVMOptions -XX:-AOTReplayTraining"
  local cache=$FERRY_AOT arg
  for arg in "$@"; do
    case $arg in
      -*) continue ;;
      inspect|list-tags|history) cache=$FERRY_AOT_QUERIES ;;
    esac
    break
  done
  [ $# -eq 0 ] || [ "$1" = --help ] || [ "$1" = -h ] && cache=$FERRY_AOT_QUERIES
  if [ -f "$cache" ] && [ "$cache" -nt "$FERRY_JAR" ]; then
    FERRY_JVM_FLAGS="$FERRY_JVM_FLAGS -XX:AOTCache=$cache"
  fi
}
