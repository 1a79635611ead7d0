"""Calls every operation of the spec (every GET, and POST /v1/routines/generate) through the
generated Python client (openapi-python-client) against the live service, and checks each
response three ways:

1. typed: `sync_detailed(...).parsed` is an instance of the model the generated signature
   promises for that status (ProblemDetails for errors; nothing for a 304), and turning the
   model back into a dict gives the exact JSON body (nothing dropped or invented by a lenient
   parser);
2. strict: the JSON body validates against the operation's documented response schema for that
   status (JSON Schema draft 2020-12, `#/components/schemas` refs resolved in the spec);
3. the status and content type are the documented ones.

Arguments are typed as the generated signatures want them: documented examples (strings, or
lists of strings for the comma-list parameters) become the generated enum members and lists of
them, and the generate body is built with the generated `GenerateRoutineRequest.from_dict`.
Required parameters (`q` of /v1/search and /v1/search/suggest) always get their documented
example.

openapi-python-client ignores `style: form, explode: false` (its issue #197): it sends a list as
`muscle=a&muscle=b`, which this API (as documented) rejects as a repeated parameter. An httpx
request hook joins the values of exactly the parameters the spec declares `explode: false` into
one comma list, as the spec says they are sent; the number of requests that needed it is
printed.

Usage: python check.py SPEC_JSON BASE_URL CLIENT_PARENT_DIR
Prints one line per call and "python-client: N passed, N failed".
"""

from __future__ import annotations

import enum
import importlib
import inspect
import json
import re
import sys
import types
import typing
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any, Callable

import httpx
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

SPEC_PATH, BASE_URL, CLIENT_PARENT = sys.argv[1], sys.argv[2].rstrip("/"), sys.argv[3]
sys.path.insert(0, CLIENT_PARENT)

from exercise_api_client import Client  # noqa: E402
from exercise_api_client.models.problem_details import ProblemDetails  # noqa: E402
from exercise_api_client.types import Response, Unset  # noqa: E402

SPEC: dict[str, Any] = json.load(open(SPEC_PATH))
SPEC_URI = "urn:exercise-api:openapi"
REGISTRY = Registry().with_resource(
    SPEC_URI, Resource.from_contents(SPEC, default_specification=DRAFT202012)
)
MISSING_ID = "no-such-id-zz9"
METHODS = ("get", "post", "put", "patch", "delete")


def pointer(*parts: str) -> str:
    return "/".join(p.replace("~", "~0").replace("/", "~1") for p in parts)


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def norm(name: str) -> str:
    """A parameter name as openapi-python-client names its argument, loosely: `type` is `type_`,
    `If-None-Match` is `if_none_match`."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def raw(method: str, path: str, body: Any = None) -> tuple[int, Any]:
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(BASE_URL + path, data=data, method=method.upper())
    if data is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, None


def live_id(collection: str, preferred: str | None) -> str:
    """An id that exists: the spec's example if the catalogue has it, else the first listed."""
    if preferred and raw("get", f"{collection}/{preferred}")[0] == 200:
        return preferred
    status, body = raw("get", f"{collection}?limit=1" if collection != "/v1/sources" else collection)
    assert status == 200 and body["data"], f"{collection} lists nothing"
    return body["data"][0]["id"]


@dataclass
class Call:
    method: str
    path: str
    label: str
    path_args: dict[str, str]
    query: dict[str, Any] = field(default_factory=dict)
    expect: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: dict[str, Any] | None = None
    # Extra checks of the parsed model and the JSON body; return problems.
    extra: Callable[[Any, Any], list[str]] | None = None


# ---- what to call ------------------------------------------------------------------------------


