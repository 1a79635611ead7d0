//! Equipment, sources, health, the served spec and Swagger UI.

use super::helpers::{catalogue, get, get_ok, get_with};

#[actix_web::test]
async fn equipment_counts_match_the_exercises() {
    let r = get_ok("/v1/equipment?limit=100").await;
    let cat = catalogue();
    let items = r.body["data"].as_array().unwrap();
    assert_eq!(items.len(), cat.document().equipment.len());
    assert!(items.iter().any(|i| i["id"] == "none"));
    for item in items {
        let id = item["id"].as_str().unwrap();
        let n = cat
            .document()
            .exercises
            .iter()
            .filter(|e| e.equipment.iter().any(|x| x == id))
            .count();
        assert_eq!(item["exercise_count"], n, "{id}");
    }
}

#[actix_web::test]
async fn sources_are_listed_and_every_entry_names_one() {
    let r = get_ok("/v1/sources?limit=100").await;
    let ids: Vec<&str> = r.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"dynamic-pt-chicago"));
    let cat = catalogue();
    let doc = cat.document();
    let sources = doc
        .exercises
        .iter()
        .map(|e| &e.source)
        .chain(doc.muscles.iter().map(|m| &m.source))
        .chain(doc.routines.iter().map(|r| &r.source))
        .chain(doc.conditions.iter().map(|c| &c.source));
    for s in sources {
        assert!(ids.contains(&s.as_str()), "source {s} is listed");
    }
}

#[actix_web::test]
async fn health_answers_ok() {
    let r = get_ok("/health").await;
    assert_eq!(r.body, serde_json::json!({"status": "ok"}));
}

#[actix_web::test]
async fn the_served_spec_is_the_generated_one() {
    let r = get_ok("/openapi.json").await;
    let generated =
        serde_json::to_value(exercise_api::startup::openapi(&super::helpers::catalogue())).unwrap();
    assert_eq!(r.body, generated);
}

#[actix_web::test]
async fn the_spec_is_cached_like_the_api_answers() {
    let r = get_ok("/openapi.json").await;
    assert_eq!(r.content_type(), "application/json");
    let etag = r
        .headers
        .get("etag")
        .expect("a strong ETag")
        .to_str()
        .unwrap();
    assert!(etag.starts_with('"'), "strong, not weak: {etag}");
    let cache = r.headers.get("cache-control").unwrap().to_str().unwrap();
    assert!(cache.starts_with("public, max-age="), "{cache}");
    assert!(r.headers.contains_key("x-catalogue-version"));
    let again = get_with("/openapi.json", "If-None-Match", etag).await;
    assert_eq!(again.status, 304);
    assert!(again.raw.is_empty());
    let br = get_with("/openapi.json", "Accept-Encoding", "br").await;
    assert_eq!(br.headers.get("content-encoding").unwrap(), "br");
    assert!(
        br.raw.len() * 4 < r.raw.len(),
        "{} of {} bytes",
        br.raw.len(),
        r.raw.len()
    );
    // Swagger UI still finds it.
    let init = get("/docs/swagger-initializer.js").await;
    assert_eq!(init.status, 200);
    assert!(
        String::from_utf8_lossy(&init.raw).contains("/openapi.json"),
        "Swagger UI points at /openapi.json"
    );
}

#[actix_web::test]
async fn swagger_ui_is_served_and_docs_redirects() {
    let r = get("/docs").await;
    assert!(r.status.is_redirection(), "{}", r.status);
    assert_eq!(r.headers.get("location").unwrap(), "/docs/");
    let r = get("/docs/").await;
    assert_eq!(r.status, 200);
    let html = String::from_utf8_lossy(&r.raw);
    assert!(html.contains("swagger-ui"), "Swagger UI page");
}

/// Relative links in the README and docs/ name files in the repository, and no link leaves
/// it through `..` (a dead link in a clone).
#[test]
fn readme_and_docs_link_only_inside_the_repository() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![root.join("README.md")];
    for e in std::fs::read_dir(root.join("docs")).unwrap() {
        files.push(e.unwrap().path());
    }
    let mut broken = Vec::new();
    for file in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "md"))
    {
        let text = std::fs::read_to_string(file).unwrap();
        for (i, _) in text.match_indices("](") {
            let target = text[i + 2..].split(')').next().unwrap_or("");
            let path = target.split('#').next().unwrap_or("");
            if target.starts_with("http") || path.is_empty() {
                continue;
            }
            let resolved = file.parent().unwrap().join(path);
            let inside = resolved
                .canonicalize()
                .is_ok_and(|r| r.starts_with(root.canonicalize().unwrap()));
            if !inside {
                broken.push(format!("{}: {target}", file.display()));
            }
        }
        assert!(
            !text.contains("shared/DESIGN.md"),
            "{} points outside the repository",
            file.display()
        );
    }
    assert!(broken.is_empty(), "{broken:#?}");
}
