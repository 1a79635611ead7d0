//! Hostile requests: a table of malformed, oversized, misdirected and malicious requests, each of
//! which must get a 4xx (never a 5xx) with an RFC 9457 `application/problem+json` body whose
//! `status` equals the HTTP status; 400s and 422s must name each offending parameter or body field
//! in `errors`; 405s must list the allowed methods in `Allow`.
//!
//! Every case runs even when an earlier one fails, and the failures are listed together.

use std::sync::Arc;

use actix_web::dev::Service;
use actix_web::http::{Method, header};
use actix_web::test;
use exercise_api::catalogue::Catalogue;
use exercise_api::startup::app;
use serde_json::Value;

/// What status a case must get.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Exactly this status.
    Is(u16),
    /// Any of these (where the service may legitimately choose, e.g. 400 or 414 for a huge URL).
    OneOf(&'static [u16]),
}

impl Expect {
    fn accepts(self, status: u16) -> bool {
        match self {
            Expect::Is(s) => s == status,
            Expect::OneOf(set) => set.contains(&status),
        }
    }
}

struct Case {
    /// What the case is about, printed when it fails.
    what: &'static str,
    method: Method,
    uri: String,
    body: Option<Vec<u8>>,
    /// The Content-Type sent with a body (none when `None`).
    content_type: Option<&'static str>,
    expect: Expect,
    /// For a 400 or 422: a parameter or body field that must be named in `errors`.
    names: Option<&'static str>,
    /// For a 405: a method the `Allow` header must list.
    allow: &'static str,
}

fn get(what: &'static str, uri: impl Into<String>, expect: Expect) -> Case {
    Case {
        what,
        method: Method::GET,
        uri: uri.into(),
        body: None,
        content_type: None,
        expect,
        names: None,
        allow: "GET",
    }
}

/// A GET that must be a 400 naming `param`.
fn bad(what: &'static str, uri: impl Into<String>, param: &'static str) -> Case {
    Case {
        names: Some(param),
        ..get(what, uri, Expect::Is(400))
    }
}

fn method(what: &'static str, m: Method, uri: &str) -> Case {
    Case {
        method: m,
        ..get(what, uri, Expect::Is(405))
    }
}

const GENERATE: &str = "/v1/routines/generate";

/// A POST to /v1/routines/generate with this body and content type.
fn generate(
    what: &'static str,
    content_type: Option<&'static str>,
    body: impl Into<Vec<u8>>,
    expect: Expect,
    names: Option<&'static str>,
) -> Case {
    Case {
        method: Method::POST,
        body: Some(body.into()),
        content_type,
        names,
        ..get(what, GENERATE, expect)
    }
}

const JSON: Option<&str> = Some("application/json");

use Expect::{Is, OneOf};

