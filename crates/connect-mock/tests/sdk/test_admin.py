"""connect-mock's admin API from a pytest suite, with boto3 as the app's client.

The two fixtures at the top are the ones the README offers to copy: ``connect_mock`` starts the
binary once per session on a free port (``--port-file`` says which) and stops it with SIGTERM;
``mock`` resets it before each test, so that no test sees another's requests, scripts or
changes. Run by run-boto3.sh (which sets CONNECT_MOCK_BIN); alone:

    CONNECT_MOCK_BIN=target/debug/connect-mock python -m pytest crates/connect-mock/tests/sdk/test_admin.py
"""

import datetime
import json
import os
import pathlib
import subprocess
import time
import urllib.error
import urllib.request

import boto3
import pytest

UTC = datetime.timezone.utc


class Mock:
    """A running connect-mock: its endpoint URL and its admin API."""

    def __init__(self, url):
        self.url = url
        self.admin = url + "/__mock"

    def call(self, method, path, body=None):
        """An admin call: (status, JSON answer); never raises on an HTTP error status."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.admin + path, data=data, method=method)
        request.add_header("content-type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as e:
            return e.code, json.load(e)

    def reset(self):
        assert self.call("POST", "/reset")[0] == 200

    def script(self, *answers, instance=None):
        status, answer = self.call("POST", "/scripts", {"instance": instance, "answers": list(answers)})
        assert status == 201, answer

    def requests(self, **filters):
        query = "&".join(f"{k}={v}" for k, v in filters.items())
        return self.call("GET", "/requests?" + query)[1]["requests"]

    def verify(self, **expectation):
        """Checks an expectation as the Rust mock's `expect` does; fails the test with its text."""
        status, answer = self.call("POST", "/verify", expectation)
        assert status == 200, answer["message"]


@pytest.fixture(scope="session")
def connect_mock(tmp_path_factory):
    binary = os.environ.get("CONNECT_MOCK_BIN", "connect-mock")
    port_file = tmp_path_factory.mktemp("connect-mock") / "port"
    fixtures = pathlib.Path(__file__).with_name("fixtures-admin.json")
    process = subprocess.Popen([binary, "--port", "0", "--port-file", str(port_file), "--fixtures", str(fixtures)])
    try:
        deadline = time.monotonic() + 10
        while not port_file.exists():
            assert process.poll() is None, "connect-mock exited at start"
            assert time.monotonic() < deadline, "connect-mock did not start within 10 s"
            time.sleep(0.05)
        yield Mock(f"http://127.0.0.1:{port_file.read_text().strip()}")
    finally:
        process.terminate()
        assert process.wait(timeout=10) == 0, "connect-mock stops cleanly on SIGTERM"


@pytest.fixture
def mock(connect_mock):
    connect_mock.reset()
    return connect_mock


def connect(mock, key="AKIDAGENT"):
    session = boto3.session.Session(aws_access_key_id=key, aws_secret_access_key="any", region_name="us-east-1")
    return session.client("connect", endpoint_url=mock.url)


# fixtures-admin.json: instance i-1 (alias example-corp) with one user, AKIDAGENT; a fixed clock.
NOW = datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_a_first_test_leaves_requests_and_changes_behind(mock):
    connect(mock).get_federation_token(InstanceId="i-1")
    assert mock.call("POST", "/instances", {"id": "i-2"})[0] == 201
    mock.script({"kind": "throttling"})
    assert len(mock.requests()) == 1


def test_b_the_next_test_starts_from_the_fixtures(mock):
    assert mock.requests() == []
    assert mock.call("GET", "/scripts")[1] == []
    assert [i["id"] for i in mock.call("GET", "/instances")[1]] == ["i-1"]
    assert mock.call("GET", "/health")[1]["status"] == "ok"


def test_a_scripted_error_for_one_call(mock):
    client = connect(mock)
    mock.script({"kind": "error", "code": "UserNotFoundException", "message": "scripted for this test"})
    with pytest.raises(client.exceptions.UserNotFoundException) as caught:
        client.get_federation_token(InstanceId="i-1")
    assert caught.value.response["Error"]["Message"] == "scripted for this test"
    assert client.get_federation_token(InstanceId="i-1")["UserId"]
    assert [r["status"] for r in mock.requests(instance="i-1")] == [404, 200]


def test_an_error_the_operation_does_not_have_is_refused_when_scripted(mock):
    status, answer = mock.call("POST", "/scripts", {"answers": [{"kind": "error", "code": "ThrottlingException"}]})
    assert status == 400
    assert 'use kind = "throttling"' in answer["message"]


def test_verification_passes_and_fails_with_the_libraries_text(mock):
    connect(mock).get_federation_token(InstanceId="i-1")
    mock.verify(times=1, instance="i-1", caller="AKIDAGENT")
    status, answer = mock.call("POST", "/verify", {"at_least": 2, "caller": "AKIDOTHER"})
    assert status == 422
    assert "expected at least 2 GetFederationToken calls from `AKIDOTHER`, got 0" in answer["message"]
    assert "#1 GET /user/federate/i-1 (caller AKIDAGENT) -> 200: caller is `AKIDAGENT`, not `AKIDOTHER`" in answer[
        "message"
    ]


def test_the_clock_can_be_set_and_advanced(mock):
    client = connect(mock)
    expires = client.get_federation_token(InstanceId="i-1")["Credentials"]["AccessTokenExpiration"]
    assert expires == NOW + datetime.timedelta(hours=1)
    assert mock.call("POST", "/clock/advance", {"seconds": 90})[1]["now"] == "2030-01-02T03:05:35Z"
    expires = client.get_federation_token(InstanceId="i-1")["Credentials"]["AccessTokenExpiration"]
    assert expires == NOW + datetime.timedelta(hours=1, seconds=90)
    assert mock.call("PUT", "/clock", {"now": "2031-05-06T07:08:09Z"})[1] == {"now": "2031-05-06T07:08:09Z", "fixed": True}


def test_users_and_root_keys_change_at_runtime(mock):
    client = connect(mock, key="AKIDNEW")
    with pytest.raises(client.exceptions.UserNotFoundException):
        client.get_federation_token(InstanceId="i-1")
    status, _ = mock.call("POST", "/instances/i-1/users", {"access_key_id": "AKIDNEW", "user_name": "new"})
    assert status == 201
    assert client.get_federation_token(InstanceId="i-1")["UserId"]
    assert mock.call("POST", "/root-keys", {"access_key_id": "AKIDNEW"})[0] == 400, "a user cannot be a root key"
    assert mock.call("DELETE", "/instances/i-1/users/AKIDNEW")[0] == 200
    assert mock.call("POST", "/root-keys", {"access_key_id": "AKIDNEW"})[0] == 201
    with pytest.raises(client.exceptions.InvalidRequestException):
        client.get_federation_token(InstanceId="i-1")


def test_fixtures_go_out_and_back_in_with_every_problem_named(mock):
    status, fixtures = mock.call("GET", "/fixtures")
    assert status == 200 and fixtures["now"] == "2030-01-02T03:04:05Z"
    assert mock.call("PUT", "/fixtures", fixtures)[0] == 200
    broken = dict(fixtures, account_id="12", instances=[{"id": "a/b"}, {"id": "x"}, {"id": "x"}])
    status, answer = mock.call("PUT", "/fixtures", broken)
    assert status == 400
    assert len(answer["problems"]) == 3, answer
    assert mock.call("GET", "/fixtures")[1] == fixtures, "a refused change changes nothing"
