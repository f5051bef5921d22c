# Debian's python3-boto3 (botocore 1.29) as a line-by-line RPC for the tests: one JSON request
# per stdin line, {"op": "create_email_identity", "params": {...}}, one JSON answer per line,
# {"result": ...} or {"error": {"code", "message", "status"}}. Run with /usr/bin/python3.
import json
import sys

import boto3
import botocore.config
import botocore.exceptions


def main() -> None:
    url, region = sys.argv[1], sys.argv[2]
    client = boto3.client(
        "sesv2",
        endpoint_url=url,
        region_name=region,
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        config=botocore.config.Config(retries={"total_max_attempts": 1}),
    )
    print(json.dumps({"ready": boto3.__version__, "botocore": botocore.__version__}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        try:
            result = getattr(client, request["op"])(**request.get("params", {}))
            result.pop("ResponseMetadata", None)
            answer = {"result": result}
        except botocore.exceptions.ClientError as error:
            answer = {
                "error": {
                    "code": error.response["Error"]["Code"],
                    "message": error.response["Error"]["Message"],
                    "status": error.response["ResponseMetadata"]["HTTPStatusCode"],
                }
            }
        # Timestamps come back as datetimes: epoch seconds, as on the wire.
        print(json.dumps(answer, default=lambda value: value.timestamp()), flush=True)


if __name__ == "__main__":
    main()
