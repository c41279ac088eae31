"""CloudFormation's SAM transform for moto: a test stand-in, named as such.

moto 5's CloudFormation has no transforms: it creates nothing for AWS::Serverless::Function and
warns. CloudFormation runs the SAM transform (AWS::Serverless-2016-10-31) with the open-source
AWS SAM translator; this module runs the same translator (aws-sam-translator, the package
cfn-lint uses too) on every template that declares the transform, before moto reads it, so that
a stack of the workbook's templates makes in moto what it makes in AWS: the function, its role
with the inline policy, and for SnapStart a version.

What moto still does not do with the translated template, so that only the offline template
tests (templates.bats) check it: TracingConfig (moto's function says PassThrough), SnapStart,
Layers, the role's managed policies (ManagedPolicyArns are not attached), and AWS::Lambda::Alias
(not created).

Two more things CloudFormation does, emulated here:
  - A template the translator refuses makes the change set FAILED with the status reason
    "Transform AWS::Serverless-2016-10-31 failed with: " and the translator's message, as
    CloudFormation reports it (aws cloudformation deploy then prints that reason).
  - A Lambda function a stack creates carries the tags aws:cloudformation:stack-name,
    aws:cloudformation:stack-id and aws:cloudformation:logical-id, which CloudFormation adds to
    the resources it creates (CloudFormation User Guide, "Tag your CloudFormation resources":
    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-resource-tags.html),
    and the stack's own tags, which CloudFormation propagates to them.

patch() applies all of it; it fails loudly when moto is not the one it was written against.
"""

import json

import boto3.session
import moto.cloudformation.models as cloudformation
from moto.awslambda.models import lambda_backends
from samtranslator.model.exceptions import InvalidDocumentException
from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator

SAM_TRANSFORM = "AWS::Serverless-2016-10-31"


def _translate(template, region):
    """The template as CloudFormation sees it after the SAM transform, or None when it has none."""
    parsed = cloudformation.Stack.parse_template(template) if isinstance(template, str) else template
    if not isinstance(parsed, dict) or parsed.get("Transform") != SAM_TRANSFORM:
        return None
    translator = Translator(None, Parser(), boto_session=boto3.session.Session(region_name=region))
    return json.dumps(translator.translate(parsed, {}, get_managed_policy_map=lambda: {}))


def _tag_functions(backend, stack):
    """Tags the functions of a stack as CloudFormation does."""
    functions = lambda_backends[backend.account_id][backend.region_name]
    for logical_id, resource in stack.resource_map.items():
        if type(resource).__name__ != "LambdaFunction":
            continue
        tags = dict(stack.tags or {})
        tags.update({
            "aws:cloudformation:stack-name": stack.name,
            "aws:cloudformation:stack-id": stack.stack_id,
            "aws:cloudformation:logical-id": logical_id,
        })
        functions.tag_resource(resource.function_arn, tags)


def patch():
    backend_class = cloudformation.CloudFormationBackend
    for name in ("create_change_set", "execute_change_set"):
        if not hasattr(backend_class, name):
            raise SystemExit(f"moto_sam_transform.py: this moto has no CloudFormationBackend.{name}")
    create_change_set = backend_class.create_change_set
    execute_change_set = backend_class.execute_change_set

    def create_change_set_translated(self, stack_name, change_set_name, template, *args, **kwargs):
        try:
            translated = _translate(template, self.region_name)
        except InvalidDocumentException as e:
            change_set_id, stack_id = create_change_set(self, stack_name, change_set_name,
                                                        json.dumps({"Resources": {}}), *args, **kwargs)
            change_set = self.change_sets[change_set_id]
            change_set.status = "FAILED"
            change_set.execution_status = "UNAVAILABLE"
            reasons = " ".join([e.message] + [cause.message for cause in e.causes])
            change_set.status_reason = f"Transform {SAM_TRANSFORM} failed with: {reasons}"
            return change_set_id, stack_id
        return create_change_set(self, stack_name, change_set_name, translated or template, *args, **kwargs)

    def execute_change_set_tagged(self, change_set_name, stack_name=None):
        result = execute_change_set(self, change_set_name, stack_name)
        for stack in self.stacks.values():
            _tag_functions(self, stack)
        return result

    backend_class.create_change_set = create_change_set_translated
    backend_class.execute_change_set = execute_change_set_tagged
