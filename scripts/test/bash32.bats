#!/usr/bin/env bats
# The scripts stay runnable by macOS's /bin/bash 3.2 with its BSD tools: bash32-check.sh reads
# them for what 3.2 or BSD lacks (its --help lists the rules). Bash 5 does not reproduce 3.2's
# "unbound variable" on an empty array under set -u, not even with BASH_COMPAT=3.2, so the planted
# scripts below are checked by reading, not by running; the last test also runs the array plants
# with a real bash 3.2 where it finds one (macOS's /bin/bash, or BASH32=PATH, say one built from
# bash-3.2.48's source), and is skipped elsewhere.

setup() {
  ROOT="$(cd "$BATS_TEST_DIRNAME/../.." && pwd)"
  CHECK="$BATS_TEST_DIRNAME/bash32-check.sh"
}

plant() {
  cat >"$BATS_TEST_TMPDIR/$1"
  echo "$BATS_TEST_TMPDIR/$1"
}

@test "every script passes the bash 3.2 check" {
  run "$CHECK"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "" ]
}

@test "the check itself is bash 3.2 code and answers --help" {
  run "$CHECK" "$CHECK"
  [ "$status" -eq 0 ]
  run "$CHECK" --help
  [ "$status" -eq 0 ]
  [[ "${lines[0]}" == "Usage: scripts/test/bash32-check.sh [FILE...]" ]]
}

@test "an unguarded expansion of an empty array is reported with its file and line" {
  local script
  script="$(plant empty.sh <<'SCRIPT'
#!/usr/bin/env bash
set -u
a=()
echo "${a[@]}"
SCRIPT
)"
  run "$CHECK" "$script"
  [ "$status" -eq 1 ]
  [ "${#lines[@]}" -eq 1 ]
  [[ "${lines[0]}" == "$script:4: \${a[@]}: an array that may be empty; bash before 4.4 stops with \"unbound variable\" under set -u: write \${a[@]+\"\${a[@]}\"}, or put \"# bash32: non-empty: WHY\" above the command" ]]
}

@test "the other forms of an array expansion are reported too" {
  local script
  script="$(plant forms.sh <<'SCRIPT'
#!/usr/bin/env bash
set -u
echo "${a[*]}"
for x in "${a[@]:1}"; do :; done
echo ${a[@]}
echo "${!a[@]}"
echo ${a[@]+"${b[@]}"}
SCRIPT
)"
  run "$CHECK" "$script"
  [ "$status" -eq 1 ]
  [ "${#lines[@]}" -eq 5 ]
  [[ "${lines[0]}" == "$script:3: \${a[*]}: "* ]]
  [[ "${lines[1]}" == "$script:4: \${a[@]}: "* ]]
  [[ "${lines[2]}" == "$script:5: \${a[@]}: "* ]]
  [[ "${lines[3]}" == "$script:6: \${!a[@]}: "* ]]
  [[ "${lines[4]}" == "$script:7: \${b[@]}: "* ]]
}

@test "the guard form, lengths, positional parameters and a waiver with a reason pass" {
  local script
  script="$(plant guarded.sh <<'SCRIPT'
#!/usr/bin/env bash
set -euo pipefail
a=()
echo ${a[@]+"${a[@]}"} ${a[*]+"${a[*]}"}
for x in ${a[@]+"${a[@]}"}; do echo "$x"; done
echo "${#a[@]}" "$@" "${BASH_SOURCE[0]}" "$#" "${x#y}"
regions=(eu-west-1)
# bash32: non-empty: regions starts with one element
aws lambda list-functions --regions "${regions[@]}" \
  --more "${regions[*]}"
echo "${regions[@]}" # bash32: non-empty: the same array
SCRIPT
)"
  run "$CHECK" "$script"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "" ]
}

@test "a waiver without a reason is reported and does not waive" {
  local script
  script="$(plant waiver.sh <<'SCRIPT'
#!/usr/bin/env bash
a=(x)
# bash32: non-empty
echo "${a[@]}"
SCRIPT
)"
  run "$CHECK" "$script"
  [ "$status" -eq 1 ]
  [ "${#lines[@]}" -eq 2 ]
  [[ "${lines[0]}" == "$script:3: a \"bash32: non-empty\" waiver must say why the array cannot be empty" ]]
  [[ "${lines[1]}" == "$script:4: \${a[@]}: "* ]]
}

@test "mapfile and GNU-only stat are reported with their file and line" {
  local script
  script="$(plant gnu.sh <<'SCRIPT'
#!/usr/bin/env bash
set -euo pipefail
mapfile -t lines <input.txt
size="$(stat -c %s "$file")"
sed -i 's/a/b/' "$file"
start=$(date +%s%N)
SCRIPT
)"
  run "$CHECK" "$script"
  [ "$status" -eq 1 ]
  [ "${#lines[@]}" -eq 4 ]
  [[ "${lines[0]}" == "$script:3: mapfile/readarray is bash 4.0: read lines in a while-read loop" ]]
  [[ "${lines[1]}" == "$script:4: stat -c and stat long options are GNU-only (BSD stat reads -f): for a size use wc -c <FILE" ]]
  [[ "${lines[2]}" == "$script:5: sed -i differs between GNU and BSD sed: "* ]]
  [[ "${lines[3]}" == "$script:6: date nanoseconds (%N) are GNU-only: "* ]]
}

