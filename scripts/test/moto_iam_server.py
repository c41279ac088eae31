#!/usr/bin/env python3
"""moto_server with its IAM enforcement made usable for the workbook's scripts.

Usage: moto_iam_server.py [moto_server options, e.g. -H 127.0.0.1 -p PORT]

Runs moto's own server (moto.server.main) after correcting three things in how moto 5 decides
whether an IAM user may make a request, once enforcement is on (POST "0" to /moto-api/reset-auth;
INITIAL_NO_AUTH_ACTION_COUNT is the same setting):

  1. Signatures are not checked. moto recomputes the signature from what it parsed, and for a
     Lambda request without a body (GET, DELETE: get-function, list-functions, list-tags,
     delete-function, the waiters) it signs the headers as if they were the body, so it refuses
     every such request with SignatureDoesNotMatch. The access key still has to belong to an IAM
     user: an unknown key is refused, and the user's policies decide.
  2. Action names. moto names the action after the operation, which is the IAM action for IAM,
     Lambda (except Invoke), CloudWatch Logs and EC2, but after the URL path for X-Ray
     (xray:TraceSummaries) and after its own table for S3, where HeadBucket is not the IAM action
     and PutPublicAccessBlock falls through to s3:CreateBucket. Those are renamed to the actions
     AWS checks (see MOTO_TO_IAM and S3_QUERY_ACTIONS).
  3. Resources. moto knows the resource of a request only for S3 (bucket and object ARNs) and for
     IAM roles that exist; for everything else it passes "*", which no statement scoped to the
     workbook's names matches. A request whose resource moto does not know is matched against
     every statement's actions, ignoring Resource. Where moto knows the resource (S3, existing
     roles) the policy's Resource is enforced as written.

What moto still does not check, so that only the static test (iam-policy.bats) covers it:
Conditions (moto evaluates a user policy's conditions without request context, so they always
pass: iam:PolicyARN, iam:PassedToService); the actions AWS checks besides the operation's own
(iam:PassRole in CreateFunction and UpdateFunctionConfiguration, lambda:GetLayerVersion on each
layer version in those two with --layers (step 5), iam:TagRole in CreateRole with tags,
lambda:TagResource in CreateFunction with tags, lambda:ListTags in GetFunction); and
GetTraceSegmentDestination, which moto does not implement.

Each correction fails loudly when the moto it expects is not there.
"""

import os
import sys

import moto.iam.access_control as access_control
import moto.s3.responses as s3_responses
from moto.server import main as moto_main

MOTO_TO_IAM = {
    "xray:TraceSummaries": "xray:GetTraceSummaries",
    "xray:Traces": "xray:BatchGetTraces",
    "xray:TraceSegments": "xray:PutTraceSegments",
    "lambda:Invoke": "lambda:InvokeFunction",
    "s3:HeadBucket": "s3:ListBucket",
}

# S3 bucket subresources moto does not map, by method: the query parameter and the IAM action.
S3_QUERY_ACTIONS = {
    "PUT": {"publicAccessBlock": "PutBucketPublicAccessBlock"},
    "GET": {"publicAccessBlock": "GetBucketPublicAccessBlock"},
    "DELETE": {"publicAccessBlock": "PutBucketPublicAccessBlock"},
}


def require(owner, name):
    if not hasattr(owner, name):
        sys.exit(f"moto_iam_server.py: this moto has no {owner.__name__}.{name}: "
                 "its IAM enforcement changed, so this file must be checked against it")
    return getattr(owner, name)


def patch():
    request_base = require(access_control, "IAMRequestBase")
    statement = require(access_control, "IAMPolicyStatement")
    require(request_base, "check_signature")
    original_init = require(request_base, "__init__")
    original_matches = require(statement, "_check_element_matches")
    action_map = require(s3_responses, "ACTION_MAP")

    def skip_signature(self):
        return None

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        self._action = MOTO_TO_IAM.get(self._action, self._action)

    def matches(self, element, value):
        if element == "Resource" and value == "*":
            return True
        return original_matches(self, element, value)

    request_base.check_signature = skip_signature
    request_base.__init__ = init
    statement._check_element_matches = matches
    for method, actions in S3_QUERY_ACTIONS.items():
        action_map["BUCKET"][method].update(actions)


if __name__ == "__main__":
    patch()
    # The stack tests run under IAM enforcement too.
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import moto_sam_transform
    moto_sam_transform.patch()
    moto_main(sys.argv[1:])