def sparse_check(fields: list[str], single: bool, nonempty: bool = True) -> Callable[[Any, Any], list[str]]:
    """The body holds exactly `id` and some of `fields` (a field may be absent only when the
    exercise has no value for it); a single exercise parses as ExerciseFields."""
    want = set(fields) | {"id"}

    def check(parsed: Any, body: Any) -> list[str]:
        from exercise_api_client.models.exercise_fields import ExerciseFields

        items = [body] if single else body["data"]
        problems = []
        for item in items:
            # `matched` says how a muscle filter matched: there whenever one applies.
            extra = set(item) - want - {"matched"}
            if extra or "id" not in item:
                problems.append(f"sparse item {item.get('id')}: keys {sorted(item)}, asked for {sorted(want)}")
        # With two representations (JSON and FHIR) the client may wrap the JSON in a union
        # type of its own; the keys above are what count.
        if single and not isinstance(parsed, ExerciseFields) and "Response200" not in type(parsed).__name__:
            problems.append(f"parsed as {type(parsed).__name__}, expected ExerciseFields")
        if nonempty and not items:
            problems.append("no items to check the fieldset on")
        return problems

    return check


def generated_check(request: dict[str, Any]) -> Callable[[Any, Any], list[str]]:
    """What POST /v1/routines/generate promises beyond the schema: items in order with a reason,
    within the time budget, only the equipment at hand, none of the excluded exercises."""

    def check(parsed: Any, body: Any) -> list[str]:
        from exercise_api_client.models.routine_detail import RoutineDetail

        problems = []
        if not isinstance(parsed, RoutineDetail):
            return [f"parsed as {type(parsed).__name__}, expected RoutineDetail"]
        items = parsed.items
        if not items:
            problems.append("a generated routine without items")
        if [i.position for i in items] != list(range(1, len(items) + 1)):
            problems.append(f"positions {[i.position for i in items]}")
        for item in items:
            if not isinstance(item.reason, str) or not item.reason:
                problems.append(f"item {item.exercise_id} has no reason: {item.reason!r}")
        minutes = request.get("minutes", 30)
        if parsed.estimated_duration_minutes > minutes:
            problems.append(f"{parsed.estimated_duration_minutes} min over the budget of {minutes}")
        if sorted(parsed.conditions) != sorted(request.get("conditions") or []):
            problems.append(f"conditions {parsed.conditions}, asked for {request.get('conditions')}")
        ids = [i.exercise_id for i in items]
        if len(set(ids)) != len(ids):
            problems.append(f"an exercise twice: {ids}")
        for excluded in set(ids) & set(request.get("exclude") or []):
            problems.append(f"excluded exercise {excluded} is in the routine")
        at_hand = request.get("available_equipment")
        if at_hand is not None:
            for ex in ids:
                status, exercise = raw("get", f"/v1/exercises/{ex}")
                needs = set(exercise["equipment"]) if status == 200 else {"?"}
                if not needs <= set(at_hand) | {"none"}:
                    problems.append(f"{ex} needs {sorted(needs)}, at hand {at_hand}")
        return problems

    return check


def example_of(p: dict[str, Any]) -> Any:
    if "example" in p:
        return p["example"]
    return p.get("schema", {}).get("example")


def plan() -> list[Call]:
    calls: list[Call] = []
    for path, item in SPEC["paths"].items():
        for method in METHODS:
            op = item.get(method)
            if not op:
                continue
            if method == "get":
                calls.extend(plan_get(path, op))
            else:
                calls.extend(plan_body(method, path, op))
    return calls


