"""A stand-in for the AWS CLI that answers from recorded responses, for testing deploy/msf/health-check.sh.

It checks every call against botocore's own service models, as the CLI does before it sends anything: the operation
must exist and its parameters must validate against the operation's input shape. The recorded response must fit the
operation's output shape. It then applies --query (JMESPath, the CLI's library) and prints --output text the way the
CLI's text formatter does for scalars, lists of scalars and lists of lists.

Environment: FAKE_AWS_SCENARIO, a JSON file {"<service> <operation>[ <MetricName>]": <response>, ...};
FAKE_AWS_LOG, a file each call is appended to (one JSON line). Exit 252 on a bad call, 254 for an unrecorded one.
"""
import json
import os
import sys

import botocore.session
import jmespath
from botocore.validate import ParamValidator

GLOBAL_WITH_VALUE = {"--query", "--output", "--region", "--profile", "--endpoint-url"}


def fail(code, message):
    sys.stderr.write(message + "\n")
    sys.exit(code)


def text(value):
    if value is None:
        return "None"
    if isinstance(value, bool):
        return "True" if value else "False"
    return str(value)


def main(argv):
    if len(argv) < 2:
        fail(252, "usage: aws <service> <operation> [parameters]")
    service, cli_operation = argv[0], argv[1]
    options, params_cli = {}, {}
    i = 2
    while i < len(argv):
        arg = argv[i]
        if not arg.startswith("--") or i + 1 >= len(argv):
            fail(252, "aws: error: argument %s: expected one argument" % arg)
        if arg in GLOBAL_WITH_VALUE:
            options[arg] = argv[i + 1]
        else:
            params_cli[arg[2:]] = argv[i + 1]
        i += 2

    session = botocore.session.get_session()
    try:
        model = session.get_service_model(service)
    except Exception:
        fail(252, "aws: error: argument command: Invalid choice: %s" % service)
    names = {botocore.xform_name(op).replace("_", "-"): op for op in model.operation_names}
    if cli_operation not in names:
        fail(252, "aws: error: argument operation: Invalid choice: %s" % cli_operation)
    operation = model.operation_model(names[cli_operation])
    members = {botocore.xform_name(m).replace("_", "-"): m for m in operation.input_shape.members}
    params = {}
    for name, raw in params_cli.items():
        if name not in members:
            fail(252, "aws: error: Unknown options: --%s" % name)
        shape = operation.input_shape.members[members[name]]
        if shape.type_name in ("integer", "long"):
            value = int(raw)
        elif shape.type_name in ("list", "structure", "map"):
            value = json.loads(raw)
        else:
            value = raw
        params[members[name]] = value
    report = ParamValidator().validate(params, operation.input_shape)
    if report.has_errors():
        fail(252, "Parameter validation failed:\n" + report.generate_report())

    key = "%s %s" % (service, cli_operation)
    if cli_operation == "get-metric-data":
        key += " " + params["MetricDataQueries"][0]["MetricStat"]["Metric"]["MetricName"]
    with open(os.environ["FAKE_AWS_LOG"], "a") as log:
        log.write(json.dumps({"call": key, "params": params, "options": options}) + "\n")
    with open(os.environ["FAKE_AWS_SCENARIO"]) as f:
        recorded = json.load(f)
    if key not in recorded:
        fail(254, "An error occurred (ResourceNotFoundException) when calling %s: nothing recorded for '%s'"
             % (operation.name, key))
    response = recorded[key]
    report = ParamValidator().validate(response, operation.output_shape)
    if report.has_errors():
        fail(253, "the recorded response for '%s' does not fit %s's output:\n%s"
             % (key, operation.name, report.generate_report()))

    result = jmespath.search(options["--query"], response) if "--query" in options else response
    if options.get("--output", "json") != "text":
        print(json.dumps(result, indent=4, default=str))
        return
    if isinstance(result, list):
        if result and all(isinstance(row, list) for row in result):
            for row in result:
                print("\t".join(text(v) for v in row))
        elif result:
            print("\t".join(text(v) for v in result))
    else:
        print(text(result))


if __name__ == "__main__":
    main(sys.argv[1:])
