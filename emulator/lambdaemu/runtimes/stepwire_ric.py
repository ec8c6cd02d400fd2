"""stepwire's runtime interface client for python3.x Lambda functions.

It speaks the Lambda Runtime API at $AWS_LAMBDA_RUNTIME_API with the
standard library only, imports the handler named by $_HANDLER from
$LAMBDA_TASK_ROOT, and reports errors in the forms of AWS's own client
(awslambdaric): docs/lambda.md section 5 of the stepwire repository.

Before the handler is imported, botocore (when installed) is taught to send
every client to $AWS_ENDPOINT_URL, so that boto3 releases older than that
variable's support reach the emulator with no change to the function.
"""

import http.client
import importlib
import json
import logging
import os
import sys
import time
import traceback

API = os.environ["AWS_LAMBDA_RUNTIME_API"]
BASE = "/2018-06-01/runtime"


def request(method, path, body=None, headers=None):
    conn = http.client.HTTPConnection(API)
    conn.request(method, BASE + path, body=body, headers=headers or {})
    resp = conn.getresponse()
    data = resp.read()
    hdrs = {k.lower(): v for k, v in resp.getheaders()}
    conn.close()
    return resp.status, hdrs, data


def error_object(etype, message, stack=None, request_id=None):
    obj = {"errorMessage": message, "errorType": etype, "stackTrace": stack or []}
    if request_id is not None:
        obj["requestId"] = request_id
    return obj


def frames(tb):
    out = []
    for f in traceback.extract_tb(tb):
        if f.filename == __file__:
            continue
        out.append('  File "%s", line %d, in %s\n    %s\n' % (f.filename, f.lineno, f.name, f.line or ""))
    return out


def log_error(obj):
    lines = ["[ERROR] %s: %s" % (obj["errorType"], obj["errorMessage"])]
    if obj["stackTrace"]:
        lines.append("Traceback (most recent call last):")
        lines.extend(s.replace("\n", "\r").rstrip("\r").replace("  ", "\u00a0\u00a0") for s in obj["stackTrace"])
    sys.stdout.write("\r".join(lines) + "\n")
    sys.stdout.flush()


def init_error(obj):
    log_error(obj)
    request("POST", "/init/error", json.dumps(obj).encode(),
            {"Lambda-Runtime-Function-Error-Type": obj["errorType"], "Content-Type": "application/json"})
    sys.exit(1)


def patch_botocore():
    """Give every botocore client the emulator's endpoint unless the caller
    names one, and turn host prefixes off (the sync- prefix of Step
    Functions' StartSyncExecution cannot resolve against a local host)."""
    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    if not endpoint:
        return
    try:
        import botocore.config
        import botocore.session
    except ImportError:
        return
    original = botocore.session.Session.create_client
    if getattr(original, "_stepwire", False):
        return

    def create_client(self, service_name, *args, **kwargs):
        if len(args) < 5 and kwargs.get("endpoint_url") is None:
            kwargs["endpoint_url"] = endpoint
        local = botocore.config.Config(inject_host_prefix=False)
        cfg = kwargs.get("config")
        kwargs["config"] = cfg.merge(local) if cfg is not None else local
        return original(self, service_name, *args, **kwargs)

    create_client._stepwire = True
    botocore.session.Session.create_client = create_client


BOTO_HINT = ("; boto3 is not installed for %s: install it (Debian: apt-get install python3-boto3; "
             "else: pip install boto3) or point STEPWIRE_PYTHON at a Python that has it" % sys.executable)


def load_handler(handler):
    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        init_error(error_object("Runtime.MalformedHandlerName", "Bad handler '%s': %s" % (handler, e)))
    modname = modname.replace("/", ".")
    if modname.split(".")[0] in sys.builtin_module_names:
        init_error(error_object("Runtime.BuiltInModuleConflict",
                                "Cannot use built-in module %s as a handler module" % modname))
    try:
        module = importlib.import_module(modname)
    except ImportError as e:
        msg = "Unable to import module '%s': %s" % (modname, e)
        if getattr(e, "name", "") in ("boto3", "botocore"):
            msg += BOTO_HINT
        init_error(error_object("Runtime.ImportModuleError", msg))
    except SyntaxError as e:
        stack = ['  File "%s" Line %s\n    %s\n' % (e.filename, e.lineno, (e.text or "").strip())]
        init_error(error_object("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (modname, e), stack))
    except Exception as e:
        init_error(error_object(type(e).__name__, str(e), frames(sys.exc_info()[2])))
    fn = getattr(module, fname, None)
    if fn is None:
        init_error(error_object("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (fname, modname)))
    return fn


class Context:
    def __init__(self, headers):
        self.aws_request_id = headers.get("lambda-runtime-aws-request-id", "")
        self.invoked_function_arn = headers.get("lambda-runtime-invoked-function-arn", "")
        self._deadline_ms = int(headers.get("lambda-runtime-deadline-ms", "0"))
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.identity = None
        self.client_context = None
        self.tenant_id = headers.get("lambda-runtime-aws-tenant-id")

    def get_remaining_time_in_millis(self):
        return max(self._deadline_ms - int(time.time() * 1000), 0)

    def log(self, msg):
        sys.stdout.write(str(msg))
        sys.stdout.flush()


class RequestIdFilter(logging.Filter):
    request_id = ""

    def filter(self, record):
        record.aws_request_id = RequestIdFilter.request_id
        return True


def setup_logging():
    h = logging.StreamHandler(sys.stdout)
    h.setFormatter(logging.Formatter("[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n",
                                     "%Y-%m-%dT%H:%M:%S"))
    h.formatter.converter = time.gmtime
    h.addFilter(RequestIdFilter())
    root = logging.getLogger()
    root.addHandler(h)
    root.setLevel(logging.WARNING)


def invoke(fn):
    status, headers, body = request("GET", "/invocation/next")
    if status != 200:
        sys.exit("stepwire runtime client: /next answered %d" % status)
    rid = headers.get("lambda-runtime-aws-request-id", "")
    RequestIdFilter.request_id = rid
    os.environ["_X_AMZN_TRACE_ID"] = headers.get("lambda-runtime-trace-id", "")
    try:
        event = json.loads(body) if body else None
    except ValueError as e:
        return report(rid, error_object("Runtime.UnmarshalError", "Unable to unmarshal input: %s" % e, [], rid))
    try:
        result = fn(event, Context(headers))
    except Exception as e:
        obj = error_object(type(e).__name__, str(e), frames(sys.exc_info()[2]), rid)
        log_error(obj)
        return report(rid, obj)
    try:
        out = json.dumps(result).encode()
    except (TypeError, ValueError) as e:
        return report(rid, error_object("Runtime.MarshalError", "Unable to marshal response: %s" % e, [], rid))
    request("POST", "/invocation/%s/response" % rid, out, {"Content-Type": "application/json"})


def report(rid, obj):
    request("POST", "/invocation/%s/error" % rid, json.dumps(obj).encode(), {"Content-Type": "application/json"})


def main():
    sys.stdout = os.fdopen(sys.stdout.fileno(), "w", 1)
    sys.stderr = os.fdopen(sys.stderr.fileno(), "w", 1)
    task_root = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
    if task_root not in sys.path:
        sys.path.insert(0, task_root)
    setup_logging()
    patch_botocore()
    fn = load_handler(os.environ.get("_HANDLER", ""))
    while True:
        invoke(fn)


if __name__ == "__main__":
    main()
