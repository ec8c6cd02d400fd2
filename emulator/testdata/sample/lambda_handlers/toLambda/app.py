"""Complete: turns a worker's result message into SendTaskSuccess or SendTaskFailure."""
import json
import os

import boto3

sfn = boto3.client("stepfunctions", region_name=os.environ["AWS_REGION"])


def lambda_handler(event, context):
    token = event["TaskToken"]
    if event.get("error") or event.get("exception"):
        sfn.send_task_failure(taskToken=token, error=str(event.get("error") or event.get("exception")),
                              cause=str(event.get("cause", "")))
    else:
        sfn.send_task_success(taskToken=token, output=json.dumps({"result": event["result"]}))
    return {"statusCode": 202}
