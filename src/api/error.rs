//! The one error type of the API and its RFC 9457 `application/problem+json` body.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

pub const PROBLEM_JSON: &str = "application/problem+json";
/// Problem types are URNs: stable identifiers that do not pretend to be web pages.
const TYPE_BASE: &str = "urn:exercise-api:problem:";

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

/// The house voice's "did you mean", the same in 400s, 404s and 422s (see docs/errors.md):
/// ` (did you mean "a"?)`, ` (did you mean one of "a", "b"?)`, or nothing.
pub fn did_you_mean<S: AsRef<str>>(suggestions: &[S]) -> String {
    match suggestions {
        [] => String::new(),
        [one] => format!(" (did you mean \"{}\"?)", one.as_ref()),
        many => format!(
            " (did you mean one of {}?)",
            many.iter()
                .map(|s| format!("\"{}\"", s.as_ref()))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// An "unknown value" message in the house voice: `unknown {what} "{value}"`, the closest
/// candidates, and the allowed values when there are few enough to list (otherwise where to
/// find them). Returns the message and the `allowed` list.
pub fn unknown_message(
    what: &str,
    value: &str,
    suggestions: &[&str],
    allowed: &[&str],
    list_path: Option<&str>,
) -> (String, Option<Vec<String>>) {
    let mut message = format!("unknown {what} \"{value}\"{}", did_you_mean(suggestions));
    if allowed.len() <= MAX_LISTED_VALUES || list_path.is_none() {
        message.push_str(&format!("; allowed: {}", allowed.join(", ")));
        (
            message,
            Some(allowed.iter().map(|s| s.to_string()).collect()),
        )
    } else {
        message.push_str(&format!(
            "; see {} for the {} allowed ids",
            list_path.unwrap_or_default(),
            allowed.len()
        ));
        (message, None)
    }
}

/// How many allowed values a message lists in full before pointing to the list endpoint.
pub const MAX_LISTED_VALUES: usize = 120;

/// The same problem about a query parameter or a body field.
#[derive(Debug, Clone, Copy)]
pub enum Place {
    Parameter,
    Field,
}

impl InvalidInput {
    /// A problem at `name`, a query parameter or a body field.
    pub fn at(place: Place, name: impl Into<String>, message: impl Into<String>) -> Self {
        match place {
            Place::Parameter => Self::parameter(name, message),
            Place::Field => Self::field(name, message),
        }
    }

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

/// Everything that can go wrong handling a request.
#[derive(Debug, Clone, thiserror::Error)]
pub enum ApiError {
    #[error("{} invalid parameters", .0.len())]
    InvalidParameters(Vec<InvalidInput>),
    /// A request body that is not the JSON the operation takes (syntax, types, unknown fields).
    #[error("{} invalid body fields", .0.len())]
    InvalidBody(Vec<InvalidInput>),
    /// A well-formed body whose values break the operation's rules (ranges, unknown ids).
    #[error("{} unprocessable body fields", .0.len())]
    UnprocessableBody(Vec<InvalidInput>),
    /// A valid request no exercise fits: each entry names a constraint to loosen.
    #[error("no exercise fits")]
    NoRoutine(Vec<InvalidInput>),
    #[error("body over {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("no {resource} with id \"{id}\"")]
    NotFound {
        resource: &'static str,
        id: String,
        suggestions: Vec<String>,
    },
    #[error("no route for {path}")]
    RouteNotFound { path: String },
    /// The resource has another canonical URL (an alias, a former id, another case, or a
    /// trailing slash): a 308 to it.
    #[error("moved to {location}")]
    Moved { location: String },
    #[error("method {method} not allowed")]
    MethodNotAllowed { method: String, allow: String },
    #[error("internal error")]
    Internal,
}

impl ApiError {
    pub fn invalid(input: InvalidInput) -> Self {
        ApiError::InvalidParameters(vec![input])
    }

    fn problem(&self) -> ProblemDetails {
        let (slug, title, detail, errors) = match self {
            ApiError::InvalidParameters(errors) => {
                let n = errors.len();
                let what = if errors.iter().all(|e| e.field.is_some()) {
                    "body field"
                } else {
                    "query parameter"
                };
                (
                    "invalid-parameters",
                    "Invalid request parameters",
                    format!(
                        "{n} {what}{} invalid.",
                        if n == 1 { " is" } else { "s are" }
                    ),
                    errors.clone(),
                )
            }
            ApiError::InvalidBody(errors) => (
                "invalid-body",
                "Invalid request body",
                format!(
                    "The request body is not valid for this operation ({} problem{}).",
                    errors.len(),
                    if errors.len() == 1 { "" } else { "s" }
                ),
                errors.clone(),
            ),
            ApiError::UnprocessableBody(errors) => (
                "unprocessable-body",
                "Request body breaks a rule",
                format!(
                    "{} body field{} invalid.",
                    errors.len(),
                    if errors.len() == 1 { " is" } else { "s are" }
                ),
                errors.clone(),
            ),
            ApiError::NoRoutine(errors) => (
                "no-routine",
                "No exercise fits",
                "No exercise in the catalogue fits every constraint of this request; loosen one \
                 of those listed."
                    .to_owned(),
                errors.clone(),
            ),
            ApiError::PayloadTooLarge { limit } => (
                "payload-too-large",
                "Request body too large",
                format!("The request body is over the limit of {limit} bytes."),
                vec![],
            ),
            ApiError::UnsupportedMediaType => (
                "unsupported-media-type",
                "Unsupported media type",
                "Send the body as JSON, with Content-Type: application/json.".to_owned(),
                vec![],
            ),
            ApiError::NotFound {
                resource,
                id,
                suggestions,
            } => (
                "not-found",
                "Resource not found",
                format!(
                    "No {resource} has the id \"{id}\"{}.",
                    did_you_mean(suggestions)
                ),
                vec![],
            ),
            ApiError::Moved { location } => (
                "moved-permanently",
                "Moved permanently",
                format!("This resource is served at {location}."),
                vec![],
            ),
            ApiError::RouteNotFound { path } => (
                "not-found",
                "Resource not found",
                format!(
                    "Nothing is served at {path}. The API is described at /openapi.json and browsable at /docs/."
                ),
                vec![],
            ),
            ApiError::MethodNotAllowed { method, allow } => (
                "method-not-allowed",
                "Method not allowed",
                format!("{method} is not allowed here; allowed: {allow}."),
                vec![],
            ),
            ApiError::Internal => (
                "internal",
                "Internal server error",
                "The server failed to handle the request.".to_owned(),
                vec![],
            ),
        };
        ProblemDetails {
            kind: format!("{TYPE_BASE}{slug}"),
            title: title.to_owned(),
            status: self.status_code().as_u16(),
            detail,
            errors,
            request_id: None,
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::InvalidParameters(_) | ApiError::InvalidBody(_) => StatusCode::BAD_REQUEST,
            ApiError::UnprocessableBody(_) | ApiError::NoRoutine(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::NotFound { .. } | ApiError::RouteNotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Moved { .. } => StatusCode::PERMANENT_REDIRECT,
            ApiError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        let mut res = HttpResponse::build(self.status_code());
        res.insert_header((header::CONTENT_TYPE, HeaderValue::from_static(PROBLEM_JSON)));
        if let ApiError::MethodNotAllowed { allow, .. } = self
            && let Ok(v) = HeaderValue::from_str(allow)
        {
            res.insert_header((header::ALLOW, v));
        }
        if let ApiError::Moved { location } = self
            && let Ok(v) = HeaderValue::from_str(location)
        {
            res.insert_header((header::LOCATION, v));
        }
        res.body(body)
    }
}