fn cases() -> Vec<Case> {
    let long_q = format!("/v1/exercises?q={}", "a".repeat(10 * 1024));
    let long_name = format!("/v1/exercises?{}=1", "x".repeat(10 * 1024));
    let long_segment = format!("/v1/exercises/{}", "a".repeat(4000));
    let long_muscle = format!("/v1/muscles/{}", "m".repeat(4000));
    let q201 = format!("/v1/exercises?q={}", "k".repeat(201));
    let many_items = format!("/v1/exercises?muscle={}", vec!["gluteals"; 129].join(","));
    let q201_search = format!("/v1/search?q={}", "k".repeat(201));
    let q201_conditions = format!("/v1/conditions?q={}", "k".repeat(201));
    let q101_suggest = format!("/v1/search/suggest?q={}", "k".repeat(101));
    let many_fields = format!("/v1/exercises?fields={}", ["name"; 129].join(","));
    let oversized_body = format!(
        r#"{{"conditions":["knee-pain"],"exclude":[{}]}}"#,
        [r#""clamshells""#; 2000].join(",")
    );
    let eleven_conditions = format!(r#"{{"conditions":[{}]}}"#, [r#""knee-pain""#; 11].join(","));
    let many_params = format!(
        "/v1/exercises?{}",
        (0..200)
            .map(|i| format!("p{i}=1"))
            .collect::<Vec<_>>()
            .join("&")
    );

    vec![
        // ---- wrong types ---------------------------------------------------------------------
        bad("limit is not a number", "/v1/exercises?limit=abc", "limit"),
        bad("limit is a decimal", "/v1/exercises?limit=1.5", "limit"),
        bad("limit in hex", "/v1/exercises?limit=0x10", "limit"),
        bad("limit in exponent form", "/v1/exercises?limit=1e2", "limit"),
        bad("limit is empty", "/v1/exercises?limit=", "limit"),
        bad(
            "limit is a JSON array",
            "/v1/exercises?limit=%5B1%2C2%5D",
            "limit",
        ),
        bad("offset is a boolean", "/v1/exercises?offset=true", "offset"),
        bad(
            "offset in exponent form",
            "/v1/muscles?offset=1e3",
            "offset",
        ),
        // ---- negative, zero, enormous --------------------------------------------------------
        bad("limit zero", "/v1/exercises?limit=0", "limit"),
        bad("limit negative", "/v1/exercises?limit=-1", "limit"),
        bad("limit above 100", "/v1/exercises?limit=101", "limit"),
        bad(
            "limit beyond i64",
            "/v1/exercises?limit=99999999999999999999999999",
            "limit",
        ),
        bad(
            "limit below i64",
            "/v1/exercises?limit=-99999999999999999999999999",
            "limit",
        ),
        bad("offset negative", "/v1/exercises?offset=-1", "offset"),
        bad(
            "offset above 1000000",
            "/v1/exercises?offset=1000001",
            "offset",
        ),
        bad(
            "offset beyond u64",
            "/v1/routines?offset=184467440737095516160",
            "offset",
        ),
        bad("limit zero on muscles", "/v1/muscles?limit=0", "limit"),
        bad(
            "limit above 100 on routines",
            "/v1/routines?limit=1000",
            "limit",
        ),
        bad(
            "limit negative on conditions",
            "/v1/conditions?limit=-5",
            "limit",
        ),
        bad(
            "limit zero on a muscle's exercises",
            "/v1/muscles/gluteals/exercises?limit=0",
            "limit",
        ),
        // ---- oversized -----------------------------------------------------------------------
        // 400 today (the service caps query strings); 414/431 if a front limit is added.
        get("10 KB query value", long_q, OneOf(&[400, 414, 431])),
        get("10 KB parameter name", long_name, OneOf(&[400, 414, 431])),
        bad("q longer than 200 characters", q201, "q"),
        bad("more than 128 list items", many_items, "muscle"),
        get(
            "200 unknown parameters",
            many_params,
            OneOf(&[400, 414, 431]),
        ),
        get(
            "4000-character exercise id",
            long_segment,
            OneOf(&[404, 414]),
        ),
        get("4000-character muscle id", long_muscle, OneOf(&[404, 414])),
        // ---- repeated parameters -------------------------------------------------------------
        bad(
            "limit given twice",
            "/v1/exercises?limit=1&limit=2",
            "limit",
        ),
        bad(
            "muscle given twice",
            "/v1/exercises?muscle=gluteals&muscle=gluteals",
            "muscle",
        ),
        bad(
            "expand given twice",
            "/v1/routines/knee-pain-5-best-exercises?expand=exercises&expand=exercises",
            "expand",
        ),
        // ---- invalid UTF-8 and bad percent-encoding -----------------------------------------
        bad("value decodes to invalid UTF-8", "/v1/exercises?q=%FF", "q"),
        bad(
            "value decodes to an overlong UTF-8 sequence",
            "/v1/exercises?q=%C0%AF",
            "q",
        ),
        bad(
            "lone UTF-8 surrogate half",
            "/v1/exercises?q=%ED%A0%80",
            "q",
        ),
        // The name is not UTF-8, so it can only be named lossily: any parameter entry will do.
        get(
            "name decodes to invalid UTF-8",
            "/v1/exercises?%FF=1",
            Is(400),
        ),
        // A `%` not followed by two hex digits is malformed, not text to pass through.
        bad("truncated percent escape in q", "/v1/exercises?q=%", "q"),
        bad("non-hex percent escape in q", "/v1/exercises?q=%G1", "q"),
        bad("half percent escape in q", "/v1/exercises?q=abc%4", "q"),
        bad(
            "bad percent escape in limit",
            "/v1/exercises?limit=%G1",
            "limit",
        ),
        get("invalid UTF-8 in an id", "/v1/exercises/%FF", Is(404)),
        get(
            "non-hex percent escape in an id",
            "/v1/exercises/%G1",
            Is(404),
        ),
        get(
            "truncated percent escape in an id",
            "/v1/exercises/abc%",
            Is(404),
        ),
        // ---- null bytes ----------------------------------------------------------------------
        get("null byte id", "/v1/exercises/%00", Is(404)),
        get(
            "id with a null byte inside",
            "/v1/exercises/clamshells%00",
            Is(404),
        ),
        bad(
            "null byte as a filter value",
            "/v1/exercises?muscle=%00",
            "muscle",
        ),
        bad("null byte parameter name", "/v1/exercises?%00=1", "\u{0}"),
        bad("null byte in limit", "/v1/exercises?limit=5%00", "limit"),
        // ---- path traversal ------------------------------------------------------------------
        get(
            "encoded traversal in an id",
            "/v1/exercises/..%2F..%2Fetc%2Fpasswd",
            Is(404),
        ),
        get("plain traversal", "/../../etc/passwd", Is(404)),
        get("traversal under /v1", "/v1/../../etc/passwd", Is(404)),
        get("encoded dots", "/v1/%2e%2e/%2e%2e/etc/passwd", Is(404)),
        get(
            "backslash traversal",
            "/v1/exercises/..%5C..%5Cwindows",
            Is(404),
        ),
        // Under /docs too, a miss is a problem+json 404 (not Swagger UI's own empty 404).
        get(
            "traversal under /docs",
            "/docs/..%2F..%2FCargo.toml",
            Is(404),
        ),
        // ---- unknown filter values -----------------------------------------------------------
        bad(
            "unknown muscle",
            "/v1/exercises?muscle=glute-meed",
            "muscle",
        ),
        bad(
            "unknown equipment",
            "/v1/exercises?equipment=barbell-9000",
            "equipment",
        ),
        bad(
            "unknown condition",
            "/v1/exercises?condition=broken-heart",
            "condition",
        ),
        bad(
            "unknown difficulty",
            "/v1/exercises?difficulty=expert",
            "difficulty",
        ),
        bad(
            "unknown laterality",
            "/v1/exercises?laterality=sideways",
            "laterality",
        ),
        bad("unknown sort", "/v1/exercises?sort=random", "sort"),
        bad(
            "empty list item",
            "/v1/exercises?muscle=gluteals,,",
            "muscle",
        ),
        bad(
            "empty filter value",
            "/v1/exercises?difficulty=",
            "difficulty",
        ),
        bad("empty q", "/v1/exercises?q=", "q"),
        bad("unknown muscle kind", "/v1/muscles?kind=organ", "kind"),
        bad("unknown region", "/v1/muscles?region=moon", "region"),
        bad(
            "unknown routine condition",
            "/v1/routines?condition=nope",
            "condition",
        ),
        bad(
            "unknown routine muscle",
            "/v1/routines?muscle=nope",
            "muscle",
        ),
        bad(
            "unknown expansion",
            "/v1/routines/knee-pain-5-best-exercises?expand=muscles",
            "expand",
        ),
        bad(
            "unknown filter on a muscle's exercises",
            "/v1/muscles/gluteals/exercises?difficulty=godlike",
            "difficulty",
        ),
        // ---- unknown parameters --------------------------------------------------------------
        bad(
            "misspelt parameter",
            "/v1/exercises?muscles=gluteals",
            "muscles",
        ),
        bad(
            "parameter in another case",
            "/v1/exercises?Limit=5",
            "Limit",
        ),
        bad("page instead of offset", "/v1/exercises?page=2", "page"),
        bad("flag without value", "/v1/exercises?debug", "debug"),
        bad(
            "unicode parameter name",
            "/v1/exercises?m%C3%BCscle=gluteals",
            "müscle",
        ),
        bad(
            "parameter on a single exercise",
            "/v1/exercises/clamshells?x=1",
            "x",
        ),
        bad("unknown parameter on equipment", "/v1/equipment?q=x", "q"),
        bad("limit 0 on sources", "/v1/sources?limit=0", "limit"),
        bad("parameter on health", "/health?verbose=1", "verbose"),
        bad(
            "parameter on a condition",
            "/v1/conditions/knee-pain?expand=all",
            "expand",
        ),
        // ---- unknown ids and paths -----------------------------------------------------------
        get("unknown exercise", "/v1/exercises/does-not-exist", Is(404)),
        get("unknown muscle id", "/v1/muscles/spleen", Is(404)),
        get(
            "unknown muscle's exercises",
            "/v1/muscles/spleen/exercises",
            Is(404),
        ),
        get("unknown routine", "/v1/routines/nope", Is(404)),
        get("unknown condition id", "/v1/conditions/nope", Is(404)),
        get("unknown source", "/v1/sources/nope", Is(404)),
        get(
            "unicode exercise id",
            "/v1/exercises/%E2%9C%93-%C3%A9t%C3%A9",
            Is(404),
        ),
        get("emoji muscle id", "/v1/muscles/%F0%9F%92%AA", Is(404)),
        // Another spelling of an id redirects to it (308), with the problem body.
        get("id in upper case", "/v1/exercises/GLUTE-BRIDGE", Is(308)),
        get("unknown version", "/v2/exercises", Is(404)),
        get("unknown collection", "/v1/users", Is(404)),
        // The list without its trailing slash.
        get("empty id", "/v1/exercises/", Is(308)),
        get("too deep", "/v1/exercises/clamshells/extra", Is(404)),
        get("double slash", "/v1//exercises", Is(404)),
        // ---- wrong methods -------------------------------------------------------------------
        method("POST on a list", Method::POST, "/v1/exercises"),
        method(
            "PUT on an exercise",
            Method::PUT,
            "/v1/exercises/clamshells",
        ),
        method(
            "DELETE on an exercise",
            Method::DELETE,
            "/v1/exercises/clamshells",
        ),
        method(
            "PATCH on a routine",
            Method::PATCH,
            "/v1/routines/knee-pain-5-best-exercises",
        ),
        method("POST on muscles", Method::POST, "/v1/muscles"),
        method("DELETE on health", Method::DELETE, "/health"),
        method("PUT on the spec", Method::PUT, "/openapi.json"),
        method(
            "POST on a muscle's exercises",
            Method::POST,
            "/v1/muscles/gluteals/exercises",
        ),
        method(
            "DELETE on an unknown id of a known route",
            Method::DELETE,
            "/v1/sources/nope",
        ),
        Case {
            body: Some(r#"{"name":"new exercise"}"#.into()),
            content_type: JSON,
            ..method("POST with a JSON body", Method::POST, "/v1/exercises")
        },
        method("POST on search", Method::POST, "/v1/search?q=knee"),
        method(
            "DELETE on suggestions",
            Method::DELETE,
            "/v1/search/suggest?q=glu",
        ),
        method(
            "PUT on alternatives",
            Method::PUT,
            "/v1/exercises/clamshells/alternatives",
        ),
        method(
            "POST on the catalogue export",
            Method::POST,
            "/v1/catalogue/export",
        ),
        method("DELETE on readiness", Method::DELETE, "/ready"),
        method("POST on metrics", Method::POST, "/metrics"),
        // /v1/routines/generate is POST only: not a routine called "generate".
        Case {
            allow: "POST",
            ..method("GET on generate", Method::GET, GENERATE)
        },
        Case {
            allow: "POST",
            ..method("PUT on generate", Method::PUT, GENERATE)
        },
        Case {
            allow: "POST",
            ..method("DELETE on generate", Method::DELETE, GENERATE)
        },
        // ---- bodies on GET -------------------------------------------------------------------
        Case {
            body: Some(r#"{"limit":5}"#.into()),
            content_type: JSON,
            names: Some("limit"),
            ..get(
                "GET body does not override the query",
                "/v1/exercises?limit=0",
                Is(400),
            )
        },
        Case {
            body: Some("id=glute-bridge".into()),
            content_type: Some("application/x-www-form-urlencoded"),
            ..get(
                "GET body does not supply an id",
                "/v1/exercises/nope",
                Is(404),
            )
        },
        // ---- search and suggestions ----------------------------------------------------------
        bad("search without q", "/v1/search", "q"),
        bad("search with an empty q", "/v1/search?q=", "q"),
        bad("search with only a type", "/v1/search?type=exercise", "q"),
        bad("search q over 200 characters", q201_search, "q"),
        bad("unknown search type", "/v1/search?q=knee&type=nope", "type"),
        bad(
            "search type in another case",
            "/v1/search?q=knee&type=Exercise",
            "type",
        ),
        bad(
            "plural search type",
            "/v1/search?q=knee&type=exercises",
            "type",
        ),
        bad(
            "empty search type item",
            "/v1/search?q=knee&type=exercise,",
            "type",
        ),
        bad(
            "search limit above 100",
            "/v1/search?q=knee&limit=101",
            "limit",
        ),
        bad(
            "search offset negative",
            "/v1/search?q=knee&offset=-1",
            "offset",
        ),
        bad("search q given twice", "/v1/search?q=knee&q=hip", "q"),
        bad(
            "unknown search parameter",
            "/v1/search?q=knee&sort=name",
            "sort",
        ),
        bad("suggest without q", "/v1/search/suggest", "q"),
        bad("suggest with an empty q", "/v1/search/suggest?q=", "q"),
        bad("suggest q over 100 characters", q101_suggest, "q"),
        bad(
            "suggest limit 11",
            "/v1/search/suggest?q=glu&limit=11",
            "limit",
        ),
        bad(
            "suggest limit 0",
            "/v1/search/suggest?q=glu&limit=0",
            "limit",
        ),
        bad(
            "suggest has no offset",
            "/v1/search/suggest?q=glu&offset=1",
            "offset",
        ),
        bad(
            "suggest has no type",
            "/v1/search/suggest?q=glu&type=muscle",
            "type",
        ),
        // ---- new filters and sparse fieldsets ----------------------------------------------
        bad("unknown field", "/v1/exercises?fields=nope", "fields"),
        bad(
            "unknown field among known ones",
            "/v1/exercises/clamshells?fields=id,name,nope",
            "fields",
        ),
        bad("empty fields", "/v1/exercises/clamshells?fields=", "fields"),
        bad("empty fields item", "/v1/exercises?fields=name,", "fields"),
        bad(
            "unknown field on a muscle's exercises",
            "/v1/muscles/gluteals/exercises?fields=nope",
            "fields",
        ),
        bad(
            "fields given twice",
            "/v1/exercises?fields=id&fields=name",
            "fields",
        ),
        bad("more than 128 fields", many_fields, "fields"),
        bad(
            "unknown available equipment",
            "/v1/exercises?available_equipment=jetpack",
            "available_equipment",
        ),
        bad(
            "unknown max_difficulty",
            "/v1/exercises?max_difficulty=expert",
            "max_difficulty",
        ),
        bad(
            "max_difficulty is not a list",
            "/v1/exercises?max_difficulty=beginner,advanced",
            "max_difficulty",
        ),
        bad(
            "unknown position",
            "/v1/exercises?position=upside-down",
            "position",
        ),
        bad(
            "unknown exercise region",
            "/v1/exercises?region=moon",
            "region",
        ),
        bad(
            "unknown excluded exercise",
            "/v1/exercises?exclude=nope",
            "exclude",
        ),
        bad("empty q on routines", "/v1/routines?q=", "q"),
        bad("empty q on conditions", "/v1/conditions?q=", "q"),
        bad("q over 200 characters on conditions", q201_conditions, "q"),
        // ---- alternatives --------------------------------------------------------------------
        get(
            "alternatives of an unknown exercise",
            "/v1/exercises/nope/alternatives",
            Is(404),
        ),
        bad(
            "alternatives limit 101",
            "/v1/exercises/clamshells/alternatives?limit=101",
            "limit",
        ),
        bad(
            "alternatives limit 0",
            "/v1/exercises/clamshells/alternatives?limit=0",
            "limit",
        ),
        bad(
            "alternatives unknown max_difficulty",
            "/v1/exercises/clamshells/alternatives?max_difficulty=expert",
            "max_difficulty",
        ),
        bad(
            "alternatives unknown equipment",
            "/v1/exercises/clamshells/alternatives?available_equipment=jetpack",
            "available_equipment",
        ),
        bad(
            "alternatives offset over the range",
            "/v1/exercises/clamshells/alternatives?offset=1000001",
            "offset",
        ),
        // ---- operational endpoints -----------------------------------------------------------
        bad("parameter on readiness", "/ready?verbose=1", "verbose"),
        bad(
            "parameter on the catalogue",
            "/v1/catalogue?fields=id",
            "fields",
        ),
        // ---- POST /v1/routines/generate ------------------------------------------------------
        generate(
            "generate body as text/plain",
            Some("text/plain"),
            r#"{"conditions":["knee-pain"]}"#,
            Is(415),
            None,
        ),
        generate(
            "generate body without a content type",
            None,
            r#"{"conditions":["knee-pain"]}"#,
            Is(415),
            None,
        ),
        generate(
            "generate body as a form",
            Some("application/x-www-form-urlencoded"),
            "conditions=knee-pain",
            Is(415),
            None,
        ),
        generate(
            "generate body as XML",
            Some("application/xml"),
            "<conditions>knee-pain</conditions>",
            Is(415),
            None,
        ),
        generate(
            "generate body over 16 KiB",
            JSON,
            oversized_body,
            Is(413),
            None,
        ),
        generate(
            "generate body 1 MiB of spaces",
            JSON,
            " ".repeat(1024 * 1024),
            Is(413),
            None,
        ),
        generate("generate with an empty body", JSON, "", Is(400), None),
        generate(
            "generate body is not JSON",
            JSON,
            "conditions: knee-pain",
            Is(400),
            None,
        ),
        generate(
            "generate body is truncated JSON",
            JSON,
            r#"{"conditions":["knee-pain""#,
            Is(400),
            None,
        ),
        generate(
            "generate body has a trailing comma",
            JSON,
            r#"{"conditions":["knee-pain"],}"#,
            Is(400),
            None,
        ),
        generate(
            "generate body is invalid UTF-8",
            JSON,
            b"{\"conditions\":[\"knee-\xFF\"]}".to_vec(),
            Is(400),
            None,
        ),
        generate("generate body is null", JSON, "null", Is(400), None),
        generate(
            "generate body is a string",
            JSON,
            r#""knee-pain""#,
            Is(400),
            None,
        ),
        // serde accepts a struct as a sequence of its fields in order unless told not to; the
        // spec says the body is an object.
        generate(
            "generate body is an array of the fields",
            JSON,
            r#"[["knee-pain"],null,null,null,null,null]"#,
            Is(400),
            None,
        ),
        generate(
            "generate body has an unknown field",
            JSON,
            r#"{"conditions":["knee-pain"],"colour":"red"}"#,
            Is(400),
            Some("colour"),
        ),
        generate(
            "generate minutes as a string",
            JSON,
            r#"{"conditions":["knee-pain"],"minutes":"20"}"#,
            Is(400),
            Some("minutes"),
        ),
        generate(
            "generate minutes with a fraction",
            JSON,
            r#"{"conditions":["knee-pain"],"minutes":20.5}"#,
            Is(400),
            Some("minutes"),
        ),
        generate(
            "generate conditions as a comma string",
            JSON,
            r#"{"conditions":"knee-pain,hip-weakness"}"#,
            Is(400),
            Some("conditions"),
        ),
        generate(
            "generate difficulty as a list",
            JSON,
            r#"{"conditions":["knee-pain"],"difficulty":["beginner"]}"#,
            Is(400),
            Some("difficulty"),
        ),
        generate(
            "generate with an unknown condition",
            JSON,
            r#"{"conditions":["knee-pian"]}"#,
            Is(422),
            Some("conditions[0]"),
        ),
        generate(
            "generate with an unknown muscle",
            JSON,
            r#"{"muscles":["glute-meed"]}"#,
            Is(422),
            Some("muscles[0]"),
        ),
        generate(
            "generate with unknown equipment",
            JSON,
            r#"{"conditions":["knee-pain"],"available_equipment":["jetpack"]}"#,
            Is(422),
            Some("available_equipment[0]"),
        ),
        generate(
            "generate excluding an unknown exercise",
            JSON,
            r#"{"conditions":["knee-pain"],"exclude":["nope"]}"#,
            Is(422),
            Some("exclude[0]"),
        ),
        generate(
            "generate with an unknown difficulty",
            JSON,
            r#"{"conditions":["knee-pain"],"difficulty":"expert"}"#,
            OneOf(&[400, 422]),
            Some("difficulty"),
        ),
        generate(
            "generate with nothing to address",
            JSON,
            "{}",
            Is(422),
            None,
        ),
        generate(
            "generate with empty conditions",
            JSON,
            r#"{"conditions":[],"muscles":[]}"#,
            Is(422),
            None,
        ),
        generate(
            "generate minutes below 5",
            JSON,
            r#"{"conditions":["knee-pain"],"minutes":4}"#,
            Is(422),
            Some("minutes"),
        ),
        generate(
            "generate minutes above 90",
            JSON,
            r#"{"conditions":["knee-pain"],"minutes":91}"#,
            Is(422),
            Some("minutes"),
        ),
        generate(
            "generate minutes beyond i64",
            JSON,
            r#"{"conditions":["knee-pain"],"minutes":99999999999999999999999}"#,
            OneOf(&[400, 422]),
            Some("minutes"),
        ),
        generate(
            "generate with 11 conditions",
            JSON,
            eleven_conditions,
            Is(422),
            Some("conditions"),
        ),
    ]
}

struct Outcome {
    status: u16,
    content_type: String,
    allow: Option<String>,
    request_id: Option<String>,
    body: Vec<u8>,
}

fn header_value(headers: &header::HeaderMap, name: header::HeaderName) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Checks one response against its case; returns every problem found.
fn check(case: &Case, out: &Outcome) -> Vec<String> {
    let mut problems = Vec::new();
    // A redirect is right only where the case expects exactly it (another spelling of an id).
    let expected_redirect =
        matches!(case.expect, Expect::Is(s) if s == out.status && (300..400).contains(&s));
    if !(400..500).contains(&out.status) && !expected_redirect {
        let kind = if out.status >= 500 {
            "a server error"
        } else {
            "not a 4xx"
        };
        problems.push(format!(
            "status {} is {kind} (expected {:?}); body {:?}",
            out.status,
            case.expect,
            String::from_utf8_lossy(&out.body[..out.body.len().min(120)])
        ));
        return problems;
    }
    if !case.expect.accepts(out.status) {
        problems.push(format!(
            "status {} but expected {:?}",
            out.status, case.expect
        ));
    }
    if out.content_type != "application/problem+json" {
        problems.push(format!(
            "content-type {:?}, expected application/problem+json",
            out.content_type
        ));
    }
    if out.status == 405 {
        match &out.allow {
            Some(allow) if allow.split(',').any(|m| m.trim() == case.allow) => {}
            other => problems.push(format!(
                "405 without an Allow listing {}: {other:?}",
                case.allow
            )),
        }
    }
    let body: Value = match serde_json::from_slice(&out.body) {
        Ok(v) => v,
        Err(e) => {
            problems.push(format!(
                "body is not JSON ({e}): {:?}",
                String::from_utf8_lossy(&out.body[..out.body.len().min(200)])
            ));
            return problems;
        }
    };
    for key in ["type", "title", "detail"] {
        if body
            .get(key)
            .and_then(Value::as_str)
            .is_none_or(str::is_empty)
        {
            problems.push(format!("body lacks a non-empty string {key:?}"));
        }
    }
    if body.get("status").and_then(Value::as_u64) != Some(u64::from(out.status)) {
        problems.push(format!(
            "body status {:?} differs from HTTP status {}",
            body.get("status"),
            out.status
        ));
    }
    // Every problem quotes the request's id, the one in the X-Request-Id header.
    match (
        body.get("request_id").and_then(Value::as_str),
        &out.request_id,
    ) {
        (Some(id), Some(header)) if !id.is_empty() && id == header => {}
        (id, header) => problems.push(format!(
            "request_id {id:?} does not match the X-Request-Id header {header:?}"
        )),
    }
    if out.status == 400 || out.status == 422 {
        match body.get("errors").and_then(Value::as_array) {
            Some(errors) if !errors.is_empty() => {
                // A query or path parameter, or a body field (a JSON path).
                let named: Vec<&str> = errors
                    .iter()
                    .filter_map(|e| {
                        e.get("parameter")
                            .and_then(Value::as_str)
                            .or_else(|| e.get("field").and_then(Value::as_str))
                    })
                    .collect();
                if named.len() != errors.len() {
                    problems.push(format!(
                        "an entry of errors names no parameter or field: {errors:?}"
                    ));
                }
                if let Some(want) = case.names
                    && !named.contains(&want)
                {
                    problems.push(format!("errors do not name {want:?}: they name {named:?}"));
                }
            }
            _ => problems.push(format!("a {} without a non-empty errors array", out.status)),
        }
    }
    problems
}

#[actix_web::test]
async fn hostile_requests_get_problem_details() {
    let catalogue = Arc::new(Catalogue::embedded().expect("the embedded catalogue loads"));
    let service = test::init_service(app(catalogue)).await;
    let cases = cases();
    assert!(
        cases.len() >= 40,
        "the table shrank to {} cases",
        cases.len()
    );

    let mut failures = Vec::new();
    for case in &cases {
        let mut req = test::TestRequest::default()
            .method(case.method.clone())
            .uri(&case.uri);
        if let Some(content_type) = case.content_type {
            req = req.insert_header((header::CONTENT_TYPE, content_type));
        }
        if let Some(body) = &case.body {
            req = req.set_payload(body.clone());
        }
        let res = service.call(req.to_request()).await;
        let out = match res {
            Ok(res) => {
                let status = res.status().as_u16();
                let headers = res.headers().clone();
                let body = test::read_body(res).await.to_vec();
                Outcome {
                    status,
                    content_type: headers
                        .get(header::CONTENT_TYPE)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_owned(),
                    allow: header_value(&headers, header::ALLOW),
                    request_id: header_value(
                        &headers,
                        header::HeaderName::from_static("x-request-id"),
                    ),
                    body,
                }
            }
            // An error that escaped the App: what actix would send.
            Err(e) => {
                let res = e.error_response();
                let status = res.status().as_u16();
                Outcome {
                    status,
                    content_type: res
                        .headers()
                        .get(header::CONTENT_TYPE)
                        .and_then(|v| v.to_str().ok())
                        .unwrap_or("")
                        .to_owned(),
                    allow: None,
                    request_id: None,
                    body: actix_web::body::to_bytes(res.into_body())
                        .await
                        .map(|b| b.to_vec())
                        .unwrap_or_default(),
                }
            }
        };
        let problems = check(case, &out);
        if !problems.is_empty() {
            let shown: String = case.uri.chars().take(100).collect();
            failures.push(format!(
                "{} {} {shown}: {}",
                case.what,
                case.method,
                problems.join("; ")
            ));
        }
    }
    println!(
        "hostile: {} cases, {} passed, {} failed",
        cases.len(),
        cases.len() - failures.len(),
        failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} hostile cases failed:\n  {}",
        failures.len(),
        cases.len(),
        failures.join("\n  ")
    );
}

/// Error answers stay small whatever the request (findings h6, h7): long lists are summarised,
/// long ids and methods are cut, never echoed in full.
#[actix_web::test]
async fn error_bodies_stay_small_whatever_the_request() {
    let catalogue = Arc::new(Catalogue::embedded().expect("the embedded catalogue loads"));
    let service = test::init_service(app(catalogue)).await;
    let ligature = "\u{fdfd}";
    let quoted = |s: &str, n: usize| vec![format!("\"{s}\""); n].join(",");
    let bodies = [
        // 5,000 empty condition ids: once a 344 KB answer.
        format!(r#"{{"conditions":[{}]}}"#, quoted("", 5000)),
        // Over the muscle list's limit, each element an unknown id.
        format!(r#"{{"muscles":[{}]}}"#, quoted(ligature, 2600)),
        // Within the limits, every element unknown and long.
        format!(
            r#"{{"conditions":[{}]}}"#,
            quoted(&ligature.repeat(400), 10)
        ),
        format!(
            r#"{{"conditions":["knee-pain"],"exclude":[{}]}}"#,
            quoted(&"x".repeat(100), 100)
        ),
    ];
    for body in bodies {
        let req = test::TestRequest::post()
            .uri(GENERATE)
            .insert_header((header::CONTENT_TYPE, "application/json"))
            .set_payload(body.clone())
            .to_request();
        let res = service.call(req).await.unwrap();
        assert_eq!(res.status().as_u16(), 422, "{}", &body[..80]);
        let answer = test::read_body(res).await;
        assert!(
            answer.len() < 4096,
            "a {}-byte body got a {}-byte answer: {}",
            body.len(),
            answer.len(),
            String::from_utf8_lossy(&answer[..answer.len().min(300)])
        );
        let problem: Value = serde_json::from_slice(&answer).unwrap();
        assert!(problem["errors"].as_array().is_some_and(|e| !e.is_empty()));
    }
    let long_method = "X".repeat(10_000);
    let req = test::TestRequest::default()
        .method(Method::from_bytes(long_method.as_bytes()).unwrap())
        .uri("/v1/exercises")
        .to_request();
    let res = service.call(req).await.unwrap();
    assert_eq!(res.status().as_u16(), 405);
    let answer = test::read_body(res).await;
    assert!(answer.len() < 1024, "{} bytes", answer.len());
    let path = format!("/v1/exercises/{}", "%EF%B7%BD".repeat(900));
    let res = service
        .call(test::TestRequest::get().uri(&path).to_request())
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 404);
    assert!(test::read_body(res).await.len() < 2048);
}
