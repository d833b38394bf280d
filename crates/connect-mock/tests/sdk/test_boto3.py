"""boto3, the official AWS SDK for Python, unmodified, against connect-mock.

The client is pointed at the mock with only an endpoint override and dummy keys (and botocore's
standard retry mode), and must read every answer as it reads AWS's: every output field, the
expirations as the right instants, each modeled error as ``client.exceptions.<Name>`` with its
message, and throttling retried.

run-boto3.sh beside this file starts two mocks and sets:

- CONNECT_MOCK_URL: a mock with fixtures.toml (a fixed clock, scripted scenario instances);
- CONNECT_MOCK_SIGV4_URL: a mock checking SigV4 signatures (fixtures-sigv4.toml) on the
  system clock.

Request counts come from the mock's admin API (``GET /__mock/requests?instance=...``), which
records each request before its answer is sent.
"""

import datetime
import json
import os
import sys
import time
import unittest
import urllib.parse
import urllib.request

import boto3
import botocore
from botocore.config import Config

URL = os.environ["CONNECT_MOCK_URL"]
SIGV4_URL = os.environ["CONNECT_MOCK_SIGV4_URL"]

INSTANCE = "11111111-2222-3333-4444-555555555555"
AGENT_KEY = "AKIDAGENTEXAMPLE"
AGENT_ID = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
ROOT_KEY = "AKIDROOTEXAMPLE"
UTC = datetime.timezone.utc
# fixtures.toml: now = "2030-01-02T03:04:05.125Z", tokens living 1 h and 12 h.
NOW = datetime.datetime(2030, 1, 2, 3, 4, 5, 125000, tzinfo=UTC)

MODELED_ERRORS = {
    # code: HTTP status
    "DuplicateResourceException": 409,
    "InternalServiceException": 500,
    "InvalidParameterException": 400,
    "InvalidRequestException": 400,
    "ResourceNotFoundException": 404,
    "UserNotFoundException": 404,
}


def client(key=AGENT_KEY, secret="any-secret", url=URL, retries=None):
    """A Connect client as an app makes one for a local endpoint: endpoint URL, region, keys."""
    session = boto3.session.Session(
        aws_access_key_id=key, aws_secret_access_key=secret, region_name="us-east-1"
    )
    config = Config(retries=retries if retries is not None else {"mode": "standard"})
    return session.client("connect", endpoint_url=url, config=config)


def statuses(instance, url=URL):
    """The statuses the mock answered for requests to this instance, in order (admin API)."""
    query = urllib.parse.urlencode({"instance": instance})
    with urllib.request.urlopen(f"{url}/__mock/requests?{query}") as response:
        answer = json.load(response)
    return [str(r["status"]) for r in answer["requests"]]


