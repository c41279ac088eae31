#!/usr/bin/env python3
"""Checks a step's SAM template (step-N-*/template.yaml) against the facts the scripts deploy by.

The facts come as options, read by templates.bats from the step's POM and scripts/lib/common.sh
through common.sh's own functions, so that the template and the scripts cannot drift apart: the
function's name, handler, runtime, memory and timeout; whether it reads the sample object from
S3, runs with AWS's OpenTelemetry layer, or runs with SnapStart behind an alias; where the scripts
put its package. A step may also put a REST API in front of its function (the route's method and
path) and give it a second function fed by a queue (its name and handler): then the function
sends to the queue, the second function reads it (and S3, when the step reads S3), and both are
traced.

It checks what CloudFormation will create, not the SAM shorthand: it translates the template with
aws-sam-translator, the open-source translator that CloudFormation's AWS::Serverless-2016-10-31
transform runs (CloudFormation's may be a newer release than the one installed here), after replacing CodeUri with an s3:// URI as `aws cloudformation package` does.
Then it asserts on the resources the translation made: each function, its role (trust, managed
policies, the inline statements for the sample object and the queue), the layer and its
variables, for SnapStart the version and alias the transform adds, for a REST API its one route,
the stage's tracing, the permission to invoke and the ApiUrl output, and for a queue the event
source mapping. moto cannot check this: its CloudFormation
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
# The policy the translator attaches to a function with an SQS event (sam_resources.py, SQS's
# policy in the event source's table).
SQS_EXECUTION = "arn:aws:iam::aws:policy/service-role/AWSLambdaSQSQueueExecutionRole"
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
    parser.add_argument("--rest-api-method", default="", help="the REST API's one route, or empty for none")
    parser.add_argument("--rest-api-path", default="")
    parser.add_argument("--queue-function-name", default="", help="the function a queue feeds, or empty for none")
    parser.add_argument("--queue-handler", default="")
    args = parser.parse_args(words)
    if bool(args.rest_api_method) != bool(args.rest_api_path) or bool(args.queue_function_name) != bool(args.queue_handler):
        parser.error("--rest-api-method and --rest-api-path come together, and so do --queue-function-name and --queue-handler")
    return args


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


def words(value):
    """Resources as a reader writes them: a Fn::Sub as its text (with its variables, if any)."""
    def one(item):
        if isinstance(item, dict) and "Fn::Sub" in item:
            sub = item["Fn::Sub"]
            return sub if isinstance(sub, str) else f"{sub[0]} with {json.dumps(sub[1], sort_keys=True)}"
        return str(item)
    return ", ".join(one(item) for item in as_list(value))


def describe(statement):
    """A policy statement as a reader writes it: Allow s3:GetObject on arn:..., with any other key after."""
    others = {key: value for key, value in statement.items() if key not in ("Sid", "Effect", "Action", "Resource")}
    return (f"{statement.get('Effect')} {words(statement.get('Action'))} on {words(statement.get('Resource'))}"
            + (f" with {others!r}" if others else ""))


def shown(value):
    return "missing" if value is None else repr(value)


def same(a, b):
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def code_uris(template):
    """(logical id, the mapping that holds its CodeUri) for each SAM function: its properties, or
    the template's Globals when the function sets none."""
    globals_ = template.get("Globals", {}).get("Function", {})
    found = []
    for name, resource in template.get("Resources", {}).items():
        if resource.get("Type") == "AWS::Serverless::Function":
            properties = resource.setdefault("Properties", {})
            found.append((name, properties if "CodeUri" in properties or "CodeUri" not in globals_ else globals_))
    return found


def package(template, args, problems):
    """Checks CodeUri names the package the scripts deploy, then points it at S3 as
    `aws cloudformation package` would: s3://BUCKET/KEY, the key being the file's MD5."""
    folder = os.path.dirname(os.path.abspath(args.template))
    expected = os.path.relpath(os.path.abspath(args.package_path), folder)
    content = b""
    if os.path.isfile(args.package_path):
        with open(args.package_path, "rb") as jar:
            content = jar.read()
    uri = f"s3://xray-workbook-package/{hashlib.md5(content).hexdigest()}"
    for name, holder in code_uris(template):
        if holder.get("CodeUri") not in (expected, uri):
            problems.append(f"{name}: CodeUri is {shown(holder.get('CodeUri'))}, expected {expected!r} "
                            "(the package the scripts build and deploy, relative to the template)")
        holder["CodeUri"] = uri


