#!/usr/bin/env bash
# Shows a saved trace: the workbench's trace.json or 'aws xray batch-get-traces' output.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/view.sh FILE [--html OUT.html] [--color auto|always|never]

Prints the timeline and the trace map of every trace in FILE, which is either a trace.json that
'scripts/local.sh' wrote or the JSON that 'aws xray batch-get-traces --output json' returns
(scripts/trace.sh saves one). Works in a terminal, a pipe or a file.

  --html OUT.html   also write the traces as one self-contained HTML page
  --color MODE      auto (default: colour only on a terminal), always or never
  --help            this help

On Windows, or without bash: java -jar workbench/target/xray-workbench.jar view FILE
USAGE
}

if [[ $# -eq 0 || "$1" == "-h" || "$1" == "--help" ]]; then
  usage
  [[ $# -eq 0 ]] && exit 2
  exit 0
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/workbench/target/xray-workbench.jar"
if [[ ! -f "$jar" ]]; then
  echo "Building the workbench (./mvnw package -pl workbench -am -DskipTests)..." >&2
  (cd "$root" && ./mvnw -B -q package -pl workbench -am -DskipTests >&2)
fi

exec java -XX:TieredStopAtLevel=1 -jar "$jar" view "$@"
