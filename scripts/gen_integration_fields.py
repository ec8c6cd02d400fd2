#!/usr/bin/env python3
"""Writes emulator/asl/integration_fields.go: the request fields of each
optimized Step Functions integration that maps onto one AWS API action, read
from the API models botocore ships (the top-level fields, which of them are
required, and the shapes of the nested structures), plus the fields the Step
Functions Developer Guide documents for integrations that are not an AWS API
action.

Usage: python3 scripts/gen_integration_fields.py > emulator/asl/integration_fields.go
(then gofmt). Needs botocore; the version used is written into the file.
"""
import gzip
import json
import os
import sys

import botocore

DATA = os.path.join(os.path.dirname(botocore.__file__), "data")

# Resource "service:action" -> (botocore service, API operation).
API = {
    "athena:startQueryExecution": ("athena", "StartQueryExecution"),
    "athena:stopQueryExecution": ("athena", "StopQueryExecution"),
    "athena:getQueryExecution": ("athena", "GetQueryExecution"),
    "athena:getQueryResults": ("athena", "GetQueryResults"),
    "batch:submitJob": ("batch", "SubmitJob"),
    "bedrock:createModelCustomizationJob": ("bedrock", "CreateModelCustomizationJob"),
    "codebuild:startBuild": ("codebuild", "StartBuild"),
    "codebuild:stopBuild": ("codebuild", "StopBuild"),
    "codebuild:batchDeleteBuilds": ("codebuild", "BatchDeleteBuilds"),
    "codebuild:batchGetReports": ("codebuild", "BatchGetReports"),
    "codebuild:startBuildBatch": ("codebuild", "StartBuildBatch"),
    "codebuild:stopBuildBatch": ("codebuild", "StopBuildBatch"),
    "codebuild:retryBuildBatch": ("codebuild", "RetryBuildBatch"),
    "codebuild:deleteBuildBatch": ("codebuild", "DeleteBuildBatch"),
    "dynamodb:getItem": ("dynamodb", "GetItem"),
    "dynamodb:putItem": ("dynamodb", "PutItem"),
    "dynamodb:updateItem": ("dynamodb", "UpdateItem"),
    "dynamodb:deleteItem": ("dynamodb", "DeleteItem"),
    "ecs:runTask": ("ecs", "RunTask"),
    "eks:createCluster": ("eks", "CreateCluster"),
    "eks:deleteCluster": ("eks", "DeleteCluster"),
    "eks:createFargateProfile": ("eks", "CreateFargateProfile"),
    "eks:deleteFargateProfile": ("eks", "DeleteFargateProfile"),
    "eks:createNodegroup": ("eks", "CreateNodegroup"),
    "eks:deleteNodegroup": ("eks", "DeleteNodegroup"),
    "elasticmapreduce:createCluster": ("emr", "RunJobFlow"),
    "emr-containers:createVirtualCluster": ("emr-containers", "CreateVirtualCluster"),
    "emr-containers:deleteVirtualCluster": ("emr-containers", "DeleteVirtualCluster"),
    "emr-containers:startJobRun": ("emr-containers", "StartJobRun"),
    "emr-serverless:createApplication": ("emr-serverless", "CreateApplication"),
    "emr-serverless:startApplication": ("emr-serverless", "StartApplication"),
    "emr-serverless:stopApplication": ("emr-serverless", "StopApplication"),
    "emr-serverless:deleteApplication": ("emr-serverless", "DeleteApplication"),
    "emr-serverless:startJobRun": ("emr-serverless", "StartJobRun"),
    "emr-serverless:cancelJobRun": ("emr-serverless", "CancelJobRun"),
    "events:putEvents": ("events", "PutEvents"),
    "glue:startJobRun": ("glue", "StartJobRun"),
    "databrew:startJobRun": ("databrew", "StartJobRun"),
    "lambda:invoke": ("lambda", "Invoke"),
    "mediaconvert:createJob": ("mediaconvert", "CreateJob"),
    "sagemaker:createEndpoint": ("sagemaker", "CreateEndpoint"),
    "sagemaker:createEndpointConfig": ("sagemaker", "CreateEndpointConfig"),
    "sagemaker:createHyperParameterTuningJob": ("sagemaker", "CreateHyperParameterTuningJob"),
    "sagemaker:createLabelingJob": ("sagemaker", "CreateLabelingJob"),
    "sagemaker:createModel": ("sagemaker", "CreateModel"),
    "sagemaker:createProcessingJob": ("sagemaker", "CreateProcessingJob"),
    "sagemaker:createTrainingJob": ("sagemaker", "CreateTrainingJob"),
    "sagemaker:createTransformJob": ("sagemaker", "CreateTransformJob"),
    "sagemaker:updateEndpoint": ("sagemaker", "UpdateEndpoint"),
    "sns:publish": ("sns", "Publish"),
    "sqs:sendMessage": ("sqs", "SendMessage"),
    "states:startExecution": ("stepfunctions", "StartExecution"),
}

