//! The JSON Schema of the catalogue file, generated from the same Rust types that parse it.

use serde_json::{Value, json};
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;
use utoipa::{PartialSchema, ToSchema};

use super::model::CatalogueDocument;

/// A JSON Schema (draft 2020-12) document for catalogue files. Structural rules only: the
/// cross-reference rules (ids resolve, no cycles, ...) are checked by `check-catalogue`.
pub fn catalogue_schema() -> Value {
    let mut components: Vec<(String, RefOr<Schema>)> = Vec::new();
    <CatalogueDocument as ToSchema>::schemas(&mut components);
    let mut defs = serde_json::Map::new();
    for (name, schema) in components {
        defs.insert(
            name,
            serde_json::to_value(schema).expect("schemas serialize"),
        );
    }
    let mut root = serde_json::to_value(CatalogueDocument::schema()).expect("schemas serialize");
    let obj = root.as_object_mut().expect("the root schema is an object");
    obj.insert(
        "$schema".into(),
        json!("https://json-schema.org/draft/2020-12/schema"),
    );
    obj.insert("title".into(), json!("exercise-api catalogue"));
    obj.insert(
        "description".into(),
        json!("A catalogue file for exercise-api (see docs/catalogue-format.md). Validate cross-references with `exercise-api check-catalogue FILE`."),
    );
    obj.insert("$defs".into(), Value::Object(defs));
    rewrite_refs(&mut root);
    root
}

/// OpenAPI puts shared schemas under `#/components/schemas/`; a JSON Schema uses `#/$defs/`.
fn rewrite_refs(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, x) in map.iter_mut() {
                if k == "$ref"
                    && let Value::String(s) = x
                    && let Some(name) = s.strip_prefix("#/components/schemas/")
                {
                    *s = format!("#/$defs/{name}");
                } else {
                    rewrite_refs(x);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(rewrite_refs),
        _ => {}
    }
}