def plan_get(path: str, op: dict[str, Any]) -> list[Call]:
    calls: list[Call] = []
    params = op.get("parameters", [])
    query = [p for p in params if p["in"] == "query"]
    path_args: dict[str, str] = {}
    for p in params:
        if p["in"] == "path":
            collection = path.split("/{")[0]
            # Only `id` names an entry; other path parameters (a map's `format`) are taken as
            # documented.
            if p["name"] == "id":
                path_args[p["name"]] = live_id(collection, example_of(p))
            else:
                path_args[p["name"]] = example_of(p)
    # Required parameters always get their documented example.
    required = {p["name"]: example_of(p) for p in query if p.get("required")}
    for name, value in required.items():
        assert value is not None, f"GET {path}: required parameter {name} has no example"
    calls.append(Call("get", path, "plain", path_args, dict(required)))
    examples = {p["name"]: example_of(p) for p in query if example_of(p) is not None}
    if set(examples) - set(required):
        extra = None
        if "fields" in examples:
            # (All the examples together may filter a list down to nothing.)
            extra = sparse_check(examples["fields"], single=path.endswith("{id}"), nonempty=False)
        calls.append(Call("get", path, "documented examples", path_args, examples, extra=extra))
    by_name = {p["name"]: p for p in query}
    if "fields" in by_name:
        fields = ["name", "difficulty", "equipment"]
        calls.append(Call("get", path, "fields", path_args, {**required, "fields": fields},
                          extra=sparse_check(fields, single=path.endswith("{id}"))))
    if "limit" in by_name:
        if "offset" in by_name:
            calls.append(Call("get", path, "second page of one", path_args, {**required, "limit": 1, "offset": 1}))
        calls.append(Call("get", path, "limit=0 is rejected", path_args, {**required, "limit": 0}, 400))
        top = by_name["limit"]["schema"].get("maximum")
        if top is not None:
            calls.append(Call("get", path, f"limit={top + 1} is rejected", path_args,
                              {**required, "limit": top + 1}, 400))
    if path_args:
        missing = {k: MISSING_ID if k == "id" else v for k, v in path_args.items()}
        calls.append(Call("get", path, "unknown id", missing, dict(required), 404))
    if "304" in op["responses"]:
        calls.append(Call("get", path, "If-None-Match: its ETag", path_args, dict(required), 304,
                          headers={"If-None-Match": "(the ETag of the plain call)"}))
    return calls


