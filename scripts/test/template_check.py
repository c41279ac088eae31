#!/usr/bin/env python3
"""Checks a step's SAM template (step-N-*/template.yaml) against the facts the scripts deploy by.

The facts come as options, read by templates.bats from the step's POM and scripts/lib/common.sh
through common.sh's own functions, so that the template and the scripts cannot drift apart: the
function's name, handler, runtime, memory and timeout; whether it reads the sample object from
S3, runs with AWS's OpenTelemetry layer, or runs with SnapStart behind an alias; where the scripts
put its package.

It checks what CloudFormation will create, not the SAM shorthand: it translates the template with
aws-sam-translator, the open-source translator that CloudFormation's AWS::Serverless-2016-10-31
transform runs (CloudFormation's may be a newer release than the one installed here), after replacing CodeUri with an s3:// URI as `aws cloudformation package` does.
Then it asserts on the resources the translation made: the function, its role (trust, managed
policies, the one inline statement for the sample object), the layer and its variables, and for
SnapStart the version and alias the transform adds. moto cannot check this: its CloudFormation
runs no SAM transform of its own, and whatever a stand-in makes there is moto's model of the
resources, not the template CloudFormation would act on. This check needs no AWS and no server.

Prints one line per problem, `TEMPLATE: what is wrong`, and exits 1; exits 0 when there is none.
Several templates can be checked in one run: their arguments one after another, separated by --and.
"""

import argparse
import hashlib
import json
import os
import sys

try:
    import boto3
    import cfnlint.decode
    from samtranslator.model.exceptions import InvalidDocumentException
    from samtranslator.parser.parser import Parser
    from samtranslator.translator.translator import Translator
except ImportError as error:
    sys.exit(f"template_check.py: {error.name} does not import in {sys.executable}: install cfn-lint 1.51.x, "
             "which brings aws-sam-translator and boto3 (pip install 'cfn-lint==1.51.*')")

BASIC_EXECUTION = "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
# The policy the translator attaches for Tracing: Active in the aws partition (xray_utils.py).
XRAY_WRITE = "arn:aws:iam::aws:policy/AWSXrayWriteOnlyAccess"
APPLICATION_SIGNALS = {"Fn::Sub": "arn:${AWS::Partition}:iam::aws:policy/CloudWatchLambdaApplicationSignalsExecutionRolePolicy"}
NO_VALUE = {"Ref": "AWS::NoValue"}
WRAPPER = "/opt/otel-instrument"


def parse_args(words):
    flag = {"type": lambda value: {"true": True, "false": False}[value], "metavar": "true|false", "required": True}
    parser = argparse.ArgumentParser(
        prog="template_check.py", epilog="Several templates: their arguments one after another, separated by --and.",
        description="Checks a step's SAM template against the facts the scripts deploy by.")
    parser.add_argument("template")
    parser.add_argument("--function-name", required=True)
    parser.add_argument("--handler", required=True)
    parser.add_argument("--runtime", required=True)
    parser.add_argument("--memory", required=True)
    parser.add_argument("--timeout", required=True)
    parser.add_argument("--reads-s3", **flag)
    parser.add_argument("--sample-key", required=True)
    parser.add_argument("--opentelemetry-layer", **flag)
    parser.add_argument("--snapstart", **flag)
    parser.add_argument("--alias", required=True)
    parser.add_argument("--package-path", required=True)
    return parser.parse_args(words)


def one_of_type(resources, kind, problems):
    """The logical id and resource of the only resource of a type, or (None, {})."""
    found = [(name, resource) for name, resource in resources.items() if resource.get("Type") == kind]
    if len(found) != 1:
        problems.append(f"{len(found)} resources of type {kind}, expected 1")
        return None, {}
    return found[0]


def as_list(value):
    return value if isinstance(value, list) else [value]


def get_att(value):
    """The logical id and attribute of a Fn::GetAtt, in either of its forms, or None."""
    att = value.get("Fn::GetAtt") if isinstance(value, dict) and len(value) == 1 else None
    if isinstance(att, str) and "." in att:
        att = att.split(".", 1)
    return tuple(att) if isinstance(att, list) and len(att) == 2 else None


def describe(statement):
    """A policy statement as a reader writes it: Allow s3:GetObject on arn:..., with any other key after."""
    def words(value):
        return ", ".join(item["Fn::Sub"] if isinstance(item, dict) and "Fn::Sub" in item else str(item)
                         for item in as_list(value))
    others = {key: value for key, value in statement.items() if key not in ("Sid", "Effect", "Action", "Resource")}
    return (f"{statement.get('Effect')} {words(statement.get('Action'))} on {words(statement.get('Resource'))}"
            + (f" with {others!r}" if others else ""))


