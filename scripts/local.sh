#!/usr/bin/env bash
# Runs one step of the workbook on this machine, as Lambda would, and shows its trace.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'USAGE'
Usage: scripts/local.sh step-N [workbench run options]

Runs a step locally: the step's deployment package under the real Lambda Java runtime interface
client, a local X-Ray daemon and, for the steps that read S3, a local S3 server; for a step that
runs with AWS's OpenTelemetry layer, the OpenTelemetry Java agent as the layer starts it, and for
a step deployed with SnapStart, its checkpoint and restore. Prints the response and the trace,
and writes trace.json, trace.html and map.svg under target/workbench/step-N. Builds what is
missing or older than its sources first.

Options after the step go to 'workbench run', for example:
  --invocations N   N invocations in a row (the first cold, the rest warm)
  --event FILE      the event to send (default: {})
  --out DIR         where to write the trace files
  --verbose         show the function's log and stack traces
  --help            this help; 'scripts/local.sh step-1 --help' lists every option
USAGE
  echo
  echo "The steps in this checkout: $(step_names)"
}

if [[ $# -eq 0 || "$1" == "-h" || "$1" == "--help" ]]; then
  usage
  [[ $# -eq 0 ]] && exit 2
  exit 0
fi

resolve_step "$1"
require_module
root="$WORKBOOK_ROOT"
cd "$root"
module="$MODULE"

package="$module/target/$module-lambda.jar"
jar=workbench/target/xray-workbench.jar
stamp=workbench/target/local-build.stamp
archive=workbench/target/xray-workbench.jsa
sources=(pom.xml ./*/pom.xml ./*/src/main)
# bash32: non-empty: sources is the literal list above
if [[ ! -f "$package" || ! -f "$jar" || ! -f "$stamp" ]] \
   || [[ -n "$(find "${sources[@]}" -newer "$stamp" -type f -print -quit 2>/dev/null)" ]]; then
  echo "Building the deployment packages and the workbench (./mvnw package -DskipTests)..." >&2
  ./mvnw -B -q package -DskipTests >&2
  rm -f "$archive"
  touch "$stamp"
fi

# The workbench's own JVM starts from a Class Data Sharing archive of the classes a run loads,
# written by the first run after a build, and compiles with C1 only: it lives for seconds. The
# function's JVM is started by the workbench with Lambda's own flags.
if [[ -f "$archive" ]]; then
  cds=("-XX:SharedArchiveFile=$archive")
else
  cds=("-XX:ArchiveClassesAtExit=$archive")
fi
# bash32: non-empty: both branches above set cds
exec java -XX:TieredStopAtLevel=1 "${cds[@]}" -Xlog:cds=off -Xlog:cds+dynamic=off -jar "$jar" run --root "$root" "$@"
