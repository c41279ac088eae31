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
(not created). moto stores step 7's queues, event source mapping and permission, but delivers no
message to a function and runs none; nor does it serve the REST API's URL.

Two more things CloudFormation does, emulated here:
  - A template the translator refuses makes the change set FAILED with the status reason
    "Transform AWS::Serverless-2016-10-31 failed with: " and the translator's message, as
    CloudFormation reports it (aws cloudformation deploy then prints that reason).
  - A Lambda function a stack creates carries the tags aws:cloudformation:stack-name,
    aws:cloudformation:stack-id and aws:cloudformation:logical-id, which CloudFormation adds to
    the resources it creates (CloudFormation User Guide, "Tag your CloudFormation resources":
    https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-properties-resource-tags.html),
    and the stack's own tags, which CloudFormation propagates to them.

  - A REST API whose template gives its OpenAPI definition (Body, as SAM writes it) has the
    routes of that definition: moto's CloudFormation makes the API without them, and then cannot
    deploy it ("The REST API doesn't contain any methods"). moto's own import (put_rest_api)
    reads the definition, OpenAPI 3 only.
  - AWS::ApiGateway::Stage, which moto's CloudFormation does not know, is made with moto's
    create_stage, TracingEnabled included; deleting the stack deletes the REST API with its
    stages, which moto's CloudFormation leaves behind.
  - A stack made or changed through a change set (as aws cloudformation deploy does) has the
    outputs of its new template: moto keeps those of the stack's first, empty one.

patch() applies all of it; it fails loudly when moto is not the one it was written against.
"""

import json

import boto3.session
import moto.cloudformation.models as cloudformation
import moto.cloudformation.parsing as parsing
from moto.apigateway.models import RestAPI, apigateway_backends
from moto.awslambda.models import lambda_backends
from moto.core.common_models import CloudFormationModel
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


class _Stage(CloudFormationModel):
    """AWS::ApiGateway::Stage for moto's CloudFormation, made with moto's own API Gateway."""

    # moto files its models by the service in their module's name (moto.SERVICE...).
    __module__ = "moto.apigateway.workbook_stage"

    def __init__(self, api_id, name):
        self.api_id = api_id
        self.name = name

    @staticmethod
    def cloudformation_type():
        return "AWS::ApiGateway::Stage"

    @staticmethod
    def cloudformation_name_type():
        return "StageName"

    @property
    def physical_resource_id(self):
        return self.name

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        properties = cloudformation_json["Properties"]
        backend = apigateway_backends[account_id][region_name]
        # moto's Deployment has no physical id, so that Ref gives the object.
        deployment = getattr(properties["DeploymentId"], "id", properties["DeploymentId"])
        backend.create_stage(properties["RestApiId"], properties["StageName"], deployment,
                             tracing_enabled=properties.get("TracingEnabled"))
        return cls(properties["RestApiId"], properties["StageName"])

    def delete(self, account_id, region_name):
        backend = apigateway_backends[account_id][region_name]
        if self.api_id in backend.apis:
            backend.delete_stage(self.api_id, self.name)


def _patch_rest_api():
    create = RestAPI.create_from_cloudformation_json.__func__

    def create_with_body(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        api = create(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        body = cloudformation_json["Properties"].get("Body")
        if body:
            apigateway_backends[account_id][region_name].put_rest_api(api.id, body, fail_on_warnings=False,
                                                                       mode="overwrite")
        return api

    def delete(self, account_id, region_name):
        apigateway_backends[account_id][region_name].delete_rest_api(self.id)

    RestAPI.create_from_cloudformation_json = classmethod(create_with_body)
    RestAPI.delete = delete
    parsing.get_model_map()["AWS::ApiGateway::Stage"] = _Stage


def patch():
    _patch_rest_api()
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
            stack._parse_template()
            stack.output_map = stack._create_output_map()
        return result

    backend_class.create_change_set = create_change_set_translated
    backend_class.execute_change_set = execute_change_set_tagged