def translate(template, problems):
    translator = Translator(None, Parser(), boto_session=boto3.session.Session(region_name="us-east-1"))
    try:
        return translator.translate(template, {}, get_managed_policy_map=lambda: {})
    except InvalidDocumentException as error:
        problems.extend(f"the SAM translator refuses it: {cause.message}" for cause in error.causes)
        return None


def function_basics(label, function, handler, roles, args, problems):
    properties = function.get("Properties", {})
    expected = {"Handler": handler, "Runtime": args.runtime, "MemorySize": args.memory, "Timeout": args.timeout}
    for key, value in expected.items():
        # CloudFormation takes numbers written either way, 512 or '512'.
        if str(properties.get(key)) != value:
            problems.append(f"{label}: {key} is {shown(properties.get(key))}, expected {value!r}")
    mode = properties.get("TracingConfig", {}).get("Mode")
    if mode != "Active":
        problems.append(f"{label}: TracingConfig.Mode is {shown(mode)}, expected 'Active'")
    role = get_att(properties.get("Role"))
    if role is None or role[1] != "Arn" or role[0] not in roles:
        problems.append(f"{label}: Role is {shown(properties.get('Role'))}, expected the Arn of the template's AWS::IAM::Role")
        return None
    return role[0]


def role_trust_and_managed_policies(label, role, template, args, consumer, problems):
    properties = role.get("Properties", {})
    statements = as_list(properties.get("AssumeRolePolicyDocument", {}).get("Statement", []))
    trusted = [statement.get("Principal", {}).get("Service") for statement in statements]
    if not statements or any(as_list(service) != ["lambda.amazonaws.com"] for service in trusted) \
            or any(statement.get("Effect") != "Allow" or as_list(statement.get("Action")) != ["sts:AssumeRole"]
                   for statement in statements):
        problems.append(f"{label}: AssumeRolePolicyDocument is {shown(statements)}, expected only lambda.amazonaws.com "
                        "allowed sts:AssumeRole")
    arns = properties.get("ManagedPolicyArns", [])
    conditional = [arn for arn in arns if isinstance(arn, dict) and "Fn::If" in arn]
    plain = sorted(arn for arn in arns if isinstance(arn, str))
    wanted = [BASIC_EXECUTION, XRAY_WRITE] + ([SQS_EXECUTION] if consumer else [])
    if plain != sorted(wanted) or len(plain) + len(conditional) != len(arns):
        problems.append(f"{label}: ManagedPolicyArns are {shown(arns)}, expected {', '.join(wanted[:-1])} and {wanted[-1]}"
                        + (", and Application Signals' policy if ApplicationSignals is 'true'"
                           if args.opentelemetry_layer else ""))
    if args.opentelemetry_layer:
        application_signals_policy(label, conditional, template, problems)
    elif conditional:
        problems.append(f"{label}: ManagedPolicyArns has {shown(conditional)}, expected no conditional policy "
                        "(--opentelemetry-layer false)")


def application_signals_policy(label, conditional, template, problems):
    """The layer's step adds Application Signals' policy exactly when ApplicationSignals is 'true'."""
    condition = conditional[0]["Fn::If"] if len(conditional) == 1 else None
    if not (isinstance(condition, list) and len(condition) == 3
            and same(condition[1:], [APPLICATION_SIGNALS, NO_VALUE])):
        problems.append(f"{label}: ManagedPolicyArns' conditional entries are {shown(conditional)}, expected one Fn::If "
                        f"giving {APPLICATION_SIGNALS['Fn::Sub']} or AWS::NoValue")
        return
    test = template.get("Conditions", {}).get(condition[0], {}).get("Fn::Equals")
    wanted = [{"Ref": "ApplicationSignals"}, "true"]
    if not (isinstance(test, list) and (same(test, wanted) or same(test, wanted[::-1]))):
        problems.append(f"Conditions: {condition[0]} is {shown(test)}, expected Fn::Equals of Ref ApplicationSignals and 'true'")