def shown(value):
    return "missing" if value is None else repr(value)


def same(a, b):
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def package(template, args, problems):
    """Checks CodeUri names the package the scripts deploy, then points it at S3 as
    `aws cloudformation package` would: s3://BUCKET/KEY, the key being the file's MD5."""
    properties = template["Resources"]["Function"].setdefault("Properties", {})
    folder = os.path.dirname(os.path.abspath(args.template))
    expected = os.path.relpath(os.path.abspath(args.package_path), folder)
    if properties.get("CodeUri") != expected:
        problems.append(f"Function: CodeUri is {shown(properties.get('CodeUri'))}, expected {expected!r} "
                        "(the package the scripts build and deploy, relative to the template)")
    content = b""
    if os.path.isfile(args.package_path):
        with open(args.package_path, "rb") as jar:
            content = jar.read()
    properties["CodeUri"] = f"s3://xray-workbook-package/{hashlib.md5(content).hexdigest()}"


def translate(template, problems):
    translator = Translator(None, Parser(), boto_session=boto3.session.Session(region_name="us-east-1"))
    try:
        return translator.translate(template, {}, get_managed_policy_map=lambda: {})
    except InvalidDocumentException as error:
        problems.extend(f"the SAM translator refuses it: {cause.message}" for cause in error.causes)
        return None


def function_basics(function, roles, args, problems):
    properties = function.get("Properties", {})
    expected = {"FunctionName": args.function_name, "Handler": args.handler, "Runtime": args.runtime,
                "MemorySize": args.memory, "Timeout": args.timeout}
    for key, value in expected.items():
        # CloudFormation takes numbers written either way, 512 or '512'.
        if str(properties.get(key)) != value:
            problems.append(f"Function: {key} is {shown(properties.get(key))}, expected {value!r}")
    mode = properties.get("TracingConfig", {}).get("Mode")
    if mode != "Active":
        problems.append(f"Function: TracingConfig.Mode is {shown(mode)}, expected 'Active'")
    role = get_att(properties.get("Role"))
    if role is None or role[1] != "Arn" or role[0] not in roles:
        problems.append(f"Function: Role is {shown(properties.get('Role'))}, expected the Arn of the template's AWS::IAM::Role")


def role_trust_and_managed_policies(role, template, args, problems):
    properties = role.get("Properties", {})
    statements = as_list(properties.get("AssumeRolePolicyDocument", {}).get("Statement", []))
    trusted = [statement.get("Principal", {}).get("Service") for statement in statements]
    if not statements or any(as_list(service) != ["lambda.amazonaws.com"] for service in trusted) \
            or any(statement.get("Effect") != "Allow" or as_list(statement.get("Action")) != ["sts:AssumeRole"]
                   for statement in statements):
        problems.append(f"Role: AssumeRolePolicyDocument is {shown(statements)}, expected only lambda.amazonaws.com "
                        "allowed sts:AssumeRole")
    arns = properties.get("ManagedPolicyArns", [])
    conditional = [arn for arn in arns if isinstance(arn, dict) and "Fn::If" in arn]
    plain = sorted(arn for arn in arns if isinstance(arn, str))
    if plain != sorted([BASIC_EXECUTION, XRAY_WRITE]) or len(plain) + len(conditional) != len(arns):
        problems.append(f"Role: ManagedPolicyArns are {shown(arns)}, expected {BASIC_EXECUTION} and {XRAY_WRITE}"
                        + (", and Application Signals' policy if ApplicationSignals is 'true'"
                           if args.opentelemetry_layer else ""))
    if args.opentelemetry_layer:
        application_signals_policy(conditional, template, problems)
    elif conditional:
        problems.append(f"Role: ManagedPolicyArns has {shown(conditional)}, expected no conditional policy "
                        "(--opentelemetry-layer false)")


