# stepwire's stand-in for the identity function of the recorded tests
# (testdata/conformance/sfn/functions.json cites where it is defined): the
# result of every invocation is the event it was given, unchanged.


def handler(event, context):
    return event