def plan_body(method: str, path: str, op: dict[str, Any]) -> list[Call]:
    media = op["requestBody"]["content"]["application/json"]
    schema = media["schema"]
    if "$ref" in schema:
        schema = SPEC["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    example = media.get("example", schema.get("example"))
    assert example is not None, f"{method.upper()} {path}: no documented body example"
    calls = [Call(method, path, "documented example", {}, body=example, extra=generated_check(example))]
    if path == "/v1/routines/generate":
        muscles = {"muscles": ["gluteus-medius", "core"], "available_equipment": ["none"], "difficulty": "beginner",
                   "minutes": 10, "exclude": ["clamshells"]}
        calls.append(Call(method, path, "muscles, no equipment, beginner", {}, body=muscles,
                          extra=generated_check(muscles)))
        calls.append(Call(method, path, "minutes out of range", {}, body={**example, "minutes": 2}, expect=422))
        calls.append(Call(method, path, "neither conditions nor muscles", {}, body={"minutes": 20}, expect=422))
    return calls


# ---- how to call it ----------------------------------------------------------------------------


def documented(method: str, path: str, status: int) -> tuple[str | None, str | None]:
    """The content type and the JSON pointer of the documented response schema (None, None for
    a documented response without a body)."""
    responses = SPEC["paths"][path][method]["responses"]
    key = str(status) if str(status) in responses else "default"
    assert key in responses, f"status {status} is not documented for {method.upper()} {path}"
    content = responses[key].get("content")
    if not content:
        return None, None
    # Several representations (JSON and FHIR): the client asks for the default, JSON.
    ctype = "application/json" if "application/json" in content else next(iter(content))
    return ctype, pointer("paths", path, method, "responses", key, "content", ctype, "schema")


def image_types(method: str, path: str, status: int) -> list[str]:
    """The image media types a response is documented with (the body maps), else []."""
    response = SPEC["paths"][path][method]["responses"].get(str(status), {})
    return [c for c in response.get("content", {}) if c.startswith("image/")]


def image_problems(resp: Any, documented_types: list[str]) -> list[str]:
    """An image answer: a documented image type, and bytes of that type."""
    got = resp.headers.get("content-type", "").split(";")[0].strip()
    if got not in documented_types:
        return [f"content-type {got!r}, documented {documented_types}"]
    if got == "image/png" and not resp.content.startswith(b"\x89PNG\r\n\x1a\n"):
        return ["not a PNG"]
    if got == "image/svg+xml" and not resp.content.startswith(b"<svg"):
        return ["not an SVG document"]
    return []


def model_types(fn: Any) -> tuple[type, ...]:
    ret = typing.get_type_hints(fn)["return"]
    assert typing.get_origin(ret) is Response, ret
    (inner,) = typing.get_args(ret)
    # `Any` stands for bodiless responses (304); only model classes can be checked.
    return tuple(t for t in (typing.get_args(inner) or (inner,)) if isinstance(t, type) and t is not typing.Any)


def coerce(value: Any, hint: Any, where: str) -> Any:
    """`value` (JSON from the spec) as the generated type `hint` wants it: enum members for
    enums, lists of them for lists; a value the type cannot take is an error."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        errors = []
        for arm in typing.get_args(hint):
            if arm in (Unset, type(None)):
                continue
            try:
                return coerce(value, arm, where)
            except (TypeError, ValueError) as e:
                errors.append(str(e))
        raise TypeError(f"{where}: {value!r} fits none of {hint}: {errors}")
    if origin is list:
        if not isinstance(value, list):
            raise TypeError(f"{where}: {value!r} is not a list")
        (item,) = typing.get_args(hint)
        return [coerce(v, item, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint(value)  # ValueError for a value outside the generated enum
    if hint is bool:
        if not isinstance(value, bool):
            raise TypeError(f"{where}: {value!r} is not a bool")
        return value
    if hint is int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError(f"{where}: {value!r} is not an int")
        return value
    if hint is str:
        if not isinstance(value, str):
            raise TypeError(f"{where}: {value!r} is not a str")
        return value
    return value


def kwargs_for(fn: Any, call: Call) -> dict[str, Any]:
    """The generated function's keyword arguments for the call's query parameters and headers."""
    hints = typing.get_type_hints(fn)
    by_norm = {norm(name): name for name in inspect.signature(fn).parameters}
    out: dict[str, Any] = {}
    for name, value in {**call.query, **call.headers}.items():
        arg = by_norm.get(norm(name))
        if arg is None:
            raise TypeError(f"the generated {fn.__module__} takes no argument for {name!r}")
        out[arg] = coerce(value, hints[arg], name)
    return out


def path_kwargs(fn: Any, path_args: dict[str, str]) -> dict[str, Any]:
    """The generated function's keyword arguments for the path parameters (`format` is
    `format_`, an enum)."""
    hints = typing.get_type_hints(fn)
    by_norm = {norm(name): name for name in inspect.signature(fn).parameters}
    out: dict[str, Any] = {}
    for name, value in path_args.items():
        arg = by_norm.get(norm(name), name)
        out[arg] = value if value == MISSING_ID else coerce(value, hints.get(arg, str), name)
    return out


def comma_lists(names: set[str]) -> Callable[[httpx.Request], None]:
    """An httpx request hook: the repeated values of these parameters joined into one comma list
    (style form, explode false), other parameters as they were."""
    rewritten = {"n": 0}

    def hook(request: httpx.Request) -> None:
        pairs = request.url.params.multi_items()
        joined: dict[str, list[str]] = {}
        for k, v in pairs:
            if k in names:
                joined.setdefault(k, []).append(v)
        if not any(len(v) > 1 for v in joined.values()):
            return
        rewritten["n"] += 1
        out: list[tuple[str, str]] = []
        done: set[str] = set()
        for k, v in pairs:
            if k in names:
                if k not in done:
                    out.append((k, ",".join(joined[k])))
                    done.add(k)
            else:
                out.append((k, v))
        request.url = request.url.copy_with(params=httpx.QueryParams(out))

    hook.rewritten = rewritten  # type: ignore[attr-defined]
    return hook


REWRITTEN = 0
ETAGS: dict[tuple[str, str], str] = {}


def run(call: Call) -> list[str]:
    global REWRITTEN
    op = SPEC["paths"][call.path][call.method]
    module = importlib.import_module(
        f"exercise_api_client.api.{op['tags'][0]}.{snake(op['operationId'])}"
    )
    unexploded = {
        p["name"]
        for p in op.get("parameters", [])
        if p["in"] == "query" and p.get("schema", {}).get("type") == "array" and p.get("explode") is False
    }
    hook = comma_lists(unexploded)
    client = Client(base_url=BASE_URL, raise_on_unexpected_status=False, timeout=10.0,
                    httpx_args={"event_hooks": {"request": [hook]}})
    if call.headers.get("If-None-Match", "").startswith("("):
        etag = ETAGS.get((call.path, json.dumps(call.path_args)))
        if etag is None:
            return ["no ETag from the plain call to send back"]
        call.headers = {"If-None-Match": etag}
    kwargs = kwargs_for(module.sync_detailed, call)
    if call.body is not None:
        body_type = typing.get_type_hints(module.sync_detailed)["body"]
        kwargs["body"] = body_type.from_dict(call.body)
    resp = module.sync_detailed(**path_kwargs(module.sync_detailed, call.path_args), client=client, **kwargs)
    REWRITTEN += hook.rewritten["n"]  # type: ignore[attr-defined]
    problems: list[str] = []
    status = int(resp.status_code)
    if status != call.expect:
        problems.append(f"status {status}, expected {call.expect}")
    if status == 200 and call.label == "plain" and "etag" in resp.headers:
        ETAGS[(call.path, json.dumps(call.path_args))] = resp.headers["etag"]
    images = image_types(call.method, call.path, status)
    if images:
        return problems + image_problems(resp, images)
    try:
        ctype, ptr = documented(call.method, call.path, status)
    except AssertionError as e:
        return problems + [str(e)]
    if ctype is None:
        # A bodiless response (304): nothing parsed, nothing sent.
        if resp.content:
            problems.append(f"{status} with a body: {resp.content[:100]!r}")
        if resp.parsed is not None:
            problems.append(f"{status} parsed as {type(resp.parsed).__name__}")
        return problems
    try:
        body = json.loads(resp.content)
    except ValueError as e:
        return problems + [f"body is not JSON: {e}"]
    # 1. typed
    types_ = model_types(module.sync_detailed)
    want = (ProblemDetails,) if status >= 400 else tuple(t for t in types_ if t is not ProblemDetails)
    if not isinstance(resp.parsed, want):
        problems.append(f"parsed as {type(resp.parsed).__name__}, expected {' or '.join(t.__name__ for t in want)}")
    elif resp.parsed.to_dict() != body:
        problems.append("the parsed model does not give back the body: "
                        f"{json.dumps(resp.parsed.to_dict())[:300]} vs {json.dumps(body)[:300]}")
    elif call.extra is not None and status == 200:
        problems.extend(call.extra(resp.parsed, body))
    # 2. strict: the documented schema
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
    called: set[tuple[str, str]] = set()
    for call in calls:
        args = {**call.path_args, **call.query, **({"body": call.body} if call.body is not None else {})}
        shown = f"{call.method.upper()} {call.path} {call.label} {json.dumps(args)}"
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
            called.add((call.method, call.path))
            print(f"  ok   {shown} -> {call.expect}")
    ops = {(m, p) for p, item in SPEC["paths"].items() for m in METHODS if m in item}
    for m, p in sorted(ops - called):
        failed += 1
        print(f"  FAIL {m.upper()} {p}: no passing call")
    print(f"python-client: {len(calls)} calls over {len(ops)} operations "
          f"({sum(1 for m, _ in ops if m == 'get')} GET); {REWRITTEN} requests needed their lists "
          "joined into comma lists (explode: false)")
    print(f"COUNTS python calls={len(calls)} operations={len(ops)} failed={failed}")
    print(f"python-client: {len(calls) - failed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