@test "every bash 4 construct on the list is reported" {
  local script
  script="$(plant bash4.sh <<'SCRIPT'
#!/usr/bin/env bash
declare -A map
local -n ref=map
echo "${x,,}"
echo "${x@Q}"
make |& tee log
make &>>log
case $x in a) echo ;& b) echo ;;& esac
[[ -v x ]]
echo "${a[-1]}"
coproc worker
wait -n
echo "$EPOCHREALTIME"
exec {fd}>log
shopt -s globstar
printf '%(%F)T\n' -1
SCRIPT
)"
  run "$CHECK" "$script"
  [ "$status" -eq 1 ]
  local line
  for line in 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16; do
    [[ "$output" == *"$script:$line: "* ]]
  done
}

@test "comments, usage text in here-documents and single-quoted text are not reported" {
  local script
  script="$(plant quiet.sh <<'SCRIPT'
#!/usr/bin/env bash
set -euo pipefail
# stat -c %s and mapfile and "${a[@]}" in a comment
usage() {
  cat <<'USAGE'
Usage: quiet.sh -- prints "${a[@]}", runs mapfile, stat -c %s, date -d now
USAGE
}
echo 'mapfile "${a[@]}" stat -c' # and stat -c here
awk '{ print length($0) }' "$0"
SCRIPT
)"
  run "$CHECK" "$script"
  echo "$output"
  [ "$status" -eq 0 ]
}

@test "bad input is one line and exit 2" {
  run "$CHECK" "$BATS_TEST_TMPDIR/missing.sh"
  [ "$status" -eq 2 ]
  [ "$output" = "bash32-check.sh: no such file: $BATS_TEST_TMPDIR/missing.sh" ]
  run "$CHECK" --strict
  [ "$status" -eq 2 ]
  [ "$output" = "bash32-check.sh: unknown option '--strict' (see --help)" ]
}

@test "GNU-only options are reported after if, elif, while, until, ! and a case pattern" {
  local script
  script="$(plant keywords.sh <<'SCRIPT'
#!/usr/bin/env bash
if stat -c %s "$f"; then :
elif stat -c %s "$g"; then :
fi
while date -d now; do break; done
until sed -i 's/a/b/' "$f"; do break; done
if ! grep -P x "$f"; then :; fi
case $x in a) readlink -f "$f" ;; esac
if nproc; then :; fi
SCRIPT
)"
  run "$CHECK" "$script"
  echo "$output"
  [ "$status" -eq 1 ]
  [ "${#lines[@]}" -eq 7 ]
  [[ "${lines[0]}" == "$script:2: stat -c and stat long options are GNU-only "* ]]
  [[ "${lines[1]}" == "$script:3: stat -c and stat long options are GNU-only "* ]]
  [[ "${lines[2]}" == "$script:5: date -d and date long options are GNU-only"* ]]
  [[ "${lines[3]}" == "$script:6: sed -i differs between GNU and BSD sed"* ]]
  [[ "${lines[4]}" == "$script:7: grep -P is GNU-only"* ]]
  [[ "${lines[5]}" == "$script:8: readlink -f/-e/-m are GNU"* ]]
  [[ "${lines[6]}" == "$script:9: timeout, tac and nproc are GNU coreutils"* ]]
}

@test "the portable forms pass after if, elif, while, until and a case pattern" {
  local script
  script="$(plant portable-keywords.sh <<'SCRIPT'
#!/usr/bin/env bash
if stat -f %z "$f"; then :
elif wc -c <"$g"; then :
fi
while date -r 0 +%s; do break; done
until sed -E 's/a+/b/' "$f" >"$f.new"; do break; done
if ! grep -E x "$f"; then :; fi
case $x in a) cd "$(dirname "$f")" && pwd ;; esac
gif stat -c
SCRIPT
)"
  run "$CHECK" "$script"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "" ]
}

@test "an unquoted here-document, which bash expands, is read for expansions and commands" {
  local script
  script="$(plant unquoted.sh <<'SCRIPT'
#!/usr/bin/env bash
set -u
a=()
cat <<EOF
It's "quoted" text, with ${a[@]} in it
EOF
text="$(cat <<-EOF
	size $(stat -c %s "$0")
	EOF
)"
cat <<EOF; cat <<'QUOTED'
${a[*]}
EOF
${a[*]} in the second, quoted body
QUOTED
echo "${text}"
SCRIPT
)"
  run "$CHECK" "$script"
  echo "$output"
  [ "$status" -eq 1 ]
  [ "${#lines[@]}" -eq 3 ]
  [[ "${lines[0]}" == "$script:5: \${a[@]}: an array that may be empty; "* ]]
  [[ "${lines[1]}" == "$script:8: stat -c and stat long options are GNU-only "* ]]
  [[ "${lines[2]}" == "$script:12: \${a[*]}: an array that may be empty; "* ]]
}