def inline_statements(label, function, role, reads, queue, args, problems):
    """The role's inline statements: exactly Allow s3:GetObject on the sample object for the function
    that reads S3, exactly Allow sqs:SendMessage* on the queue (QUEUE, a logical id) for the function
    that sends to it, nothing else; and BUCKET_NAME on the reader only."""
    variables = function.get("Properties", {}).get("Environment", {}).get("Variables", {})
    policies = role.get("Properties", {}).get("Policies", [])
    statements = [statement for policy in policies
                  for statement in as_list(policy.get("PolicyDocument", {}).get("Statement", []))]
    expected = []
    if reads:
        if not same(variables.get("BUCKET_NAME"), {"Ref": "BucketName"}):
            problems.append(f"{label}: BUCKET_NAME is {shown(variables.get('BUCKET_NAME'))}, expected Ref BucketName")
        expected.append(("s3:GetObject", {"Fn::Sub": f"arn:${{AWS::Partition}}:s3:::${{BucketName}}/{args.sample_key}"}))
    if queue:
        # SAM's SQSSendMessagePolicy template (policy_templates.json), on the queue's name.
        expected.append(("sqs:SendMessage*", {"Fn::Sub": ["arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:${queueName}",
                                                         {"queueName": {"Fn::GetAtt": [queue, "QueueName"]}}]}))
    wanted = " and ".join(f"Allow {action} on {words(resource)}" for action, resource in expected) or "none"
    role_label = f"{label}'s role"
    if len(statements) != len(expected):
        problems.append(f"{role_label}: the inline policies hold {len(statements)} statements, expected {len(expected)} "
                        f"({wanted})")
        return
    def service(action):
        return str(action).split(":", 1)[0]
    for action, resource in expected:
        matching = [statement for statement in statements
                    if [service(item) for item in as_list(statement.get("Action"))] == [service(action)]]
        statement = matching[0] if len(matching) == 1 else statements[0]
        if statement.get("Effect") != "Allow" or set(statement) - {"Sid", "Effect", "Action", "Resource"} \
                or as_list(statement.get("Action")) != [action] \
                or not same(as_list(statement.get("Resource")), [resource]):
            problems.append(f"{role_label}: the inline statement is {describe(statement)}, expected exactly "
                            f"Allow {action} on {words(resource)}")


def opentelemetry_layer(label, function, template, args, problems):
    properties = function.get("Properties", {})
    variables = properties.get("Environment", {}).get("Variables", {})
    parameters = template.get("Parameters", {})
    if not args.opentelemetry_layer:
        found = [name for name in ("Layers",) if name in properties] \
            + [name for name in ("AWS_LAMBDA_EXEC_WRAPPER", "OTEL_AWS_APPLICATION_SIGNALS_ENABLED") if name in variables] \
            + [name for name in ("OpenTelemetryLayerArn", "ApplicationSignals") if name in parameters]
        if found:
            problems.append(f"{label}: has {', '.join(found)}, expected none of the layer's settings "
                            "(--opentelemetry-layer false)")
        return
    if not same(properties.get("Layers"), [{"Ref": "OpenTelemetryLayerArn"}]):
        problems.append(f"{label}: Layers is {shown(properties.get('Layers'))}, expected [Ref OpenTelemetryLayerArn]")
    if variables.get("AWS_LAMBDA_EXEC_WRAPPER") != WRAPPER:
        problems.append(f"{label}: AWS_LAMBDA_EXEC_WRAPPER is {shown(variables.get('AWS_LAMBDA_EXEC_WRAPPER'))}, "
                        f"expected {WRAPPER!r}")
    if not same(variables.get("OTEL_AWS_APPLICATION_SIGNALS_ENABLED"), {"Ref": "ApplicationSignals"}):
        problems.append(f"{label}: OTEL_AWS_APPLICATION_SIGNALS_ENABLED is "
                        f"{shown(variables.get('OTEL_AWS_APPLICATION_SIGNALS_ENABLED'))}, expected Ref ApplicationSignals")
    signals = parameters.get("ApplicationSignals", {})
    if sorted(signals.get("AllowedValues", [])) != ["false", "true"] or signals.get("Default") != "false":
        problems.append(f"Parameters: ApplicationSignals allows {shown(signals.get('AllowedValues'))} with Default "
                        f"{shown(signals.get('Default'))}, expected AllowedValues false and true, Default 'false'")
    if "OpenTelemetryLayerArn" not in parameters:
        problems.append("Parameters: OpenTelemetryLayerArn is missing")


