#!/usr/bin/env python3
"""Checks the workbook user's IAM policy against the AWS CLI calls the scripts make.

Usage: iam_policy_check.py [--root DIR] [--policy FILE] [--table FILE] [--stack-policy FILE]
                           [--stack-table FILE] [SCRIPT...]

Reads every `aws SERVICE OPERATION` the scripts run (directly, or through the aws_run, aws_read
and aws_probe wrappers of scripts/lib/common.sh), looks each up in the table of CLI commands and
IAM actions (scripts/test/cli-actions.tsv), and checks the policy
(scripts/iam/workbook-user-policy.json) against it:

  1. every command the scripts run has a row in the table;
  2. every action of every row is allowed by a statement of the policy (Action patterns only:
     resources and conditions are for the reader and for AWS, see 5);
  3. every row is used by a script, unless its note starts with "printed:" (a command the
     scripts print for the reader to run);
  4. the policy allows nothing that no row needs;
  5. only the actions that AWS cannot narrow to a resource have Resource "*", and every other
     statement names the workbook's resources (xray-workbook-...).

The CloudFormation actions (rows whose actions are cloudformation:...) belong to the second policy,
scripts/iam/workbook-stack-policy.json, which a reader attaches besides the first to deploy steps
as stacks (deploy-stack.sh), and never to the first. CloudFormation also acts with the caller's
rights when it makes a stack's resources; what it calls for each resource type the templates make
is the second table (scripts/test/stack-resource-actions.tsv), each row an example of the
resource it acts on. So, for the second policy:

  6. every action of every row of the second table is allowed on the row's resource, by the
     first policy or the second (here Resource counts: a role the stack makes is not the role
     deploy.sh makes);
  7. the second policy allows nothing that neither a CloudFormation row nor a row of the second
     table needs on a resource its statement names, and 5 holds for it too.

Without SCRIPT it reads scripts/*.sh and scripts/lib/common.sh under DIR (default: the checkout
this file is in). Prints one line per problem and exits 1, or exits 0 when there is none.

The reader follows quotes, comments, $( ) and here-documents well enough for these scripts; it
is not a bash parser. A call whose service or operation is not a literal word is reported as
unreadable, except the wrappers' own `aws "$@"`.
"""

import argparse
import fnmatch
import json
import pathlib
import re
import sys

# Actions whose Service Authorization Reference entry has no resource type: a policy can grant
# them only on "*".
UNSCOPED = {
    "lambda:ListFunctions",
    "s3:ListAllMyBuckets",
    "logs:DescribeLogGroups",
    "xray:GetTraceSummaries",
    "xray:BatchGetTraces",
    "xray:GetTraceSegmentDestination",
    "ec2:DescribeRegions",
    "cloudformation:ListStacks",
    # AWS grants it on "*", narrowed by the condition key lambda:FunctionArn (SAR), which a
    # statement allowing it must name the workbook's functions with (NARROWED_BY).
    "lambda:CreateEventSourceMapping",
}

# Unscoped actions that a statement may allow only with a condition on the key, naming the
# workbook's resources.
NARROWED_BY = {"lambda:CreateEventSourceMapping": "lambda:FunctionArn"}

# The AWS CLI's global options that take a value, which may come before the service.
GLOBAL_WITH_VALUE = {
    "--region", "--output", "--profile", "--endpoint-url", "--query", "--color", "--ca-bundle",
    "--cli-read-timeout", "--cli-connect-timeout", "--cli-binary-format",
}

WRAPPERS = {"aws": 0, "aws_run": 0, "aws_read": 1, "aws_probe": 1}  # words before the service

