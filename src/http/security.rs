//! Security headers on every response: no MIME sniffing, no referrer, and a Content Security
//! Policy: nothing at all for the API's JSON, and what Swagger UI needs under `/docs/`.

use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};

/// The API serves data, never documents: nothing may load, nothing may frame it.
pub const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";
/// Swagger UI: its own scripts and stylesheets (no inline scripts: `swagger-initializer.js`
/// is a file), the inline styles and `data:` images it creates, and fetching the spec.
pub const DOCS_CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data:; font-src 'self' data:; connect-src 'self'; manifest-src 'self'; \
base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// True for the paths that serve Swagger UI.
pub fn is_docs(path: &str) -> bool {
    path == "/docs" || path.starts_with("/docs/")
}

/// The security headers of a response (`docs`: the response is Swagger UI's).
pub fn headers(docs: bool) -> [(HeaderName, HeaderValue); 3] {
    let csp = if docs { DOCS_CSP } else { API_CSP };
    [
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "no-referrer"),
        (header::CONTENT_SECURITY_POLICY, csp),
    ]
    .map(|(name, value)| (name, HeaderValue::from_static(value)))
}

/// Adds the security headers a response lacks (`docs`: the response is Swagger UI's).
pub fn apply(docs: bool, map: &mut HeaderMap) {
    for (name, value) in headers(docs) {
        if !map.contains_key(&name) {
            map.insert(name, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn docs_get_their_own_policy() {
        let mut h = HeaderMap::new();
        assert!(is_docs("/docs/index.html") && is_docs("/docs") && !is_docs("/docsx"));
        apply(true, &mut h);
        assert_eq!(h.get(header::CONTENT_SECURITY_POLICY).unwrap(), DOCS_CSP);
        let mut h = HeaderMap::new();
        apply(false, &mut h);
        assert_eq!(h.get(header::CONTENT_SECURITY_POLICY).unwrap(), API_CSP);
        assert_eq!(h.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(), "nosniff");
        assert_eq!(h.get(header::REFERRER_POLICY).unwrap(), "no-referrer");
    }
}
