//! The OpenAPI document: committed copy in sync, every operation documented, examples real,
//! documented limits equal to enforced ones.

use serde_json::Value;

use super::helpers::get;

fn spec() -> Value {
    serde_json::to_value(exercise_api::startup::openapi(&super::helpers::catalogue())).unwrap()
}

#[test]
fn the_committed_spec_matches_the_code() {
    let generated = exercise_api::startup::openapi(&super::helpers::catalogue())
        .to_pretty_json()
        .unwrap()
        + "\n";
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == generated,
        "openapi/openapi.json is out of date; regenerate it with `cargo run -- openapi > openapi/openapi.json`"
    );
}

/// (path, method, operation) of every operation.
fn operations(spec: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in spec["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            out.push((path.clone(), method.clone(), op.clone()));
        }
    }
    out
}

#[test]
fn every_operation_is_documented() {
    let spec = spec();
    assert_eq!(spec["openapi"], "3.1.0");
    assert!(
        spec["info"]["description"]
            .as_str()
            .unwrap()
            .contains("not medical advice")
    );
    let ops = operations(&spec);
    assert!(ops.len() >= 13);
    for (path, method, op) in ops {
        let name = format!("{method} {path}");
        assert!(
            op["summary"].as_str().is_some_and(|s| !s.is_empty()),
            "{name} summary"
        );
        assert!(
            op["description"].as_str().is_some_and(|s| !s.is_empty()),
            "{name} description"
        );
        assert!(op["operationId"].is_string(), "{name} operationId");
        let tag = op["tags"][0].as_str().unwrap_or_default();
        assert!(
            [
                "exercises",
                "muscles",
                "routines",
                "conditions",
                "search",
                "meta"
            ]
            .contains(&tag),
            "{name} tag {tag}"
        );
        assert!(op["responses"]["200"].is_object(), "{name} 200");
        assert!(op["responses"]["400"].is_object(), "{name} documents 400");
        if path.contains('{') {
            assert!(op["responses"]["404"].is_object(), "{name} documents 404");
        }
        for (status, resp) in op["responses"].as_object().unwrap() {
            if status.starts_with('4') {
                assert!(
                    resp["content"]["application/problem+json"].is_object(),
                    "{name} {status} is problem+json"
                );
            }
        }
        for p in op["parameters"].as_array().into_iter().flatten() {
            assert!(
                p["description"].as_str().is_some_and(|s| !s.is_empty()),
                "{name} {} described",
                p["name"]
            );
        }
    }
}

/// `path` with its path parameters replaced by their examples, and its required query
/// parameters set to their examples; `None` for operations other than GET.
fn example_target(path: &str, method: &str, op: &Value) -> Option<String> {
    if method != "get" {
        return None;
    }
    let mut out = path.to_owned();
    let mut query = Vec::new();
    for p in op["parameters"].as_array().into_iter().flatten() {
        let name = p["name"].as_str().unwrap();
        if p["in"] == "path" {
            let ex = p["example"]
                .as_str()
                .expect("path parameters have examples");
            out = out.replace(&format!("{{{name}}}"), ex);
        } else if p["in"] == "query" && p["required"] == true {
            let ex = p["example"]
                .as_str()
                .expect("required parameters have examples");
            query.push(format!("{name}={}", ex.replace(' ', "+")));
        }
    }
    if !query.is_empty() {
        out = format!("{out}?{}", query.join("&"));
    }
    Some(out)
}

/// `base` with one more query parameter.
fn with_param(base: &str, pair: &str) -> String {
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}{pair}")
}

#[actix_web::test]
async fn every_example_names_something_that_exists() {
    let spec = spec();
    for (path, method, op) in operations(&spec) {
        let Some(base) = example_target(&path, &method, &op) else {
            continue;
        };
        let r = get(&base).await;
        assert_eq!(r.status, 200, "GET {base} (path examples): {}", r.body);
        for p in op["parameters"].as_array().into_iter().flatten() {
            if p["in"] != "query" {
                continue;
            }
            let Some(ex) = p.get("example").or_else(|| p["schema"].get("example")) else {
                continue;
            };
            let ex = match ex {
                Value::String(s) => s.replace(' ', "+"),
                Value::Array(items) => items
                    .iter()
                    .map(|i| i.as_str().unwrap_or_default().to_owned())
                    .collect::<Vec<_>>()
                    .join(","),
                other => other.to_string(),
            };
            if p["required"] == true {
                continue;
            }
            let uri = with_param(&base, &format!("{}={ex}", p["name"].as_str().unwrap()));
            let r = get(&uri).await;
            assert_eq!(r.status, 200, "GET {uri} (query example): {}", r.body);
        }
    }
}

#[actix_web::test]
async fn documented_integer_limits_are_the_enforced_ones() {
    let spec = spec();
    let mut checked = 0;
    for (path, method, op) in operations(&spec) {
        let Some(base) = example_target(&path, &method, &op) else {
            continue;
        };
        for p in op["parameters"].as_array().into_iter().flatten() {
            let schema = &p["schema"];
            let (Some(min), Some(max)) = (schema["minimum"].as_i64(), schema["maximum"].as_i64())
            else {
                continue;
            };
            let name = p["name"].as_str().unwrap();
            for (value, ok) in [(min - 1, false), (min, true), (max, true), (max + 1, false)] {
                let uri = with_param(&base, &format!("{name}={value}"));
                let r = get(&uri).await;
                assert_eq!(r.status == 200, ok, "GET {uri}: {} {}", r.status, r.body);
                if !ok {
                    assert_eq!(r.body["errors"][0]["parameter"], name, "{uri}");
                }
            }
            checked += 1;
        }
    }
    assert!(checked >= 10, "limits checked on {checked} parameters");
}
