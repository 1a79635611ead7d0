//! Finishing touches on the collected OpenAPI document, in one place: what every cacheable GET
//! shares, the comma-list parameters as arrays with their allowed values, document-level
//! fields, and response schemas that accept the fields views add.

use serde_json::{Value, json};
use utoipa::openapi::OpenApi as OpenApiDoc;

use super::exercises::EXERCISE_FIELDS;
use super::query::{MAX_LIST_ITEMS, enum_name};
use crate::catalogue::Catalogue;
use crate::catalogue::model::{Difficulty, Joint, Laterality, Phase, Position, Region, Role};

/// Catalogues with more ids than this describe id parameters by pattern instead of by enum.
const MAX_ENUM_IDS: usize = 1000;

/// Applies every finishing step; `catalogue` supplies the allowed ids.
pub fn finish(spec: &mut OpenApiDoc, catalogue: &Catalogue) {
    document_caching(spec);
    let mut doc = serde_json::to_value(&*spec).expect("the spec serializes");
    list_parameters(&mut doc, catalogue);
    open_response_schemas(&mut doc);
    sparse_exercises(&mut doc);
    generate_request(&mut doc, catalogue);
    every_response(&mut doc);
    super::maps::document(&mut doc);
    document_level(&mut doc);
    drop_unused_schemas(&mut doc);
    *spec = serde_json::from_value(doc).expect("the finished spec is still an OpenAPI document");
}

/// The languages of the embedded catalogue, for the `lang` parameter (a region subtag such as
/// `es-MX` is accepted too; the spec lists the tags themselves).
const LANGUAGES: [&str; 3] = ["en", "es", "de"];

/// Documents what every cacheable GET shares, once: the `If-None-Match` parameter, the 304
/// answer, and the caching headers of the 200 answer. (`/health` and `/ready` are never cached.)
fn document_caching(spec: &mut OpenApiDoc) {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    use utoipa::openapi::{HeaderBuilder, ObjectBuilder, RefOr, Required, ResponseBuilder, Type};

    let string = || ObjectBuilder::new().schema_type(Type::String).build();
    let header = |description: &str| {
        RefOr::T(
            HeaderBuilder::new()
                .schema(Some(string()))
                .description(Some(description))
                .build(),
        )
    };
    for (path, item) in spec.paths.paths.iter_mut() {
        let Some(op) = item.get.as_mut() else {
            continue;
        };
        if path == "/health" || path == "/ready" {
            continue;
        }
        if let Some(RefOr::T(ok)) = op.responses.responses.get_mut("200") {
            ok.headers.insert(
                "ETag".into(),
                header("Strong validator of this representation; send it back in If-None-Match."),
            );
            ok.headers.insert(
                "Cache-Control".into(),
                header("public, max-age=N (default 300), stale-while-revalidate=M (default 60)."),
            );
            ok.headers
                .insert("Vary".into(), header("Accept-Encoding, Accept-Language."));
            ok.headers.insert(
                "Content-Language".into(),
                header("The language of the texts (en, or a language of /v1/languages)."),
            );
            ok.headers.insert(
                "X-Catalogue-Version".into(),
                header("Content hash of the catalogue being served; changes when the data does."),
            );
        }
        op.responses.responses.insert(
            "304".into(),
            RefOr::T(
                ResponseBuilder::new()
                    .description("Not modified: If-None-Match matched the current ETag; no body.")
                    .header("ETag", HeaderBuilder::new().schema(Some(string())).build())
                    .build(),
            ),
        );
        if path.starts_with("/v1/") {
            let params = op.parameters.get_or_insert_with(Vec::new);
            params.push(RefOr::T(
                ParameterBuilder::new()
                    .name("lang")
                    .parameter_in(ParameterIn::Query)
                    .required(Required::False)
                    .description(Some(
                        "The language of the texts: a tag of /v1/languages (en, es, de); a region \
                         subtag falls back to its language (es-MX → es). Wins over Accept-Language.",
                    ))
                    .schema(Some(
                        ObjectBuilder::new()
                            .schema_type(Type::String)
                            .enum_values(Some(LANGUAGES))
                            .build(),
                    ))
                    .build(),
            ));
            params.push(RefOr::T(
                ParameterBuilder::new()
                    .name("Accept-Language")
                    .parameter_in(ParameterIn::Header)
                    .required(Required::False)
                    .description(Some(
                        "Preferred languages with q-values (RFC 9110); used when `lang` is absent.",
                    ))
                    .schema(Some(string()))
                    .build(),
            ));
        }
        op.parameters.get_or_insert_with(Vec::new).push(RefOr::T(
            ParameterBuilder::new()
                .name("If-None-Match")
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(
                    "ETags the client holds; a match is answered with 304 and no body.",
                ))
                .schema(Some(string()))
                .build(),
        ));
    }
}