def application_signals_policy(conditional, template, problems):
    """The layer's step adds Application Signals' policy exactly when ApplicationSignals is 'true'."""
    condition = conditional[0]["Fn::If"] if len(conditional) == 1 else None
    if not (isinstance(condition, list) and len(condition) == 3
            and same(condition[1:], [APPLICATION_SIGNALS, NO_VALUE])):
        problems.append(f"Role: ManagedPolicyArns' conditional entries are {shown(conditional)}, expected one Fn::If "
                        f"giving {APPLICATION_SIGNALS['Fn::Sub']} or AWS::NoValue")
        return
    test = template.get("Conditions", {}).get(condition[0], {}).get("Fn::Equals")
    wanted = [{"Ref": "ApplicationSignals"}, "true"]
    if not (isinstance(test, list) and (same(test, wanted) or same(test, wanted[::-1]))):
        problems.append(f"Conditions: {condition[0]} is {shown(test)}, expected Fn::Equals of Ref ApplicationSignals and 'true'")


def s3_read(function, role, template, args, problems):
    variables = function.get("Properties", {}).get("Environment", {}).get("Variables", {})
    policies = role.get("Properties", {}).get("Policies", [])
    has_parameter = "BucketName" in template.get("Parameters", {})
    if not args.reads_s3:
        if has_parameter or policies or "BUCKET_NAME" in variables:
            problems.append("Function: has a BucketName parameter, an inline policy or BUCKET_NAME, expected none "
                            "(--reads-s3 false)")
        return
    if not has_parameter:
        problems.append("Parameters: BucketName is missing")
    if not same(variables.get("BUCKET_NAME"), {"Ref": "BucketName"}):
        problems.append(f"Function: BUCKET_NAME is {shown(variables.get('BUCKET_NAME'))}, expected Ref BucketName")
    statements = [statement for policy in policies
                  for statement in as_list(policy.get("PolicyDocument", {}).get("Statement", []))]
    resource = {"Fn::Sub": f"arn:${{AWS::Partition}}:s3:::${{BucketName}}/{args.sample_key}"}
    if len(statements) != 1:
        problems.append(f"Role: the inline policies hold {len(statements)} statements, expected 1 "
                        f"(s3:GetObject on {resource['Fn::Sub']})")
        return
    statement = statements[0]
    if statement.get("Effect") != "Allow" or set(statement) - {"Sid", "Effect", "Action", "Resource"} \
            or as_list(statement.get("Action")) != ["s3:GetObject"] \
            or not same(as_list(statement.get("Resource")), [resource]):
        problems.append(f"Role: the inline statement is {describe(statement)}, expected exactly "
                        f"Allow s3:GetObject on {resource['Fn::Sub']}")


def opentelemetry_layer(function, template, args, problems):
    properties = function.get("Properties", {})
    variables = properties.get("Environment", {}).get("Variables", {})
    parameters = template.get("Parameters", {})
    if not args.opentelemetry_layer:
        found = [name for name in ("Layers",) if name in properties] \
            + [name for name in ("AWS_LAMBDA_EXEC_WRAPPER", "OTEL_AWS_APPLICATION_SIGNALS_ENABLED") if name in variables] \
            + [name for name in ("OpenTelemetryLayerArn", "ApplicationSignals") if name in parameters]
        if found:
            problems.append(f"Function: has {', '.join(found)}, expected none of the layer's settings "
                            "(--opentelemetry-layer false)")
        return
    if not same(properties.get("Layers"), [{"Ref": "OpenTelemetryLayerArn"}]):
        problems.append(f"Function: Layers is {shown(properties.get('Layers'))}, expected [Ref OpenTelemetryLayerArn]")
    if variables.get("AWS_LAMBDA_EXEC_WRAPPER") != WRAPPER:
        problems.append(f"Function: AWS_LAMBDA_EXEC_WRAPPER is {shown(variables.get('AWS_LAMBDA_EXEC_WRAPPER'))}, "
                        f"expected {WRAPPER!r}")
    if not same(variables.get("OTEL_AWS_APPLICATION_SIGNALS_ENABLED"), {"Ref": "ApplicationSignals"}):
        problems.append(f"Function: OTEL_AWS_APPLICATION_SIGNALS_ENABLED is "
                        f"{shown(variables.get('OTEL_AWS_APPLICATION_SIGNALS_ENABLED'))}, expected Ref ApplicationSignals")
    signals = parameters.get("ApplicationSignals", {})
    if sorted(signals.get("AllowedValues", [])) != ["false", "true"] or signals.get("Default") != "false":
        problems.append(f"Parameters: ApplicationSignals allows {shown(signals.get('AllowedValues'))} with Default "
                        f"{shown(signals.get('Default'))}, expected AllowedValues false and true, Default 'false'")
    if "OpenTelemetryLayerArn" not in parameters:
        problems.append("Parameters: OpenTelemetryLayerArn is missing")