def environment_names(label, function, reads, queue, args, problems):
    """No variable besides those the scripts set, and the queue's URL for the function that sends to it."""
    variables = function.get("Properties", {}).get("Environment", {}).get("Variables", {})
    expected = {"BUCKET_NAME"} if reads else set()
    if args.opentelemetry_layer:
        expected |= {"AWS_LAMBDA_EXEC_WRAPPER", "OTEL_AWS_APPLICATION_SIGNALS_ENABLED"}
    if queue:
        expected.add("QUEUE_URL")
        if not same(variables.get("QUEUE_URL"), {"Ref": queue}):
            problems.append(f"{label}: QUEUE_URL is {shown(variables.get('QUEUE_URL'))}, expected Ref {queue}")
    extra = sorted(set(variables) - expected)
    if extra:
        problems.append(f"{label}: sets {', '.join(extra)}, which the scripts do not set")


def snapstart(name, function, resources, args, problems):
    snap = function.get("Properties", {}).get("SnapStart")
    versions = {key: r for key, r in resources.items() if r.get("Type") == "AWS::Lambda::Version"}
    aliases = {key: r for key, r in resources.items() if r.get("Type") == "AWS::Lambda::Alias"}
    if not args.snapstart:
        if snap is not None or versions or aliases:
            problems.append(f"{name}: has SnapStart, a Version or an Alias, expected none (--snapstart false)")
        return
    if not same(snap, {"ApplyOn": "PublishedVersions"}):
        problems.append(f"{name}: SnapStart is {shown(snap)}, expected ApplyOn PublishedVersions")
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


def rest_api(function_id, resources, template, args, problems):
    """The REST API in front of the function: one route, METHOD PATH, proxied to the function; one
    stage, traced, and no other (SAM's Deployment makes a second, untraced stage named 'Stage'
    unless the API says OpenApiVersion 3); the permission for API Gateway to invoke the function on
    that route; and the ApiUrl output that invoke.sh posts to."""
    api_id, api = one_of_type(resources, "AWS::ApiGateway::RestApi", problems)
    stage_id, stage = one_of_type(resources, "AWS::ApiGateway::Stage", problems)
    if api_id is None:
        return
    method, path = args.rest_api_method.lower(), args.rest_api_path
    paths = api.get("Properties", {}).get("Body", {}).get("paths", {})
    routes = sorted(f"{verb.upper()} {route}" for route, verbs in paths.items() for verb in verbs)
    if routes != [f"{args.rest_api_method} {path}"]:
        problems.append(f"{api_id}: the routes are {', '.join(routes) or 'none'}, expected {args.rest_api_method} {path}")
    integration = paths.get(path, {}).get(method, {}).get("x-amazon-apigateway-integration", {})
    uri = integration.get("uri", {}).get("Fn::Sub", "") if isinstance(integration.get("uri"), dict) else ""
    if integration.get("type") != "aws_proxy" or f"${{{function_id}.Arn}}" not in uri:
        problems.append(f"{api_id}: {args.rest_api_method} {path} is {shown(integration or None)}, expected an "
                        f"aws_proxy integration with {function_id}")
    if stage_id is not None:
        properties = stage.get("Properties", {})
        if properties.get("TracingEnabled") is not True:
            problems.append(f"{stage_id}: TracingEnabled is {shown(properties.get('TracingEnabled'))}, expected true")
        stage_name = properties.get("StageName")
        expected_url = f"https://${{{api_id}}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/{stage_name}{path}"
        output = template.get("Outputs", {}).get("ApiUrl", {}).get("Value")
        if not same(output, {"Fn::Sub": expected_url}):
            problems.append(f"Outputs: ApiUrl is {shown(output)}, expected Fn::Sub {expected_url}")
    for name, resource in sorted(resources.items()):
        if resource.get("Type") == "AWS::ApiGateway::Deployment" and "StageName" in resource.get("Properties", {}):
            problems.append(f"{name}: makes the stage {resource['Properties']['StageName']!r} too, without tracing "
                            "(set OpenApiVersion: '3.0.1' on the API)")
    permission_id, permission = one_of_type(resources, "AWS::Lambda::Permission", problems)
    if permission_id is not None:
        properties = permission.get("Properties", {})
        source = properties.get("SourceArn", {}).get("Fn::Sub", [""]) if isinstance(properties.get("SourceArn"), dict) else [""]
        source = source[0] if isinstance(source, list) else source
        if properties.get("Action") != "lambda:InvokeFunction" or properties.get("Principal") != "apigateway.amazonaws.com" \
                or not same(properties.get("FunctionName"), {"Ref": function_id}) \
                or not source.endswith(f"/{args.rest_api_method}{path}"):
            problems.append(f"{permission_id}: is {shown(properties)}, expected API Gateway allowed lambda:InvokeFunction "
                            f"on Ref {function_id} for {args.rest_api_method} {path}")


