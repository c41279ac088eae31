#!/usr/bin/env bash
# Builds one step's deployment package and prints where it is.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"

usage() {
  cat <<'USAGE'
Usage: scripts/zip.sh step-N

Builds the deployment package of a step with the Maven Wrapper and prints its path: the one jar
you upload to Lambda. Safe to run again; Maven rebuilds only what changed.
USAGE
  echo
  echo "The steps in this checkout: $(step_names)"
}

[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && { usage; exit 0; }
resolve_step "${1:-}"
require_module
(cd "$WORKBOOK_ROOT" && ./mvnw -B -q -pl "$MODULE" -am package -DskipTests >&2)
require_package
echo "$PACKAGE"