def environment_names(function, args, problems):
    """No variable besides those the scripts set."""
    variables = function.get("Properties", {}).get("Environment", {}).get("Variables", {})
    expected = {"BUCKET_NAME"} if args.reads_s3 else set()
    if args.opentelemetry_layer:
        expected |= {"AWS_LAMBDA_EXEC_WRAPPER", "OTEL_AWS_APPLICATION_SIGNALS_ENABLED"}
    extra = sorted(set(variables) - expected)
    if extra:
        problems.append(f"Function: sets {', '.join(extra)}, which the scripts do not set")


def snapstart(name, function, resources, args, problems):
    snap = function.get("Properties", {}).get("SnapStart")
    versions = {key: r for key, r in resources.items() if r.get("Type") == "AWS::Lambda::Version"}
    aliases = {key: r for key, r in resources.items() if r.get("Type") == "AWS::Lambda::Alias"}
    if not args.snapstart:
        if snap is not None or versions or aliases:
            problems.append("Function: has SnapStart, a Version or an Alias, expected none (--snapstart false)")
        return
    if not same(snap, {"ApplyOn": "PublishedVersions"}):
        problems.append(f"Function: SnapStart is {shown(snap)}, expected ApplyOn PublishedVersions")
    if len(versions) != 1 or len(aliases) != 1:
        problems.append(f"{len(versions)} AWS::Lambda::Version and {len(aliases)} AWS::Lambda::Alias, expected 1 "
                        f"of each (AutoPublishAlias: {args.alias})")
        return
    (version_id, version), = versions.items()
    alias = next(iter(aliases.values())).get("Properties", {})
    if not same(version.get("Properties", {}).get("FunctionName"), {"Ref": name}):
        problems.append(f"Version: FunctionName is {shown(version.get('Properties', {}).get('FunctionName'))}, "
                        f"expected Ref {name}")
    if alias.get("Name") != args.alias or not same(alias.get("FunctionName"), {"Ref": name}) \
            or get_att(alias.get("FunctionVersion")) != (version_id, "Version"):
        problems.append(f"Alias: is {alias!r}, expected Name {args.alias!r} on Ref {name}, "
                        f"FunctionVersion the Version attribute of {version_id}")


def resource_types(resources, args, problems):
    allowed = {"AWS::Lambda::Function", "AWS::IAM::Role"}
    if args.snapstart:
        allowed |= {"AWS::Lambda::Version", "AWS::Lambda::Alias"}
    for name, resource in sorted(resources.items()):
        if resource.get("Type") not in allowed:
            problems.append(f"{name}: a resource of type {resource.get('Type')}, which the step does not need")


def check(args):
    if not os.path.isfile(args.template):
        return ["no such file"]
    template, matches = cfnlint.decode.decode(args.template)
    if matches:
        return [f"cannot be read: {match.message}" for match in matches]
    # Plain dicts and lists: the translator copies the template and cfnlint's nodes carry line marks.
    template = json.loads(json.dumps(template))
    function = template.get("Resources", {}).get("Function", {})
    if function.get("Type") != "AWS::Serverless::Function":
        return ["Resources: expected Function, of type AWS::Serverless::Function"]
    problems = []
    package(template, args, problems)
    translated = translate(template, problems)
    if translated is None:
        return problems
    resources = translated.get("Resources", {})
    name, function = one_of_type(resources, "AWS::Lambda::Function", problems)
    roles = {key for key, r in resources.items() if r.get("Type") == "AWS::IAM::Role"}
    _, role = one_of_type(resources, "AWS::IAM::Role", problems)
    if name is None:
        return problems
    function_basics(function, roles, args, problems)
    role_trust_and_managed_policies(role, translated, args, problems)
    s3_read(function, role, translated, args, problems)
    opentelemetry_layer(function, translated, args, problems)
    environment_names(function, args, problems)
    snapstart(name, function, resources, args, problems)
    resource_types(resources, args, problems)
    return problems


def main():
    # Several templates, their options separated by --and, take one start of Python and one import
    # of the translator, which cost more than the checks.
    groups, group = [], []
    for word in sys.argv[1:] + ["--and"]:
        if word == "--and":
            groups.append(group)
            group = []
        else:
            group.append(word)
    failed = False
    for group in groups:
        args = parse_args(group)
        problems = check(args)
        for problem in problems:
            print(f"{args.template}: {problem}")
        failed = failed or bool(problems)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