CALL = re.compile(r"(?<![\w./-])(aws_run|aws_read|aws_probe|aws)(?=\s)")
LITERAL = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def code_lines(text):
    """Yields (line number, code) with comments and here-document bodies removed and the text of
    quoted strings blanked (the quotes stay; so does "$@"); command substitutions inside double
    quotes stay code."""
    stack = []  # "S" single quotes, "D" double quotes, "C" $( ), with paren depth for C
    depth_parens = []
    heredocs = []
    body = None
    for number, line in enumerate(text.splitlines(), 1):
        if body is not None:
            word, strip = body
            probe = line.lstrip("\t") if strip else line
            if probe == word:
                body = heredocs.pop(0) if heredocs else None
            yield number, ""
            continue
        out = []
        i = 0
        while i < len(line):
            c = line[i]
            nx = line[i + 1] if i + 1 < len(line) else ""
            top = stack[-1] if stack else "N"
            if top == "S":
                if c == "'":
                    stack.pop()
                out.append(c if c == "'" else " ")
                i += 1
                continue
            if c == "\\":
                out.append("  " if top == "D" else c + nx)
                i += 2
                continue
            if top == "D":
                if c == '"':
                    stack.pop()
                    out.append(c)
                elif c == "$" and nx == "@":
                    out.append("$@")
                    i += 2
                    continue
                elif c == "$" and nx == "(":
                    stack.append("C")
                    depth_parens.append(0)
                    out.append("$(")
                    i += 2
                    continue
                else:
                    out.append(" ")
                i += 1
                continue
            prev = line[i - 1] if i > 0 else " "
            if c == "#" and prev in " \t;&|()":
                break
            if c == "'":
                stack.append("S")
                out.append(c)
            elif c == '"':
                stack.append("D")
                out.append(c)
            elif c == "$" and nx == "(":
                stack.append("C")
                depth_parens.append(0)
                out.append("$(")
                i += 2
                continue
            elif c == "(" and top == "C":
                depth_parens[-1] += 1
                out.append(c)
            elif c == ")" and top == "C":
                if depth_parens[-1] > 0:
                    depth_parens[-1] -= 1
                else:
                    stack.pop()
                    depth_parens.pop()
                out.append(c)
            elif line.startswith("<<", i) and not line.startswith("<<<", i) and prev != "<":
                match = re.match(r"<<(-?)\s*['\"\\]?([A-Za-z_]\w*)", line[i:])
                if match:
                    heredocs.append((match.group(2), match.group(1) == "-"))
                out.append(c)
            else:
                out.append(c)
            i += 1
        if heredocs and body is None:
            body = heredocs.pop(0)
        yield number, "".join(out)


def logical_lines(text):
    """Joins continuation lines: yields (first line number, code)."""
    start, parts = None, []
    for number, code in code_lines(text):
        if start is None:
            start = number
        stripped = code.rstrip()
        if stripped.endswith("\\"):
            parts.append(stripped[:-1])
            continue
        parts.append(code)
        yield start, " ".join(parts)
        start, parts = None, []
    if parts:
        yield start, " ".join(parts)


def calls(path):
    """Yields (line, command key or None, text) for every AWS CLI call in the script."""
    text = pathlib.Path(path).read_text()
    for number, code in logical_lines(text):
        for match in CALL.finditer(code):
            before = code[: match.start()].rstrip()
            if match.group(1) == "aws" and re.search(r"(^|\s)(command|type|which)(\s+-\w+)*$", before):
                continue  # command -v aws: a check for the CLI, not a call
            if before.endswith(("()", "function")) or code[match.end():].lstrip().startswith("()"):
                continue  # a function definition
            words = code[match.end():].split()
            words = words[WRAPPERS[match.group(1)]:]
            while words and words[0].startswith("--"):
                option = words.pop(0)
                if option in GLOBAL_WITH_VALUE and "=" not in option and words:
                    words.pop(0)
            if match.group(1) == "aws" and words[:1] == ['"$@"']:
                continue  # the wrappers' own aws "$@"
            if len(words) < 2 or not LITERAL.match(words[0]) or not LITERAL.match(words[1]):
                yield number, None, code.strip()
                continue
            key = words[0] + " " + words[1]
            if words[1] == "wait" and len(words) > 2 and LITERAL.match(words[2]):
                key += " " + words[2]
            yield number, key, code.strip()


