//! The one error type of the API and its RFC 9457 `application/problem+json` body.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};

pub use crate::problem::{InvalidInput, PROBLEM_JSON, ProblemDetails};
use crate::problem::{TYPE_BASE, method_not_allowed_detail, route_not_found_detail, truncate};

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
                    "No {resource} has the id \"{}\"{}.",
                    truncate(id, 100),
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
                route_not_found_detail(path),
                vec![],
            ),
            ApiError::MethodNotAllowed { method, allow } => (
                "method-not-allowed",
                "Method not allowed",
                method_not_allowed_detail(method, allow),
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
