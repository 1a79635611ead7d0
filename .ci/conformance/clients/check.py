"""Calls every GET operation of the spec through the generated Python client (openapi-python-client)
against the live service, and checks each response three ways:

1. typed: `sync_detailed(...).parsed` is an instance of the model the generated signature
   promises for that status (ProblemDetails for errors), and turning the model back into a dict
   gives the exact JSON body (nothing dropped or invented by a lenient parser);
2. strict: the JSON body validates against the operation's documented response schema for that
   status (JSON Schema draft 2020-12, `#/components/schemas` refs resolved in the spec);
3. the status and content type are the documented ones.

Usage: python check.py SPEC_JSON BASE_URL CLIENT_PARENT_DIR
Prints one line per call and "python-client: N calls, N passed, N failed".
"""

from __future__ import annotations

import importlib
import json
import re
import sys
import typing
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_PATH, BASE_URL, CLIENT_PARENT = sys.argv[1], sys.argv[2].rstrip("/"), sys.argv[3]
sys.path.insert(0, CLIENT_PARENT)

from exercise_api_client import Client  # noqa: E402
from exercise_api_client.models.problem_details import ProblemDetails  # noqa: E402
from exercise_api_client.types import Response  # noqa: E402

SPEC: dict[str, Any] = json.load(open(SPEC_PATH))
SPEC_URI = "urn:exercise-api:openapi"
REGISTRY = Registry().with_resource(
    SPEC_URI, Resource.from_contents(SPEC, default_specification=DRAFT202012)
)
MISSING_ID = "no-such-id-zz9"


def pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def raw_get(path: str) -> tuple[int, Any]:
    try:
        with urllib.request.urlopen(BASE_URL + path, timeout=10) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, None


def live_id(collection: str, preferred: str | None) -> str:
    """An id that exists: the spec's example if the catalogue has it, else the first listed."""
    if preferred and raw_get(f"{collection}/{preferred}")[0] == 200:
        return preferred
    status, body = raw_get(f"{collection}?limit=1" if collection != "/v1/sources" else collection)
    assert status == 200 and body["data"], f"{collection} lists nothing"
    return body["data"][0]["id"]


@dataclass
class Call:
    path: str
    label: str
    path_args: dict[str, str]
    query: dict[str, Any] = field(default_factory=dict)
    expect: int = 200


def plan() -> list[Call]:
    calls: list[Call] = []
    for path, item in SPEC["paths"].items():
        op = item.get("get")
        if not op:
            continue
        params = op.get("parameters", [])
        path_args: dict[str, str] = {}
        for p in params:
            if p["in"] == "path":
                collection = path.split("/{")[0]
                path_args[p["name"]] = live_id(collection, p.get("example"))
        calls.append(Call(path, "plain", path_args))
        examples = {
            p["name"]: p["example"]
            for p in params
            if p["in"] == "query" and p.get("example") is not None
        }
        if examples:
            calls.append(Call(path, "documented examples", path_args, examples))
        names = {p["name"] for p in params if p["in"] == "query"}
        if {"limit", "offset"} <= names:
            calls.append(Call(path, "second page of one", path_args, {"limit": 1, "offset": 1}))
            calls.append(Call(path, "limit=0 is rejected", path_args, {"limit": 0}, 400))
        if path_args:
            missing = {k: MISSING_ID for k in path_args}
            calls.append(Call(path, "unknown id", missing, {}, 404))
    return calls


def documented(path: str, status: int) -> tuple[str, str]:
    """The content type and the JSON pointer of the documented response schema."""
    responses = SPEC["paths"][path]["get"]["responses"]
    key = str(status) if str(status) in responses else "default"
    assert key in responses, f"status {status} is not documented for GET {path}"
    content = responses[key]["content"]
    assert len(content) == 1, f"GET {path} {status}: several content types {list(content)}"
    ctype = next(iter(content))
    return ctype, pointer("paths", path, "get", "responses", key, "content", ctype, "schema")


def model_types(fn: Any) -> tuple[type, ...]:
    ret = typing.get_type_hints(fn)["return"]
    assert typing.get_origin(ret) is Response, ret
    (inner,) = typing.get_args(ret)
    # `Any` stands for bodiless responses (304); only model classes can be checked.
    return tuple(t for t in (typing.get_args(inner) or (inner,)) if isinstance(t, type) and t is not typing.Any)


def run(call: Call) -> list[str]:
    op = SPEC["paths"][call.path]["get"]
    module = importlib.import_module(
        f"exercise_api_client.api.{op['tags'][0]}.{snake(op['operationId'])}"
    )
    client = Client(base_url=BASE_URL, raise_on_unexpected_status=False, timeout=10.0)
    resp = module.sync_detailed(**call.path_args, client=client, **call.query)
    problems: list[str] = []
    status = int(resp.status_code)
    if status != call.expect:
        problems.append(f"status {status}, expected {call.expect}")
    try:
        body = json.loads(resp.content)
    except ValueError as e:
        return problems + [f"body is not JSON: {e}"]
    # 1. typed
    types = model_types(module.sync_detailed)
    want = ProblemDetails if status >= 400 else next(t for t in types if t is not ProblemDetails)
    if not isinstance(resp.parsed, want):
        problems.append(f"parsed as {type(resp.parsed).__name__}, expected {want.__name__}")
    elif resp.parsed.to_dict() != body:
        problems.append("the parsed model does not give back the body: "
                        f"{json.dumps(resp.parsed.to_dict())[:300]} vs {json.dumps(body)[:300]}")
    # 2. strict: the documented schema
    try:
        ctype, ptr = documented(call.path, status)
    except AssertionError as e:
        return problems + [str(e)]
    validator = Draft202012Validator(
        {"$ref": f"{SPEC_URI}#/{ptr}"}, registry=REGISTRY, format_checker=FormatChecker()
    )
    for err in sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))[:5]:
        where = "/".join(str(p) for p in err.absolute_path)
        problems.append(f"schema: at /{where}: {err.message[:200]}")
    # 3. content type
    got_ctype = resp.headers.get("content-type", "").split(";")[0].strip()
    if got_ctype != ctype:
        problems.append(f"content-type {got_ctype!r}, documented {ctype!r}")
    return problems


def main() -> int:
    calls = plan()
    failed = 0
    for call in calls:
        args = {**call.path_args, **call.query}
        shown = f"GET {call.path} {call.label} {json.dumps(args)}"
        try:
            problems = run(call)
        except Exception as e:  # noqa: BLE001 - a crash in the client is a failure of this call
            problems = [f"{type(e).__name__}: {e}"]
        if problems:
            failed += 1
            print(f"  FAIL {shown}")
            for p in problems:
                print(f"         {p}")
        else:
            print(f"  ok   {shown} -> {call.expect}")
    ops = sum(1 for item in SPEC["paths"].values() if "get" in item)
    print(f"python-client: {len(calls)} calls over {ops} GET operations")
    print(f"COUNTS python calls={len(calls)} failed={failed}")
    print(f"python-client: {len(calls) - failed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