/// The allowed values of each comma-list parameter, by name.
fn list_vocabulary(name: &str, cat: &Catalogue) -> Option<Vec<String>> {
    let ids = |v: Vec<String>| v;
    Some(match name {
        "muscle" | "primary" | "secondary" => {
            ids(cat.muscles().iter().map(|m| m.muscle.id.clone()).collect())
        }
        "equipment" | "available_equipment" => ids(cat
            .equipment()
            .iter()
            .map(|e| e.equipment.id.clone())
            .collect()),
        "condition" => ids(cat
            .conditions()
            .iter()
            .map(|c| c.condition.id.clone())
            .collect()),
        "exclude" => ids(cat
            .exercises()
            .iter()
            .map(|e| e.exercise.id.clone())
            .collect()),
        "difficulty" => Difficulty::ALL.iter().map(enum_name).collect(),
        "laterality" => Laterality::ALL.iter().map(enum_name).collect(),
        "region" => Region::ALL.iter().map(enum_name).collect(),
        "position" => Position::ALL.iter().map(enum_name).collect(),
        "joint" => Joint::ALL.iter().map(enum_name).collect(),
        "role" => Role::ALL.iter().map(enum_name).collect(),
        "phase" => Phase::ALL.iter().map(enum_name).collect(),
        "expand" => vec!["exercises".into()],
        "type" => ["exercise", "muscle", "routine", "condition"]
            .map(String::from)
            .to_vec(),
        "fields" => EXERCISE_FIELDS.map(String::from).to_vec(),
        _ => return None,
    })
}

/// Comma-list query parameters become arrays in the form style without explode
/// (`?muscle=a,b`), with their allowed values, so that the spec says what the server accepts.
fn list_parameters(doc: &mut Value, cat: &Catalogue) {
    let Some(paths) = doc["paths"].as_object_mut() else {
        return;
    };
    for item in paths.values_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for op in item.values_mut() {
            let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) else {
                continue;
            };
            for p in params {
                if p["in"] != "query" {
                    continue;
                }
                let name = p["name"].as_str().unwrap_or_default().to_owned();
                let Some(values) = list_vocabulary(&name, cat) else {
                    continue;
                };
                let items = if values.len() <= MAX_ENUM_IDS {
                    json!({"type": "string", "enum": values})
                } else {
                    json!({"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"})
                };
                let example = p["example"].take();
                // Repeated values are accepted (and count once), so no `uniqueItems`.
                p["schema"] = json!({
                    "type": "array",
                    "items": items,
                    "minItems": 1,
                    "maxItems": MAX_LIST_ITEMS,
                });
                p["style"] = json!("form");
                p["explode"] = json!(false);
                if let Some(s) = example.as_str() {
                    p["example"] = json!(s.split(',').collect::<Vec<_>>());
                }
            }
        }
    }
}

/// The catalogue file's types reject unknown fields (`additionalProperties: false`), which is
/// right for the file but wrong for responses that add computed fields to them through
/// `allOf`: the response document describes what is served, so its schemas stay open.
fn open_response_schemas(doc: &mut Value) {
    let Some(schemas) = doc["components"]["schemas"].as_object_mut() else {
        return;
    };
    for (name, schema) in schemas.iter_mut() {
        if !REQUEST_SCHEMAS.contains(&name.as_str()) {
            walk(schema);
        }
    }
    fn walk(v: &mut Value) {
        match v {
            Value::Object(map) => {
                if map.get("additionalProperties") == Some(&Value::Bool(false)) {
                    map.remove("additionalProperties");
                }
                map.values_mut().for_each(walk);
            }
            Value::Array(items) => items.iter_mut().for_each(walk),
            _ => {}
        }
    }
}

/// Schemas of request bodies: they stay closed (unknown fields are rejected).
const REQUEST_SCHEMAS: [&str; 1] = ["GenerateRoutineRequest"];

/// With `fields=`, an exercise is cut down to the fields asked for: each operation taking
/// `fields` answers either whole exercises or `ExerciseFields` (only `id` required).
fn sparse_exercises(doc: &mut Value) {
    let exercise = &doc["components"]["schemas"]["Exercise"];
    let properties = exercise["properties"].clone();
    doc["components"]["schemas"]["ExerciseFields"] = json!({
        "type": "object",
        "description": "An exercise cut down to the `fields` asked for; `id` is always present.",
        "required": ["id"],
        "properties": properties,
    });
    let sparse = json!({"$ref": "#/components/schemas/ExerciseFields"});
    let Some(paths) = doc["paths"].as_object_mut() else {
        return;
    };
    for item in paths.values_mut() {
        let Some(op) = item.get_mut("get") else {
            continue;
        };
        let takes_fields = op["parameters"]
            .as_array()
            .is_some_and(|ps| ps.iter().any(|p| p["name"] == "fields"));
        if !takes_fields {
            continue;
        }
        let schema = &mut op["responses"]["200"]["content"]["application/json"]["schema"];
        let whole = schema.clone();
        if whole["$ref"] == "#/components/schemas/ExerciseView" {
            *schema = json!({"anyOf": [whole, sparse]});
        }
    }
    // Pages of exercises: each item is whole or cut down.
    if let Some(items) =
        doc["components"]["schemas"]["Page_ExerciseView"]["properties"]["data"].get_mut("items")
    {
        let whole = items.clone();
        *items = json!({"anyOf": [whole, sparse]});
    }
}

