//! The served paths and the methods each answers, from the OpenAPI document: for 405's
//! `Allow` and the CORS answers, which list exactly what a path serves, in a stable order.

use actix_web::dev::ResourceDef;
use actix_web::http::Method;
use utoipa::openapi::OpenApi;

const GET_HEAD: &str = "GET, HEAD";

/// Every served path template with the methods it answers, to tell a wrong method (405) from
/// a wrong path (404): actix's method guards make both fall through to the default service.
pub struct KnownPaths(Vec<(ResourceDef, String)>);

impl KnownPaths {
    pub fn from_spec(spec: &OpenApi, metrics: bool) -> Self {
        let mut paths: Vec<(ResourceDef, String)> = spec
            .paths
            .paths
            .iter()
            .map(|(template, item)| {
                let mut methods: Vec<&str> = Vec::new();
                if item.get.is_some() {
                    // Every GET route answers HEAD too (actix-web routes HEAD to GET).
                    methods.extend(["GET", "HEAD"]);
                }
                if item.post.is_some() {
                    methods.push("POST");
                }
                (ResourceDef::new(template.as_str()), methods.join(", "))
            })
            .collect();
        paths.push((ResourceDef::new("/openapi.json"), GET_HEAD.into()));
        paths.push((ResourceDef::new("/docs"), GET_HEAD.into()));
        paths.push((ResourceDef::new("/docs/{_:.*}"), GET_HEAD.into()));
        if metrics {
            paths.push((ResourceDef::new("/metrics"), GET_HEAD.into()));
        }
        KnownPaths(paths)
    }

    /// Every method some path serves.
    pub fn methods(&self) -> Vec<Method> {
        let mut methods: Vec<Method> = Vec::new();
        for m in self.0.iter().flat_map(|(_, m)| m.split(", ")) {
            if let Ok(m) = Method::from_bytes(m.as_bytes())
                && !methods.contains(&m)
            {
                methods.push(m);
            }
        }
        methods
    }

    /// Every method some path serves, in the order of [`Self::allowed`]'s lists.
    pub fn all(&self) -> String {
        let methods = self.methods();
        ["GET", "HEAD", "POST"]
            .into_iter()
            .filter(|m| methods.iter().any(|k| k.as_str() == *m))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The methods `path` serves, in a fixed order (GET, HEAD, POST), for `Allow` and CORS.
    pub fn allowed(&self, path: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(def, _)| def.is_match(path))
            .map(|(_, m)| m.as_str())
    }
}