@test "a quoted here-document is not expanded and passes, and so do the safe forms in an unquoted one" {
  local script
  script="$(plant quoted.sh <<'SCRIPT'
#!/usr/bin/env bash
set -u
a=()
cat <<'EOF'
${a[@]} $(stat -c %s "$0") mapfile
EOF
cat <<"EOF"
${a[@]}
EOF
cat <<\EOF
${a[@]}
EOF
cat <<EOF
It's plain text: stat -c %s, date -d now, mapfile, \${a[@]}, "${a[@]+"${a[@]}"}" ${a[@]:-none}
$(wc -c <"$0") $((1 + 2)) ${#a[@]} $HOME
EOF
# bash32: non-empty: a waiver above the command covers its here-document
cat <<EOF
${a[@]}
EOF
echo "${a[@]+"${a[@]}"}"
SCRIPT
)"
  run "$CHECK" "$script"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "" ]
}

@test "the default-value forms and an escaped \$ pass, other operators on an array are still reported" {
  local script
  script="$(plant defaults.sh <<'SCRIPT'
#!/usr/bin/env bash
set -u
a=()
echo "${a[@]:-}" "${a[@]-}" "${a[*]:-none}" ${a[@]:+"${a[@]}"}
echo "\${a[@]}" \${a[*]} "use \${a[@]+\"\${a[@]}\"}"
SCRIPT
)"
  run "$CHECK" "$script"
  echo "$output"
  [ "$status" -eq 0 ]
  [ "$output" = "" ]

  script="$(plant operators.sh <<'SCRIPT'
#!/usr/bin/env bash
set -u
a=()
echo "${a[@]:1}"
echo "${a[@]#x}"
echo "${a[@]:-"${a[@]}"}"
echo \\${a[@]}
SCRIPT
)"
  run "$CHECK" "$script"
  echo "$output"
  [ "$status" -eq 1 ]
  [ "${#lines[@]}" -eq 4 ]
  [[ "${lines[0]}" == "$script:4: \${a[@]}: "* ]]
  [[ "${lines[1]}" == "$script:5: \${a[@]}: "* ]]
  [[ "${lines[2]}" == "$script:6: \${a[@]}: "* ]]
  [[ "${lines[3]}" == "$script:7: \${a[@]}: "* ]]
}

# A bash 3.2 to run plants with: $BASH32, or /bin/bash where it is 3.2, as on macOS.
bash32() {
  local candidate
  for candidate in "${BASH32:-}" /bin/bash; do
    [[ -n "$candidate" && -x "$candidate" ]] || continue
    if [[ "$("$candidate" -c 'echo "${BASH_VERSINFO[0]}.${BASH_VERSINFO[1]}"')" == 3.2 ]]; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}

# A plant for bash32 to run: set -u and an empty array a, then the case from stdin.
case_plant() {
  { printf '#!/usr/bin/env bash\nset -u\na=()\n'; cat; } >"$BATS_TEST_TMPDIR/$1.sh"
}

@test "on a real bash 3.2 the array plants stop or run as the check says (BASH32=PATH, or macOS)" {
  local b32 plant verdict ran
  b32="$(bash32)" || skip "no bash 3.2 here: macOS's /bin/bash is one, or set BASH32 to one"
  case_plant fail-at <<'CASE'
echo "${a[@]}"
CASE
  case_plant fail-star <<'CASE'
echo "[${a[*]}]"
CASE
  case_plant fail-unquoted-heredoc <<'CASE'
cat <<EOF
${a[@]}
EOF
CASE
  case_plant pass-defaults <<'CASE'
echo "${a[@]:-}" "${a[@]-}" "${a[*]:-none}" ${a[@]+"${a[@]}"} ${a[@]:+"${a[@]}"} "${#a[@]}" "$@"
CASE
  case_plant pass-escaped <<'CASE'
echo "\${a[@]}" \${a[*]}
CASE
  case_plant pass-quoted-heredocs <<'CASE'
cat <<'EOF'
${a[@]}
EOF
cat <<"EOF"
${a[@]}
EOF
cat <<\EOF
${a[@]}
EOF
cat <<EOF
\${a[@]} ${a[@]:-} it's "plain" text
EOF
CASE
  for plant in "$BATS_TEST_TMPDIR"/fail-*.sh "$BATS_TEST_TMPDIR"/pass-*.sh; do
    verdict=pass
    "$CHECK" "$plant" >/dev/null || verdict=fail
    ran=pass
    "$b32" "$plant" >/dev/null 2>&1 || ran=fail
    echo "$plant: the check says $verdict, bash 3.2 did $ran"
    [ "$verdict" = "$ran" ]
    [[ "$plant" == */"$verdict"-* ]]
  done
  run "$b32" "$CHECK" "$CHECK"
  [ "$status" -eq 0 ]
}
