#!/usr/bin/env python3
"""Writes emulator/asl/integration_fields.go: the top-level request fields of
each optimized Step Functions integration that maps onto one AWS API action,
read from the API models botocore ships, plus fields the Step Functions
Developer Guide documents for integrations that are not an AWS API action.

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
    shape = m["shapes"][m["operations"][operation]["input"]["shape"]]
    members = shape["members"]
    allowed = sorted(pascal(k) for k in members)
    # An idempotency token is filled in by the SDK Step Functions calls
    # through, so a definition never has to give it.
    required = sorted(pascal(k) for k in shape.get("required", [])
                      if not members[k].get("idempotencyToken"))
    return allowed, required


def quoted(names):
    return ", ".join('"%s"' % n for n in names)


def main():
    rows = {}
    for key, (service, operation) in API.items():
        rows[key] = fields(service, operation) + ("%s %s" % (service, operation),)
    for key, (allowed, required) in DOCUMENTED.items():
        rows[key] = (sorted(allowed), sorted(required), "Developer Guide")
    out = sys.stdout
    out.write("// Code generated by scripts/gen_integration_fields.py from the botocore %s\n"
              "// API models; DO NOT EDIT.\n\n" % botocore.__version__)
    out.write("package asl\n\n")
    out.write("// integrationFields lists, per optimized integration as the Resource\n"
              "// names it (service:action, without a pattern suffix), the top-level\n"
              "// fields its Parameters or Arguments may have and the ones they must\n"
              "// have. The comment of each row names its source: an AWS API action's\n"
              "// request members, or the Developer Guide page.\n")
    out.write("var integrationFields = map[string]fieldRule{\n")
    for key in sorted(rows):
        allowed, required, source = rows[key]
        out.write("\t// %s\n" % source)
        out.write('\t"%s": {\n' % key)
        out.write("\t\tallowed: []string{%s},\n" % quoted(allowed))
        if required:
            out.write("\t\trequired: []string{%s},\n" % quoted(required))
        out.write("\t},\n")
    out.write("}\n")


if __name__ == "__main__":
    main()