/// The generate body's ids must name catalogue entries, and it needs conditions or muscles.
fn generate_request(doc: &mut Value, cat: &Catalogue) {
    let schema = &mut doc["components"]["schemas"]["GenerateRoutineRequest"];
    if schema.is_null() {
        return;
    }
    for (field, vocabulary) in [
        ("conditions", "condition"),
        ("muscles", "muscle"),
        ("available_equipment", "equipment"),
        ("exclude", "exclude"),
    ] {
        let Some(values) = list_vocabulary(vocabulary, cat) else {
            continue;
        };
        if values.len() <= MAX_ENUM_IDS {
            let items = &mut schema["properties"][field]["items"];
            *items = json!({"type": "string", "enum": values});
        }
    }
    // As `allOf` around the object: utoipa's object model has no `anyOf` of its own.
    let mut object = schema.take();
    let example = object.as_object_mut().and_then(|o| o.remove("example"));
    *schema = json!({"allOf": [object, {"anyOf": [
        {"type": "object", "required": ["conditions"], "properties": {"conditions": {"type": "array", "items": {"type": "string"}, "minItems": 1}}},
        {"type": "object", "required": ["muscles"], "properties": {"muscles": {"type": "array", "items": {"type": "string"}, "minItems": 1}}}
    ]}]});
    if let Some(example) = example {
        schema["example"] = example;
    }
}

/// A relative server (the one serving the document), a contact, and an explicit statement
/// that no operation needs credentials.
fn document_level(doc: &mut Value) {
    doc["servers"] =
        json!([{"url": "/", "description": "The server this document is served from"}]);
    doc["info"]["contact"] = json!({
        "name": "exercise-api maintainers",
        "url": "https://github.com/exercise-api/exercise-api/issues"
    });
    doc["security"] = json!([]);
}

/// Removes component schemas nothing refers to (utoipa also registers the building blocks of
/// generic and flattened types).
fn drop_unused_schemas(doc: &mut Value) {
    loop {
        let text = serde_json::to_string(&doc["paths"]).unwrap_or_default()
            + &serde_json::to_string(&doc["components"]).unwrap_or_default();
        let Some(schemas) = doc["components"]["schemas"].as_object_mut() else {
            return;
        };
        let unused: Vec<String> = schemas
            .keys()
            .filter(|name| !text.contains(&format!("\"#/components/schemas/{name}\"")))
            .cloned()
            .collect();
        if unused.is_empty() {
            return;
        }
        for name in unused {
            schemas.remove(&name);
        }
    }
}

/// What every operation may answer whatever it does: the `X-Request-Id` header on every
/// response, and 429 when the operator turns rate limiting on.
fn every_response(doc: &mut Value) {
    let request_id = json!({
        "description": "The request's id: the client's `X-Request-Id` when acceptable, otherwise generated; also `request_id` in problem bodies.",
        "schema": {"type": "string", "maxLength": 128}
    });
    let rate_limited = json!({
        "description": "Too many requests from this client (only when rate limiting is enabled); see `Retry-After` and the `RateLimit-*` headers.",
        "headers": {
            "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer", "minimum": 0}},
            "RateLimit-Limit": {"description": "Requests allowed in a burst.", "schema": {"type": "integer", "minimum": 0}},
            "RateLimit-Remaining": {"description": "Requests left now.", "schema": {"type": "integer", "minimum": 0}},
            "RateLimit-Reset": {"description": "Seconds until a request is allowed again.", "schema": {"type": "integer", "minimum": 0}}
        },
        "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/ProblemDetails"}}}
    });
    let Some(paths) = doc["paths"].as_object_mut() else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for op in item.values_mut() {
            let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) else {
                continue;
            };
            // Probes are exempt from rate limiting.
            if path != "/health" && path != "/ready" {
                responses
                    .entry("429")
                    .or_insert_with(|| rate_limited.clone());
            }
            for response in responses.values_mut() {
                if let Some(r) = response.as_object_mut() {
                    let headers = r.entry("headers").or_insert_with(|| json!({}));
                    headers["X-Request-Id"] = request_id.clone();
                }
            }
        }
    }
}
