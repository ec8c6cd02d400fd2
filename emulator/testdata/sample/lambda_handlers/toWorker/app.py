"""Dispatch: forwards the state's input and task token to the worker topic."""
import json
import os

import boto3

iot = boto3.client("iot-data", region_name=os.environ["AWS_REGION"])


def lambda_handler(event, context):
    message = {"Input": event["Input"], "TaskToken": event["TaskToken"]}
    iot.publish(topic=os.environ["WORKER_TOPIC"], qos=1, payload=json.dumps(message))
    print("dispatched to", os.environ["WORKER_TOPIC"])
    return {"statusCode": 200}
