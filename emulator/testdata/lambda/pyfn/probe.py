import json
import os
import time

import boto3

sfn = boto3.client("stepfunctions")


def handler(event, context):
    print("probe", json.dumps(event))
    op = event.get("op")
    if op == "env":
        keys = ["GREETING", "AWS_REGION", "AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
                "_HANDLER", "AWS_EXECUTION_ENV", "AWS_ENDPOINT_URL", "LAMBDA_TASK_ROOT"]
        return {"env": {k: os.environ.get(k) for k in keys}, "requestId": context.aws_request_id,
                "remainingMs": context.get_remaining_time_in_millis(), "pid": os.getpid()}
    if op == "error":
        raise ValueError("bad input")
    if op == "sleep":
        time.sleep(event["seconds"])
        return {"pid": os.getpid()}
    if op == "exit":
        os._exit(2)
    if op == "boto3":
        out = sfn.list_state_machines()
        return {"endpoint": sfn.meta.endpoint_url, "machines": len(out["stateMachines"])}
    return {"pid": os.getpid()}