def read_table(path):
    rows = {}
    for number, line in enumerate(pathlib.Path(path).read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3:
            raise SystemExit(f"{path}:{number}: expected 3 tab-separated columns, found {len(fields)}")
        command, actions, note = fields
        actions = [] if actions == "none" else actions.split(",")
        rows[command] = (actions, note, number)
    return rows


def as_list(value):
    return value if isinstance(value, list) else [value]


def read_stack_table(path):
    """Rows of (resource type, actions, example resource ARN, note, line number)."""
    rows = []
    for number, line in enumerate(pathlib.Path(path).read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 4:
            raise SystemExit(f"{path}:{number}: expected 4 tab-separated columns, found {len(fields)}")
        kind, actions, resource, note = fields
        rows.append((kind, actions.split(","), resource, note, number))
    return rows


def allowing(statements, action, resource=None):
    """The statements that allow ACTION (on RESOURCE, when given; conditions are not evaluated)."""
    found = []
    for statement in statements:
        if statement.get("Effect") != "Allow":
            continue
        if not any(fnmatch.fnmatchcase(action.lower(), pattern.lower())
                   for pattern in as_list(statement.get("Action", []))):
            continue
        if resource is not None and not any(fnmatch.fnmatchcase(resource, pattern)
                                            for pattern in as_list(statement.get("Resource", []))):
            continue
        found.append(statement)
    return found


def is_cloudformation(action):
    return action.startswith("cloudformation:")


def check(policy_path, table_path, scripts, stack_policy_path=None, stack_table_path=None):
    problems = []
    policy = json.loads(pathlib.Path(policy_path).read_text())
    statements = as_list(policy["Statement"])
    rows = read_table(table_path)
    stack_statements = []
    if stack_policy_path is not None:
        stack_statements = as_list(json.loads(pathlib.Path(stack_policy_path).read_text())["Statement"])

    used = set()
    for script in scripts:
        for number, key, text in calls(script):
            name = str(script)
            if key is None:
                problems.append(f"{name}:{number}: cannot read the AWS CLI command of: {text}")
            elif key not in rows:
                problems.append(f"{name}:{number}: 'aws {key}' has no row in {table_path}: add its IAM actions")
            else:
                used.add(key)

    needed = set()
    needed_by_stacks = set()  # (action, example resource or None for any)
    for command, (actions, note, number) in sorted(rows.items(), key=lambda item: item[1][2]):
        for action in actions:
            if is_cloudformation(action):
                needed_by_stacks.add((action, None))
                if stack_policy_path is not None and not allowing(stack_statements, action):
                    problems.append(f"{stack_policy_path}: no statement allows {action}, which 'aws {command}' needs")
                continue
            needed.add(action)
            if not allowing(statements, action):
                problems.append(f"{policy_path}: no statement allows {action}, which 'aws {command}' needs")
        if command not in used and not note.startswith("printed:"):
            problems.append(f"{table_path}:{number}: no script runs 'aws {command}': remove the row")

    if stack_table_path is not None:
        for kind, actions, resource, note, number in read_stack_table(stack_table_path):
            for action in actions:
                if allowing(statements, action, resource):
                    continue
                needed_by_stacks.add((action, resource))
                if not allowing(stack_statements, action, resource):
                    problems.append(f"{stack_policy_path}: no statement allows {action} on {resource}, which "
                                    f"CloudFormation needs for {kind} ({stack_table_path}:{number})")
        problems.extend(extra_stack_rights(stack_policy_path, stack_statements, needed_by_stacks))

    for statement in statements:
        sid = statement.get("Sid", "(no Sid)")
        for action in as_list(statement.get("Action", [])):
            if "*" not in action and "?" not in action and action not in needed:
                problems.append(f"{policy_path}: statement {sid} allows {action}, which no command in {table_path} needs")
    problems.extend(scoping(policy_path, statements))
    return problems


def extra_stack_rights(policy_path, statements, needed):
    """What the stack policy allows that no CloudFormation call or stack resource needs."""
    problems = []
    for statement in statements:
        sid = statement.get("Sid", "(no Sid)")
        resources = as_list(statement.get("Resource", []))
        for action in as_list(statement.get("Action", [])):
            if "*" in action or "?" in action:
                continue
            if not any(wanted == action and (resource is None or any(fnmatch.fnmatchcase(resource, pattern)
                                                                    for pattern in resources))
                       for wanted, resource in needed):
                problems.append(f"{policy_path}: statement {sid} allows {action}, which neither the scripts' "
                                "CloudFormation calls nor the stacks' resources need there")
    problems.extend(scoping(policy_path, statements))
    return problems


def scoping(policy_path, statements):
    """Rule 5, and no action patterns."""
    problems = []
    for statement in statements:
        sid = statement.get("Sid", "(no Sid)")
        actions = as_list(statement.get("Action", []))
        resources = as_list(statement.get("Resource", []))
        for action in actions:
            if "*" in action or "?" in action:
                problems.append(f"{policy_path}: statement {sid} allows the pattern {action}: name each action")
        unscoped = [action for action in actions if action in UNSCOPED]
        if resources == ["*"]:
            for action in actions:
                if action not in UNSCOPED:
                    problems.append(f"{policy_path}: statement {sid} allows {action} on every resource: name the workbook's")
                elif action in NARROWED_BY and not any(
                        "xray-workbook-" in value
                        for test in statement.get("Condition", {}).values()
                        for value in as_list(test.get(NARROWED_BY[action], []))):
                    problems.append(f"{policy_path}: statement {sid} allows {action} with no condition on "
                                    f"{NARROWED_BY[action]} naming the workbook's")
        else:
            for action in unscoped:
                problems.append(f"{policy_path}: statement {sid} scopes {action}, which AWS grants only on \"*\"")
            for resource in resources:
                if "xray-workbook-" not in resource and resource not in AWS_OWNED and resource not in ID_NAMED:
                    problems.append(f"{policy_path}: statement {sid} names {resource}, which is not the workbook's")
    return problems


# Resources that are AWS's, not the workbook's, which a script uses: the versions of AWS's
# OpenTelemetry Lambda layer that deploy.sh adds to step 5's function (any region, AWS's accounts).
# And the SAM transform, which CloudFormation runs when deploy-stack.sh creates a change set
# (AWS's own, in every region).
AWS_OWNED = {
    "arn:aws:lambda:*:*:layer:AWSOpenTelemetryDistroJava:*",
    "arn:aws:cloudformation:*:aws:transform/Serverless-2016-10-31",
}


# Resources whose ARNs carry an id AWS chooses, not a name the workbook gives, so that no pattern
# names the workbook's alone: step 7's stack makes a REST API (its deployments, its stage and their
# tags are paths under it) and an event source mapping (a UUID). The statements on mappings that
# change them are narrowed by lambda:FunctionArn; the REST APIs' are not, which reaches every REST
# API of the account, and nothing else of API Gateway's.
ID_NAMED = {
    "arn:aws:lambda:*:*:event-source-mapping:*",
    "arn:aws:apigateway:*::/restapis",
    "arn:aws:apigateway:*::/restapis/*",
    "arn:aws:apigateway:*::/tags/*",
}


def main():
    here = pathlib.Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(here.parent.parent))
    parser.add_argument("--policy")
    parser.add_argument("--table")
    parser.add_argument("--stack-policy")
    parser.add_argument("--stack-table")
    parser.add_argument("scripts", nargs="*")
    args = parser.parse_args()
    root = pathlib.Path(args.root)
    policy = args.policy or root / "scripts/iam/workbook-user-policy.json"
    table = args.table or root / "scripts/test/cli-actions.tsv"
    scripts = args.scripts or sorted(root.glob("scripts/*.sh")) + [root / "scripts/lib/common.sh"]
    stack_policy = args.stack_policy or root / "scripts/iam/workbook-stack-policy.json"
    stack_table = args.stack_table or root / "scripts/test/stack-resource-actions.tsv"
    problems = check(policy, table, scripts, stack_policy, stack_table)
    for problem in problems:
        print(problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