class Boto3AgainstMock(unittest.TestCase):
    maxDiff = None

    def test_success_parses_every_field_and_the_expirations_as_exact_instants(self):
        out = client().get_federation_token(InstanceId=INSTANCE)
        creds = out["Credentials"]
        self.assertEqual(creds["AccessTokenExpiration"], NOW + datetime.timedelta(hours=1))
        self.assertEqual(creds["RefreshTokenExpiration"], NOW + datetime.timedelta(hours=12))
        self.assertEqual(
            creds["AccessTokenExpiration"].astimezone(UTC).isoformat(), "2030-01-02T04:04:05.125000+00:00"
        )
        self.assertIsNotNone(creds["AccessTokenExpiration"].tzinfo, "an aware datetime")
        self.assertEqual(len(creds["AccessToken"]), 64, "48 random bytes in base64")
        self.assertEqual(len(creds["RefreshToken"]), 64)
        self.assertNotEqual(creds["AccessToken"], creds["RefreshToken"])
        self.assertTrue(
            out["SignInUrl"].startswith("https://example-corp.my.connect.aws/auth/sign-in?token="), out["SignInUrl"]
        )
        self.assertEqual(out["UserId"], AGENT_ID)
        self.assertEqual(
            out["UserArn"], f"arn:aws:connect:us-east-1:123456789012:instance/{INSTANCE}/agent/{AGENT_ID}"
        )
        meta = out["ResponseMetadata"]
        self.assertEqual(meta["HTTPStatusCode"], 200)
        self.assertRegex(meta["RequestId"], r"^[0-9a-f-]{36}$")
        self.assertEqual(meta["RetryAttempts"], 0)
        self.assertEqual(
            sorted(k for k in out if k != "ResponseMetadata"), ["Credentials", "SignInUrl", "UserArn", "UserId"]
        )
        # A second call: fresh tokens, the same (fixed) expirations.
        again = client().get_federation_token(InstanceId=INSTANCE)["Credentials"]
        self.assertNotEqual(again["AccessToken"], creds["AccessToken"])
        self.assertEqual(again["AccessTokenExpiration"], creds["AccessTokenExpiration"])

    def test_each_modeled_error_is_its_exception_with_its_message(self):
        c = client()
        for code, status in MODELED_ERRORS.items():
            with self.subTest(code=code):
                instance = "error-" + code
                message = f'scripted {code}: café "quoted"'
                exception_class = getattr(c.exceptions, code)
                with self.assertRaises(exception_class) as caught:
                    c.get_federation_token(InstanceId=instance)
                e = caught.exception
                self.assertIsInstance(e, botocore.exceptions.ClientError)
                self.assertEqual(e.response["Error"]["Code"], code)
                self.assertEqual(e.response["Error"]["Message"], message)
                self.assertEqual(e.response.get("Message"), message, "the modeled member")
                self.assertEqual(e.response["ResponseMetadata"]["HTTPStatusCode"], status)
                self.assertEqual(e.operation_name, "GetFederationToken")
                self.assertIn(f"({code})", str(e))
                self.assertIn(message, str(e))
                # A 500 is retried: 3 attempts in standard mode, each answered as scripted.
                attempts = 3 if status == 500 else 1
                self.assertEqual(e.response["ResponseMetadata"]["RetryAttempts"], attempts - 1)
                self.assertEqual(statuses(instance), [str(status)] * attempts)

    def test_the_mocks_own_errors(self):
        c = client()
        with self.assertRaises(c.exceptions.ResourceNotFoundException) as caught:
            c.get_federation_token(InstanceId="no-such-instance")
        self.assertEqual(caught.exception.response["Error"]["Message"], "Instance not found: no-such-instance")

        c = client(key="AKIDSTRANGER")
        with self.assertRaises(c.exceptions.UserNotFoundException) as caught:
            c.get_federation_token(InstanceId=INSTANCE)
        self.assertEqual(
            caught.exception.response["Error"]["Message"],
            f"No user in instance {INSTANCE} corresponds to the IAM identity AKIDSTRANGER",
        )

    def test_the_root_user_cannot_federate(self):
        c = client(key=ROOT_KEY)
        with self.assertRaises(c.exceptions.InvalidRequestException) as caught:
            c.get_federation_token(InstanceId=INSTANCE)
        e = caught.exception
        self.assertEqual(
            e.response["Error"]["Message"],
            "Provided identity: Principal: arn:aws:iam::123456789012:root User: AKIDROOTEXAMPLE "
            "cannot be used for federation with Amazon Connect",
        )
        self.assertEqual(e.response["ResponseMetadata"]["HTTPStatusCode"], 400)
        self.assertNotIn("Reason", e.response)

    def test_throttling_twice_then_success_is_retried_in_standard_mode(self):
        out = client().get_federation_token(InstanceId="throttled-twice")
        self.assertIn("AccessToken", out["Credentials"])
        self.assertEqual(out["ResponseMetadata"]["RetryAttempts"], 2)
        self.assertEqual(statuses("throttled-twice"), ["429", "429", "200"])

    def test_throttling_twice_then_success_is_retried_by_the_default_retry_mode(self):
        # No retry configuration at all: botocore's default mode (legacy, unless the
        # environment says otherwise).
        instance = "throttled-twice-default-retries"
        out = client(retries={}).get_federation_token(InstanceId=instance)
        self.assertEqual(out["ResponseMetadata"]["RetryAttempts"], 2)
        self.assertEqual(statuses(instance), ["429", "429", "200"])

    def test_throttling_past_the_attempts_is_a_throttling_error(self):
        c = client()
        with self.assertRaises(botocore.exceptions.ClientError) as caught:
            c.get_federation_token(InstanceId="throttled-always")
        e = caught.exception
        self.assertEqual(e.response["Error"]["Code"], "ThrottlingException")
        self.assertEqual(e.response["Error"]["Message"], "Rate exceeded")
        self.assertEqual(e.response["ResponseMetadata"]["HTTPStatusCode"], 429)
        self.assertEqual(e.response["ResponseMetadata"]["RetryAttempts"], 2)
        self.assertIn("reached max retries: 2", str(e))
        self.assertEqual(statuses("throttled-always"), ["429"] * 3)

    def test_signed_requests_pass_the_mocks_sigv4_check(self):
        before = datetime.datetime.now(UTC)
        out = client(url=SIGV4_URL).get_federation_token(InstanceId=INSTANCE)
        after = datetime.datetime.now(UTC)
        self.assertEqual(out["UserId"], AGENT_ID)
        creds = out["Credentials"]
        access, refresh = creds["AccessTokenExpiration"], creds["RefreshTokenExpiration"]
        hour, us = datetime.timedelta(hours=1), datetime.timedelta(microseconds=1)
        # The mock reads its clock between `before` and `after`. On the wire the expirations
        # are epoch seconds with nanoseconds, which botocore reads as a double (a quarter of a
        # microsecond apart around 2026) and rounds to microseconds: 1 us of slack.
        self.assertLessEqual(before + hour - us, access)
        self.assertLessEqual(access, after + hour + us)
        self.assertLessEqual(abs(refresh - access - 11 * hour), us, "one reading of the clock")

        with self.assertRaises(botocore.exceptions.ClientError) as caught:
            client(secret="wrong-secret", url=SIGV4_URL).get_federation_token(InstanceId=INSTANCE)
        e = caught.exception
        self.assertEqual(e.response["Error"]["Code"], "InvalidSignatureException")
        self.assertIn("signature", e.response["Error"]["Message"])
        self.assertEqual(e.response["ResponseMetadata"]["HTTPStatusCode"], 403)
        self.assertEqual(statuses(INSTANCE, SIGV4_URL), ["200", "403"])


if __name__ == "__main__":
    print(f"boto3 {boto3.__version__}, botocore {botocore.__version__}, Python {sys.version.split()[0]}")
    started = time.monotonic()
    result = unittest.main(verbosity=2, exit=False).result
    failed = len(result.failures) + len(result.errors)
    print(f"boto3: {result.testsRun - failed} passed, {failed} failed ({time.monotonic() - started:.1f} s)")
    sys.exit(0 if result.wasSuccessful() and result.testsRun > 0 else 1)
