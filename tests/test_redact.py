"""Credentials written into a Neo4j URI never reach a message, a repr or the terminal."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest

from alliances.commands.common import Neo4jSettings, neo4j_settings
from alliances.redact import redact, split_credentials

# (uri, the clean uri, user, password)
URIS = [
    ("bolt://neo4j:SECRET@host", "bolt://host", "neo4j", "SECRET"),
    ("neo4j://neo4j:SECRET@host:7687/", "neo4j://host:7687/", "neo4j", "SECRET"),
    ("neo4j+s://admin:p%40ss%2Fw0rd@abc.databases.neo4j.io", "neo4j+s://abc.databases.neo4j.io", "admin", "p@ss/w0rd"),
    ("bolt+ssc://u:pa@ss@127.0.0.1:7687", "bolt+ssc://127.0.0.1:7687", "u", "pa@ss"),
    ("neo4j://:only-password@host", "neo4j://host", None, "only-password"),
    ("neo4j://tokenwithoutcolon@host", "neo4j://host", "tokenwithoutcolon", None),
    ("bolt://host:7687", "bolt://host:7687", None, None),
    ("neo4j://用户:密码123@主机:7687", "neo4j://主机:7687", "用户", "密码123"),
]


@pytest.mark.parametrize("uri, clean, user, password", URIS)
def test_split_credentials(uri, clean, user, password):
    assert split_credentials(uri) == (clean, user, password)


@pytest.mark.parametrize("uri, clean, user, password", URIS)
def test_redact_masks_the_userinfo_of_any_uri_in_a_text(uri, clean, user, password):
    text = f"cannot reach {uri} (given URI: '{uri}'), twice: \"{uri}\""
    out = redact(text)
    if password:
        assert password not in out
        assert out.count("***@") == 3
    if uri == clean:
        assert out == text


def test_redact_masks_given_secrets():
    pw = secrets.token_urlsafe(12)
    assert redact(f"x {pw} y {pw}", [pw, ""]) == "x *** y ***"
    assert redact("plain text, no secret", [pw]) == "plain text, no secret"


@pytest.mark.parametrize("uri, clean, user, password", [u for u in URIS if u[3]])
def test_settings_take_the_password_out_of_the_uri(uri, clean, user, password):
    s = neo4j_settings(uri=uri, env={}, prompt=False)
    assert (s.uri, s.password) == (clean, password)
    assert s.user == (user or "neo4j")
    assert password not in repr(s) and password not in s.uri
    env = neo4j_settings(env={"NEO4J_URI": uri}, prompt=False)
    assert (env.uri, env.password) == (clean, password)
    # a password given on its own, and a user flag, win over the URI's
    own = neo4j_settings(uri=uri, user="other", env={"NEO4J_PASSWORD": "own"}, prompt=False)
    assert (own.uri, own.user, own.password) == (clean, "other", "own")
    direct = Neo4jSettings(uri=uri)
    assert direct.uri == clean and direct.password == password and password not in repr(direct)


@pytest.mark.parametrize("uri", [
    "bolt://neo4j:{pw}@127.0.0.1:1",
    "neo4j://neo4j:{pw}@127.0.0.1:1",
    "neo4j+s://neo4j:{pw}@127.0.0.1:1",
    "foo://neo4j:{pw}@127.0.0.1:1",          # not a Neo4j scheme: the driver's message quotes the URI
    "bolt://neo4j:{pw}@127.0.0.1:1/?x=1",    # a direct driver refuses a routing context
    "neo4j://neo4j:{pw}@bad host:1",
])
@pytest.mark.parametrize("how", ["flag", "env"])
def test_no_command_prints_a_password_from_the_uri(uri, how, tmp_path):
    pw = "Pw" + secrets.token_hex(8)
    uri = uri.format(pw=pw)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(LANG="C", LC_ALL="C")
    args = ["path", "a", "b", "--neo4j"]
    if how == "flag":
        args += ["--uri", uri]
    else:
        env["NEO4J_URI"] = uri
    done = subprocess.run([sys.executable, "-m", "alliances", *args], env=env, capture_output=True,
                          timeout=120, cwd=tmp_path)
    assert done.returncode in (1, 2)
    out = done.stdout + done.stderr
    assert pw.encode() not in out
    assert b"Traceback" not in done.stderr
    assert b"Error:" in done.stderr


@pytest.mark.neo4j
def test_a_password_in_the_uri_logs_in_and_is_never_shown(neo4j_env, tmp_path):
    real = neo4j_env["NEO4J_PASSWORD"]
    host = neo4j_env["NEO4J_URI"].split("://", 1)[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update(LANG="C", LC_ALL="C", NEO4J_URI=f"bolt://neo4j:{real}@{host}")
    ok = subprocess.run([sys.executable, "-m", "alliances", "search", "自贡", "--neo4j", "--format", "json"],
                        env=env, capture_output=True, timeout=300, cwd=tmp_path)
    wrong = "Wrong" + secrets.token_hex(8)
    env["NEO4J_URI"] = f"bolt://neo4j:{wrong}@{host}"
    bad = subprocess.run([sys.executable, "-m", "alliances", "search", "自贡", "--neo4j"],
                         env=env, capture_output=True, timeout=300, cwd=tmp_path)
    assert ok.returncode == 0, ok.stderr.decode()
    assert bad.returncode == 1 and b"refused the credentials" in bad.stderr
    assert b"Traceback" not in bad.stderr
    for blob in (ok.stdout, ok.stderr, bad.stdout, bad.stderr):
        assert real.encode() not in blob and wrong.encode() not in blob
