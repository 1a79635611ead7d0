//! The problem type of every error the service sends: RFC 9457 `application/problem+json`.
//! Shared by the HTTP layer (`http/`, for answers made outside the handlers) and the API
//! (`api/error.rs`), so neither has to import the other.

use serde::Serialize;
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";
/// Problem types are URNs: stable identifiers that do not pretend to be web pages.
pub const TYPE_BASE: &str = "urn:exercise-api:problem:";

/// One invalid input: a query parameter or a body field, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct InvalidInput {
    /// The query or path parameter at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "muscle")]
    pub parameter: Option<String>,
    /// The body field at fault (a JSON path).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// What is wrong and what is allowed.
    #[schema(example = "unknown muscle \"glute-meed\" (did you mean \"gluteus-medius\"?)")]
    pub message: String,
    /// The allowed values, when they are a short fixed list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed: Option<Vec<String>>,
}

impl InvalidInput {
    pub fn parameter(name: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            parameter: Some(name.into()),
            field: None,
            message: message.into(),
            allowed: None,
        }
    }

    pub fn field(path: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            parameter: None,
            field: Some(path.into()),
            message: message.into(),
            allowed: None,
        }
    }

    pub fn with_allowed<S: ToString>(mut self, allowed: impl IntoIterator<Item = S>) -> Self {
        self.allowed = Some(allowed.into_iter().map(|s| s.to_string()).collect());
        self
    }
}

/// An RFC 9457 problem details body, the shape of every error this API returns.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:exercise-api:problem:invalid-parameters",
    "title": "Invalid request parameters",
    "status": 400,
    "detail": "1 query parameter is invalid.",
    "errors": [{"parameter": "limit", "message": "must be an integer from 1 to 100, got \"500\""}]
}))]
pub struct ProblemDetails {
    /// A URI identifying the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    #[schema(minimum = 400, maximum = 599)]
    pub status: u16,
    /// What went wrong in this case.
    pub detail: String,
    /// Each invalid parameter or field, for 400 and 422 responses.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<InvalidInput>,
    /// The request's id, also sent as the `X-Request-Id` response header: quote it when
    /// reporting a problem. (Filled in for every problem the service sends.)
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(
        example = "3f0c9a52-8d1e-4c1b-9a57-2f4f1de0b6a1",
        max_length = 128,
        pattern = "^[A-Za-z0-9._-]+$"
    )]
    pub request_id: Option<String>,
}

/// The `detail` of a 404 for a path nothing serves (the path cut to 200 characters, so a
/// long one is not echoed).
pub fn route_not_found_detail(path: &str) -> String {
    let path: String = path.chars().take(200).collect();
    format!(
        "Nothing is served at {path}. The API is described at /openapi.json and browsable at /docs/."
    )
}

/// The `detail` of a 405; a method is cut to 32 characters (a client can send 100,000).
pub fn method_not_allowed_detail(method: &str, allow: &str) -> String {
    format!(
        "{} is not allowed here; allowed: {allow}.",
        truncate(method, 32)
    )
}

/// `s` cut to `max` characters, with "…" when it was longer.
pub fn truncate(s: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match s.char_indices().nth(max) {
        None => s.into(),
        Some((i, _)) => format!("{}…", &s[..i]).into(),
    }
}