# Integrations that are not one AWS API action, with the request fields
# their Developer Guide page lists (allowed, required).
DOCUMENTED = {
    # connect-api-gateway, "Supported parameters".
    "apigateway:invoke": (
        ["ApiEndpoint", "Method", "Headers", "Stage", "Path", "QueryParameters",
         "RequestBody", "AllowNullValues", "AuthType"],
        ["ApiEndpoint", "Method"],
    ),
}


def model(service):
    d = os.path.join(DATA, service)
    version = sorted(os.listdir(d))[-1]
    path = os.path.join(d, version, "service-2.json")
    if os.path.exists(path):
        return json.load(open(path))
    return json.load(gzip.open(path + ".gz"))


def pascal(name):
    return name[:1].upper() + name[1:]


def fields(service, operation):
    m = model(service)
    name = m["operations"][operation]["input"]["shape"]
    shape = m["shapes"][name]
    members = shape["members"]
    allowed = sorted(pascal(k) for k in members)
    # An idempotency token is filled in by the SDK Step Functions calls
    # through, so a definition never has to give it.
    required = sorted(pascal(k) for k in shape.get("required", [])
                      if not members[k].get("idempotencyToken"))
    return allowed, required, service + "." + name


# SHAPES collects the structure, list and map shapes the requests hold
# that lead to a structure: key "<service>.<shape>" -> Go literal.
SHAPES = {}


def shape_ref(service, name, m=None, seen=None):
    """The key of shape name in SHAPES ("" for a shape not looked into),
    adding it and the shapes it holds."""
    key = service + "." + name
    if key in SHAPES:
        return key
    m = m or model(service)
    seen = seen if seen is not None else set()
    if key in seen:  # recursive shape: it is being added
        return key
    sh = m["shapes"][name]
    kind = sh["type"]
    if kind == "structure" and sh.get("document"):
        return ""  # any JSON value
    if kind == "structure":
        seen.add(key)
        members = {pascal(k): shape_ref(service, v["shape"], m, seen)
                   for k, v in sh.get("members", {}).items()}
        SHAPES[key] = ("structure", members)
        return key
    if kind in ("list", "map"):
        elem = sh["member" if kind == "list" else "value"]["shape"]
        seen.add(key)
        ref = shape_ref(service, elem, m, seen)
        seen.discard(key)
        if not ref:
            return ""
        SHAPES[key] = (kind, ref)
        return key
    return ""


def quoted(names):
    return ", ".join('"%s"' % n for n in names)


def main():
    rows = {}
    for key, (service, operation) in API.items():
        allowed, required, input_key = fields(service, operation)
        m = model(service)
        shape_ref(service, m["operations"][operation]["input"]["shape"], m)
        rows[key] = (allowed, required, "%s %s" % (service, operation), input_key)
    for key, (allowed, required) in DOCUMENTED.items():
        rows[key] = (sorted(allowed), sorted(required), "Developer Guide", "")
    out = sys.stdout
    out.write("// Code generated by scripts/gen_integration_fields.py from the botocore %s\n"
              "// API models; DO NOT EDIT.\n\n" % botocore.__version__)
    out.write("package asl\n\n")
    out.write("// integrationFields lists, per optimized integration as the Resource\n"
              "// names it (service:action, without a pattern suffix), the top-level\n"
              "// fields its Parameters or Arguments may have and the ones they must\n"
              "// have, and the request's shape in integrationShapes. The comment of\n"
              "// each row names its source: an AWS API action's request members, or\n"
              "// the Developer Guide page.\n")
    out.write("var integrationFields = map[string]fieldRule{\n")
    for key in sorted(rows):
        allowed, required, source, input_key = rows[key]
        out.write("\t// %s\n" % source)
        out.write('\t"%s": {\n' % key)
        out.write("\t\tallowed: []string{%s},\n" % quoted(allowed))
        if required:
            out.write("\t\trequired: []string{%s},\n" % quoted(required))
        if input_key:
            out.write('\t\tshape: "%s",\n' % input_key)
        out.write("\t},\n")
    out.write("}\n\n")
    out.write("// integrationShapes describes, by \"<botocore service>.<shape>\", the\n"
              "// structure, list and map shapes of the requests that hold a structure:\n"
              "// a structure's members with the shape each holds (\"\" for one that is\n"
              "// not looked into: a string, number, blob, document, or a list or map\n"
              "// of those), a list's element shape, a map's value shape.\n")
    out.write("var integrationShapes = map[string]shape{\n")
    for key in sorted(SHAPES):
        kind, body = SHAPES[key]
        if kind == "structure":
            members = ", ".join('"%s": "%s"' % (k, body[k]) for k in sorted(body))
            out.write('\t"%s": {kind: shapeStructure, members: map[string]string{%s}},\n' % (key, members))
        else:
            out.write('\t"%s": {kind: shape%s, elem: "%s"},\n' % (key, kind.capitalize(), body))
    out.write("}\n")


if __name__ == "__main__":
    main()