def queue_source(consumer_id, resources, args, problems):
    """The logical id of the queue that feeds the consumer through one event source mapping, or None.
    Every queue is named after the step's first function, as the stack policy expects."""
    for name, resource in sorted(resources.items()):
        if resource.get("Type") == "AWS::SQS::Queue":
            queue_name = resource.get("Properties", {}).get("QueueName", "")
            if not str(queue_name).startswith(args.function_name):
                problems.append(f"{name}: QueueName is {shown(queue_name or None)}, expected a name that starts with "
                                f"{args.function_name}")
    mapping_id, mapping = one_of_type(resources, "AWS::Lambda::EventSourceMapping", problems)
    if mapping_id is None:
        return None
    properties = mapping.get("Properties", {})
    source = get_att(properties.get("EventSourceArn"))
    if source is None or source[1] != "Arn" or resources.get(source[0], {}).get("Type") != "AWS::SQS::Queue" \
            or not same(properties.get("FunctionName"), {"Ref": consumer_id}):
        problems.append(f"{mapping_id}: is {shown(properties)}, expected the Arn of the template's queue feeding Ref {consumer_id}")
        return None
    return source[0]


def resource_types(resources, args, problems):
    allowed = {"AWS::Lambda::Function", "AWS::IAM::Role"}
    if args.snapstart:
        allowed |= {"AWS::Lambda::Version", "AWS::Lambda::Alias"}
    if args.rest_api_method:
        allowed |= {"AWS::ApiGateway::RestApi", "AWS::ApiGateway::Deployment", "AWS::ApiGateway::Stage",
                    "AWS::Lambda::Permission"}
    if args.queue_function_name:
        allowed |= {"AWS::SQS::Queue", "AWS::Lambda::EventSourceMapping"}
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
    if not code_uris(template):
        return ["Resources: expected a function, of type AWS::Serverless::Function"]
    problems = []
    package(template, args, problems)
    translated = translate(template, problems)
    if translated is None:
        return problems
    resources = translated.get("Resources", {})
    functions = {r.get("Properties", {}).get("FunctionName"): name
                 for name, r in resources.items() if r.get("Type") == "AWS::Lambda::Function"}
    wanted = {args.function_name: args.handler}
    if args.queue_function_name:
        wanted[args.queue_function_name] = args.queue_handler
    if sorted(functions, key=str) != sorted(wanted):
        problems.append(f"the functions are named {', '.join(sorted(map(str, functions)))}, expected "
                        f"{', '.join(sorted(wanted))}")
        return problems
    roles = {key for key, r in resources.items() if r.get("Type") == "AWS::IAM::Role"}
    has_bucket = "BucketName" in translated.get("Parameters", {})
    if has_bucket and not args.reads_s3:
        problems.append("Parameters: has BucketName, expected none (--reads-s3 false)")
    elif args.reads_s3 and not has_bucket:
        problems.append("Parameters: BucketName is missing")
    main_id = functions[args.function_name]
    consumer_id = functions.get(args.queue_function_name)
    queue = queue_source(consumer_id, resources, args, problems) if consumer_id else None
    for function_name, handler in wanted.items():
        name = functions[function_name]
        function = resources[name]
        consumer = name == consumer_id
        role_id = function_basics(name, function, handler, roles, args, problems)
        # With a queue, the consumer is the one that reads S3.
        reads = args.reads_s3 and (consumer or consumer_id is None)
        sends = queue if name == main_id and consumer_id else None
        if role_id is not None:
            role = resources[role_id]
            role_trust_and_managed_policies(f"{name}'s role", role, translated, args, consumer, problems)
            inline_statements(name, function, role, reads, sends, args, problems)
        opentelemetry_layer(name, function, translated, args, problems)
        environment_names(name, function, reads, sends, args, problems)
    if len(roles) != len(wanted):
        problems.append(f"{len(roles)} resources of type AWS::IAM::Role, expected {len(wanted)}, one for each function")
    snapstart(main_id, resources[main_id], resources, args, problems)
    if args.rest_api_method:
        rest_api(main_id, resources, translated, args, problems)
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
