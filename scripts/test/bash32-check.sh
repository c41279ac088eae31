#!/usr/bin/env bash
# Reports what in the workbook's shell scripts would break on macOS's bash 3.2 and BSD tools.
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: scripts/test/bash32-check.sh [FILE...]

Scans bash scripts for what bash 3.2 (macOS's /bin/bash) or the BSD tools of macOS do not have,
and prints one line per finding, FILE:LINE: what and what to do instead. Exits 1 when it finds
anything, 0 when the files are clean, 2 on bad input. Without FILE it scans scripts/*.sh,
scripts/lib/*.sh, scripts/test/*.sh and .ci/run of this checkout.

What it reports:
  - "${a[@]}", "${a[*]}", "${a[@]:n:m}", "${a[@]#x}" and the like, and "${!a[@]}": under
    set -u, bash before 4.4 stops with "unbound variable" when the array has no elements.
    Write the guard form ${a[@]+"${a[@]}"} instead, or, where the array cannot be empty, put a
    comment line
      # bash32: non-empty: WHY
    right above the command (it covers the command's continuation lines and here-documents
    too), or the same comment at the end of the line. A waiver without a reason is reported.
    Not reported, because bash 3.2 handles them: ${#a[@]}, the guard, ${a[@]:+WORD}, the
    default forms ${a[@]:-WORD} and ${a[@]-WORD} (note that "${a[@]:-}" gives one empty
    word for an empty array, where the guard gives none), and an escaped \${a[@]}.
  - bash 4 and later: mapfile/readarray, declare/local/typeset -A -n -g -l -u, ${x,,} ${x^^}
    ${x,} ${x^}, ${x@Q} and the other @ transformations, |&, &>>, ;& and ;;& in case, [[ -v,
    negative subscripts ${a[-1]}, negative substring lengths ${x:1:-1}, coproc, wait -n,
    $EPOCHREALTIME $EPOCHSECONDS $BASHPID $BASH_ARGV0, {fd}> redirections, shopt globstar,
    lastpipe and inherit_errexit, printf's %(...)T.
  - GNU-only tool options: stat -c and stat's long options, date -d and date's long options,
    date's %N, sed -i in any form (BSD sed needs a suffix argument that GNU sed reads as the
    script; write to a temporary file instead), sed -r (use -E), base64 -w, readlink -f/-e/-m
    (not on macOS before 12.3), grep -P, find -printf, cp and mktemp long options, head -c/-n
    with a negative count, and the commands timeout, tac and nproc, which macOS does not have.
    Not reported, because macOS has them: seq -s, xargs -r, sort -V, date -r.

How it reads a script, and where it can be wrong:
  - Comments (a # that starts a word, outside quotes) and the bodies of quoted here-documents
    (<<'EOF', <<"EOF", <<\EOF), which bash does not expand, are not scanned, so usage text
    there never counts. In the body of an unquoted here-document (<<EOF), bash expands $name,
    ${...}, $( ) and $(( )): those are scanned, the text around them is not. Text in single
    quotes is not scanned either, except by the date and printf format rules. Text in double
    quotes is scanned, since expansions live there: a double-quoted message that spells one of
    the constructs is reported too.
  - It is a line-based reader, not a bash parser: it follows quotes, $( ) and here-documents
    across lines, but a case pattern's ) inside $( ) can confuse it, backquotes are not
    followed, and a tool is recognised only where a command starts: at the start of a line,
    after ; & | ( ) ! {, after if elif while until then do else, or after xargs, command,
    exec, env, time and sudo.
  - It cannot tell whether an array is empty: that is what the waiver comment is for.
  - The array rules were tried on bash 3.2.48 built from its source (bash32.bats runs its
    array plants with a bash 3.2 where it finds one: macOS's /bin/bash, or BASH32=PATH); the
    rest comes from bash's NEWS and CHANGES. Bash 5 does not reproduce 3.2's unbound-variable
    error. Bash 3.2 itself runs ${a[@]:1}, ${a[@]#x} and ${a[@]/x/y} on an empty array; they
    are reported because bash 4.2 and 4.3 (4.2 is CentOS 7's) stop on them.

  --help   show this help
USAGE
}

files=()
for arg in "$@"; do
  case "$arg" in
    -h|--help) usage; exit 0 ;;
    -*) echo "bash32-check.sh: unknown option '$arg' (see --help)" >&2; exit 2 ;;
    *)
      [[ -f "$arg" ]] || { echo "bash32-check.sh: no such file: $arg" >&2; exit 2; }
      files+=("$arg")
      ;;
  esac
done
if ((${#files[@]} == 0)); then
  cd "$(dirname "${BASH_SOURCE[0]}")/../.."
  for f in scripts/*.sh scripts/lib/*.sh scripts/test/*.sh .ci/run; do
    [[ -f "$f" ]] && files+=("$f")
  done
  ((${#files[@]} > 0)) || { echo "bash32-check.sh: no scripts found under $(pwd)" >&2; exit 2; }
fi

# The reader is POSIX awk (no gawk extensions), so that it runs with macOS's awk too.
# bash32: non-empty: both branches above leave at least one file, or exit
awk '
function report(msg) {
  printf "%s:%d: %s\n", FILENAME, FNR, msg
  found++
}

# Splits line into code (comment removed; single-quoted text blanked), raw (comment removed,
# quotes kept) and comment, following the quoting state, which can span lines.
function lex(line,    i, n, c, nx, top, prev, brace, name) {
  code = ""; raw = ""; comment = ""
  brace = 0; name = 0
  n = length(line)
  for (i = 1; i <= n; i++) {
    c = substr(line, i, 1)
    nx = substr(line, i + 1, 1)
    top = stack[depth]
    if (top == "H") {
      # The body of an unquoted here-document: bash expands $name, ${...}, $( ) and $(( ))
      # there and nothing else (quotes are plain text), so only those are kept.
      if (brace > 0) {
        if (c == "\\") { code = code c nx; raw = raw c nx; i++; continue }
        if (c == "{") brace++
        else if (c == "}") brace--
        code = code c; raw = raw c
        continue
      }
      if (c == "\\") { code = code "  "; raw = raw "  "; i++; name = 0; continue }
      if (c == "$" && nx == "(") { stack[++depth] = "C"; parens[depth] = 0; code = code c nx; raw = raw c nx; i++; continue }
      if (c == "$" && nx == "{") { brace = 1; code = code c nx; raw = raw c nx; i++; continue }
      if (c == "$") { name = 1; code = code c; raw = raw c; continue }
      if (name && c ~ /[A-Za-z0-9_]/) { code = code c; raw = raw c; continue }
      name = 0
      code = code " "; raw = raw " "
      continue
    }
    if (top == "S") {
      if (c == "\047") { depth--; code = code c } else code = code " "
      raw = raw c
      continue
    }
    if (top == "A") {
      if (c == "\\") { code = code "  "; raw = raw c nx; i++; continue }
      if (c == "\047") { depth--; code = code c } else code = code " "
      raw = raw c
      continue
    }
    # An escaped $ is a plain character: \${a[@]} expands nothing.
    if (c == "\\") { code = code ((nx == "$") ? "  " : c nx); raw = raw c nx; i++; continue }
    if (top == "D") {
      if (c == "\"") depth--
      else if (c == "$" && nx == "(") { stack[++depth] = "C"; parens[depth] = 0; code = code c nx; raw = raw c nx; i++; continue }
      code = code c; raw = raw c
      continue
    }
    # Unquoted: the top level or inside $( ).
    prev = (i > 1) ? substr(line, i - 1, 1) : ""
    if (c == "#" && (i == 1 || prev ~ /[ \t;&|()]/)) { comment = substr(line, i + 1); break }
    if (c == "\047") {
      if (prev == "$") stack[++depth] = "A"; else stack[++depth] = "S"
    } else if (c == "\"") {
      stack[++depth] = "D"
    } else if (c == "$" && nx == "(") {
      stack[++depth] = "C"; parens[depth] = 0; code = code c nx; raw = raw c nx; i++; continue
    } else if (c == "(" && top == "C") {
      parens[depth]++
    } else if (c == ")" && top == "C") {
      if (parens[depth] > 0) parens[depth]--; else depth--
    } else if (c == "<" && nx == "<" && substr(line, i + 2, 1) != "<" && prev != "<" && !in_body) {
      heredoc(substr(line, i + 2))
    }
    code = code c; raw = raw c
  }
}

# Queues the delimiter of a here-document that starts on this line; its body starts next line.
# A delimiter with any quoting in it (<<"EOF", <<\EOF, or in single quotes) leaves the body
# unexpanded.
function heredoc(rest,    strip, word) {
  strip = 0
  if (substr(rest, 1, 1) == "-") { strip = 1; rest = substr(rest, 2) }
  sub(/^[ \t]*/, "", rest)
  if (!match(rest, /^["\047\\]?[A-Za-z_][^ \t;&|<>()]*/)) return
  word = substr(rest, RSTART, RLENGTH)
  hd_quoted[++hd_count] = (word ~ /["\047\\]/)
  gsub(/["\047\\]/, "", word)
  hd_word[hd_count] = word
  hd_strip[hd_count] = strip
}

# Starts reading the body of the next queued here-document.
function body() {
  in_body = 1
  hd_depth = depth
  if (!hd_quoted[hd_next]) stack[++depth] = "H"
}

# The position of the } that closes the ${ at position start of s, or 0.
function closing(s, start,    i, level, c) {
  level = 0
  for (i = start; i <= length(s); i++) {
    c = substr(s, i, 1)
    if (c == "{") level++
    else if (c == "}") { level--; if (level == 0) return i }
  }
  return 0
}

# Reports the array expansions that stop bash before 4.4 under set -u when the array is empty.
# Bash 3.2 raises "unbound variable" for an unset value only where no operator supplies one:
# ${a[@]+WORD} and ${a[@]-WORD} (and := ?, with or without the colon) are safe, and WORD of a +
# is expanded only when the array has elements, so the ${a[@]} inside the guard is safe too.
function arrays(s,    rest, offset, at, m, name, op, end, guard_name, guard_end) {
  rest = s; offset = 0; guard_name = ""; guard_end = 0
  while (match(rest, /\$\{!?[A-Za-z_][A-Za-z0-9_]*\[[@*]\]/)) {
    at = offset + RSTART
    m = substr(rest, RSTART, RLENGTH)
    name = m; sub(/^\$\{!?/, "", name); sub(/\[.*/, "", name)
    op = substr(s, at + RLENGTH, 1)
    if (op == ":") op = substr(s, at + RLENGTH + 1, 1)
    offset = at + RLENGTH - 1
    rest = substr(s, offset + 1)
    if (at < guard_end && name == guard_name) continue
    if (op ~ /^[-+=?]$/ && substr(m, 3, 1) != "!") {
      if (op == "+") {
        end = closing(s, at + 1)
        if (end > 0) { guard_name = name; guard_end = end }
      }
      continue
    }
    if (!waived)
      report(m "}: an array that may be empty; bash before 4.4 stops with \"unbound variable\" under set -u: write ${" name "[@]+\"${" name "[@]}\"}, or put \"# bash32: non-empty: WHY\" above the command")
  }
}

# Where a command starts: at the start of the line, after ; & | ( ) ! { (the ) of a case pattern
# too), or after a keyword or a command that runs the next word as a command.
function starts(name) {
  return "(^|[;&|()!{]|(^|[^A-Za-z0-9_.$/-])(if|elif|while|until|then|do|else|xargs|command|exec|env|time|sudo)[ \t])[ \t]*" name
}

# Whether the tool name starts a command in s, followed by text that matches options.
function tool(s, name, options) {
  return s ~ (starts(name) "([ \t]" options ")")
}

# Whether the command name starts a command in s, with or without arguments.
function command(s, name) {
  return s ~ (starts(name) "([ \t;&|)]|$)")
}

function rules(code, raw,    decl, opts) {
  arrays(code)
  if (command(code, "(mapfile|readarray)"))
    report("mapfile/readarray is bash 4.0: read lines in a while-read loop")
  if (match(code, /(^|[^A-Za-z0-9_-])(declare|typeset|local|readonly)([ \t]+-[A-Za-z]+)+/)) {
    decl = substr(code, RSTART, RLENGTH)
    opts = decl; gsub(/[^ \t]*(declare|typeset|local|readonly)/, "", opts); gsub(/[ \t-]/, "", opts)
    if (opts ~ /A/) report("associative arrays (declare -A) are bash 4.0")
    if (opts ~ /n/) report("namerefs (declare -n, local -n) are bash 4.3")
    if (opts ~ /g/) report("declare -g is bash 4.2")
    if (opts ~ /[lu]/) report("the -l and -u case attributes are bash 4.0: convert with tr")
  }
  if (code ~ /\$\{[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])?(\^|,)/)
    report("case-changing expansion (${x,,} ${x^^} ${x,} ${x^}) is bash 4.0: convert with tr")
  if (code ~ /\$\{[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])?@[A-Za-z]\}/)
    report("the ${x@Q} family of transformations is bash 4.4")
  if (code ~ /\|&/) report("|& is bash 4.0: write 2>&1 |")
  if (code ~ /&>>/) report("&>> is bash 4.0: write >>FILE 2>&1")
  if (code ~ /;;&/ || code ~ /(^|[^;&])[ \t]*;&/) report(";& and ;;& in case are bash 4.0")
  if (code ~ /(\[\[|\[|(^|[^A-Za-z0-9_-])test)[ \t]+-v[ \t]/)
    report("test -v is bash 4.2: test ${x+set} instead")
  if (code ~ /\$\{[A-Za-z_][A-Za-z0-9_]*\[-[0-9$]/ || code ~ /(^|[^A-Za-z0-9_])[A-Za-z_][A-Za-z0-9_]*\[-[0-9]+\]=/)
    report("negative array subscripts are bash 4.2 (4.3 for assignments): use ${a[${#a[@]}-1]}")
  if (code ~ /\$\{[A-Za-z_][A-Za-z0-9_]*(\[[^]]*\])?:[^:}]*:[ \t]*-[0-9]/)
    report("a negative length in ${x:offset:length} is bash 4.2")
  if (command(code, "coproc")) report("coproc is bash 4.0")
  if (tool(code, "wait", "+-[A-Za-z]*n")) report("wait -n is bash 4.3")
  if (code ~ /\$\{?(EPOCHREALTIME|EPOCHSECONDS|BASHPID|BASH_ARGV0)/)
    report("$EPOCHREALTIME, $EPOCHSECONDS, $BASHPID and $BASH_ARGV0 are bash 4 and 5")
  if (code ~ /(^|[^$A-Za-z0-9_])\{[A-Za-z_][A-Za-z0-9_]*\}[<>]/)
    report("{var}> redirections that pick a free descriptor are bash 4.1")
  if (tool(code, "shopt", "+[^;&|]*(globstar|lastpipe|inherit_errexit)"))
    report("shopt globstar is bash 4.0, lastpipe 4.2, inherit_errexit 4.4")
  if (tool(raw, "printf", "+[^;&|]*%[-0-9]*\\([^)]*\\)T"))
    report("printf %(...)T is bash 4.2: use date")

  if (tool(code, "stat", "+([^;&|]*[ \t])?(-[A-Za-z]*c|--[a-z])"))
    report("stat -c and stat long options are GNU-only (BSD stat reads -f): for a size use wc -c <FILE")
  if (tool(code, "date", "+([^;&|]*[ \t])?(-[A-Za-z]*d|--[a-z])"))
    report("date -d and date long options are GNU-only: BSD date parses with -j -f")
  if (tool(raw, "date", "+[^;&|]*%[-0-9]*N"))
    report("date nanoseconds (%N) are GNU-only: BSD date prints a literal N; use perl or python3 for milliseconds")
  if (tool(code, "sed", "+([^;&|]*[ \t])?(-[A-Za-z]*i|--in-place)"))
    report("sed -i differs between GNU and BSD sed: write to a temporary file and move it")
  if (tool(code, "sed", "+([^;&|]*[ \t])?-[A-Za-z]*r"))
    report("sed -r is GNU: sed -E works with both")
  if (tool(code, "base64", "+([^;&|]*[ \t])?(-[A-Za-z]*w|--wrap)"))
    report("base64 -w is GNU-only (BSD base64 breaks lines with -b)")
  if (tool(code, "readlink", "+([^;&|]*[ \t])?-[A-Za-z]*[efm]"))
    report("readlink -f/-e/-m are GNU (macOS has -f only since 12.3): use cd \"$(dirname F)\" && pwd")
  if (tool(code, "grep", "+([^;&|]*[ \t])?(-[A-Za-z]*P|--perl)"))
    report("grep -P is GNU-only: use grep -E")
  if (tool(code, "find", "[^;&|]*-printf"))
    report("find -printf is GNU-only")
  if (tool(code, "cp", "+([^;&|]*[ \t])?--[a-z]"))
    report("cp long options are GNU-only")
  if (tool(code, "mktemp", "+([^;&|]*[ \t])?--[a-z]"))
    report("mktemp long options are GNU-only")
  if (tool(code, "head", "+([^;&|]*[ \t])?-[cn][ \t]*-[0-9]"))
    report("head with a negative count is GNU-only")
  if (command(code, "(timeout|tac|nproc)"))
    report("timeout, tac and nproc are GNU coreutils: macOS has none of them")
}

FNR == 1 { depth = 0; hd_count = 0; hd_next = 1; in_body = 0; pending = 0; continued = 0; waived = 0; line_waived = 0 }

{
  line = $0
  if (in_body) {
    probe = line
    if (hd_strip[hd_next]) sub(/^\t*/, "", probe)
    if (probe == hd_word[hd_next]) {
      depth = hd_depth
      in_body = 0
      if (++hd_next <= hd_count) body()
      next
    }
    if (hd_quoted[hd_next]) next
    # The body of an unquoted here-document: its expansions belong to the command that reads it,
    # and so does the waiver of that command.
    lex(line)
    if (code !~ /^[ \t]*$/) {
      saved = waived; waived = line_waived
      rules(code, raw)
      waived = saved
    }
    next
  }
  lex(line)
  has_code = (code !~ /^[ \t]*$/)
  is_waiver = (comment ~ /^[ \t]*bash32:[ \t]*non-empty/)
  if (is_waiver && comment !~ /non-empty[:;,]?[ \t]+[^ \t]/) {
    report("a \"bash32: non-empty\" waiver must say why the array cannot be empty")
    is_waiver = 0
  }
  if (!has_code) {
    if (is_waiver) pending = 1
    next
  }
  if (!continued) { waived = pending; pending = 0 }
  line_waived = waived || is_waiver
  saved = waived; waived = line_waived
  rules(code, raw)
  waived = saved
  continued = (raw ~ /\\$/ || depth > 0)
  if (hd_next <= hd_count) body()
}

END { exit(found > 0) }
' "${files[@]}"
