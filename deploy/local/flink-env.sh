# Sourced by the scripts beside it: where things are, how to run Java, the Flink classpath and ports.
# shellcheck shell=bash

OCS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export FLINK_CONF_DIR="${FLINK_CONF_DIR:-$OCS_ROOT/flink-conf}"
# Pid files, logs and the cached classpath. Several clusters can run side by side with different run dirs.
OCS_RUN_DIR="${OCS_RUN_DIR:-$OCS_ROOT/target/flink-local}"
# Ports of this cluster; the defaults are flink-conf/config.yaml's.
FLINK_REST_PORT="${FLINK_REST_PORT:-8081}"
FLINK_RPC_PORT="${FLINK_RPC_PORT:-6123}"

# What Flink's own config.yaml passes as env.java.opts.all: Flink and its libraries reflect into
# these JDK packages, which Java 17 closes by default.
FLINK_JAVA_OPENS=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

ocs_die() {
  echo "ERROR: $*" >&2
  exit 1
}

ocs_log() {
  echo "[$(date +%H:%M:%S)] $*"
}

# Sets JAVA to a Java 11+ binary, or stops with what to install.
ocs_require_java() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    JAVA="$JAVA_HOME/bin/java"
  elif command -v java >/dev/null 2>&1; then
    JAVA="$(command -v java)"
  else
    ocs_die "Java not found. Flink 1.20 needs Java 11 or 17: install one (e.g. 'apt-get install openjdk-17-jdk-headless') or set JAVA_HOME."
  fi
  local version major
  version="$("$JAVA" -version 2>&1 | sed -n 1p | sed -E 's/.*version "([^"]+)".*/\1/')"
  major="${version%%.*}"
  [ "$major" = "1" ] && major="$(echo "$version" | cut -d. -f2)"
  if ! [ "$major" -ge 11 ] 2>/dev/null; then
    ocs_die "$JAVA is Java '$version'; Flink 1.20 needs Java 11 or 17. Set JAVA_HOME to a newer JDK."
  fi
}

ocs_require_curl() {
  command -v curl >/dev/null 2>&1 || ocs_die "curl not found; the scripts use it to talk to Flink's REST API (apt-get install curl)."
}

# Sets FLINK_CLASSPATH: the jars of $FLINK_HOME/lib when a distribution is installed, otherwise the
# runtime assembled from Maven Central by deploy/local/runtime/pom.xml (resolved once, then cached).
ocs_flink_classpath() {
  if [ -n "${FLINK_HOME:-}" ]; then
    [ -d "$FLINK_HOME/lib" ] || ocs_die "FLINK_HOME=$FLINK_HOME has no lib/ folder; unset it to use the Maven-assembled runtime."
    FLINK_CLASSPATH="$FLINK_HOME/lib/*"
    export FLINK_PLUGINS_DIR="${FLINK_PLUGINS_DIR:-$FLINK_HOME/plugins}"
    return
  fi
  local pom="$OCS_ROOT/deploy/local/runtime/pom.xml"
  # Shared by every run dir: resolving takes a while and depends only on the pom.
  local cached="$OCS_ROOT/target/flink-runtime.classpath"
  if [ ! -s "$cached" ] || [ "$pom" -nt "$cached" ]; then
    command -v mvn >/dev/null 2>&1 || ocs_die "Neither FLINK_HOME nor Maven (mvn) is available to provide Flink's runtime."
    mkdir -p "$OCS_RUN_DIR" "$OCS_ROOT/target"
    ocs_log "Resolving Flink's runtime from Maven (deploy/local/runtime/pom.xml) ..."
    mvn -B -q -f "$pom" dependency:build-classpath -Dmdep.outputFile="$cached.tmp" >"$OCS_RUN_DIR/flink-runtime-resolve.log" 2>&1 \
      || { cat "$OCS_RUN_DIR/flink-runtime-resolve.log" >&2; ocs_die "Could not resolve Flink's runtime from Maven."; }
    mv "$cached.tmp" "$cached"
  fi
  FLINK_CLASSPATH="$(cat "$cached")"
  # Flink looks for optional plugins there; an empty folder keeps it from warning that there is none.
  mkdir -p "$OCS_RUN_DIR/plugins"
  export FLINK_PLUGINS_DIR="${FLINK_PLUGINS_DIR:-$OCS_RUN_DIR/plugins}"
}

# True when something listens on 127.0.0.1:$1.
ocs_port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

ocs_require_free_port() {
  local port="$1" what="$2" variable="$3"
  if ocs_port_in_use "$port"; then
    local holder=""
    command -v ss >/dev/null 2>&1 && holder="$(ss -ltnpH "sport = :$port" 2>/dev/null | sed -nE 's/.*users:\(\("([^"]+)",pid=([0-9]+).*/ (held by \1, pid \2)/p' | sed -n 1p)"
    ocs_die "Port $port ($what) is already in use$holder. Stop whatever holds it (another Flink cluster? 'deploy/local/stop-cluster.sh'), or choose another port: $variable=<port> $0"
  fi
}

# A port nothing listens on yet, from a range clear of Flink's defaults and of ephemeral ports.
ocs_free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$((20000 + RANDOM % 20000))
    ocs_port_in_use "$port" || { echo "$port"; return; }
  done
  ocs_die "found no free port"
}

ocs_rest_url() {
  echo "http://localhost:$FLINK_REST_PORT"
}
