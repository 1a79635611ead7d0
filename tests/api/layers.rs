//! Layered catalogues: a later layer adds entries, overrides fields of an entry with the same
//! id, removes entries in its `remove` list; problems name the layer; `/v1/catalogue` lists
//! the layers.

use std::process::Command;
use std::sync::Arc;

use actix_web::test::{TestRequest, call_service, init_service, read_body};
use exercise_api::catalogue::layers::{self, Layer};
use exercise_api::startup::{HttpSettings, Shared};
use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_exercise-api");

fn clinic(doc: Value) -> Layer {
    Layer {
        name: "clinic.json".into(),
        bytes: serde_json::to_vec(&doc).unwrap(),
    }
}

fn new_exercise() -> Value {
    json!({"id": "clinic-bridge-march", "name": "Bridge march", "aliases": [], "category": "strength",
        "targets": {"summary": "Glutes", "primary": ["gluteus-maximus"], "secondary": []},
        "purpose": "Hip control.", "description": "March from a bridge.", "steps": ["Bridge.", "March."],
        "feel": "Glutes.", "common_mistakes": ["Dropping the hips."], "equipment": ["none"],
        "position": "supine", "laterality": "alternating", "difficulty": "intermediate",
        "dose": {"sets": 2, "reps": 10}, "conditions": [], "progressions": [], "regressions": [],
        "cautions": ["Stop if it hurts."], "source": "exercise-api"})
}

fn layered() -> exercise_api::catalogue::Catalogue {
    let layer = clinic(json!({
        "exercises": [new_exercise(), {"id": "clamshells", "name": "Clinic clamshells"}],
        "remove": {"exercises": ["hip-thrust"]}
    }));
    layers::load(&[Layer::embedded(), layer]).unwrap_or_else(|e| panic!("{e}"))
}

async fn get(shared: Shared, uri: &str) -> (u16, Value) {
    let app = init_service(exercise_api::startup::app_with(shared)).await;
    let res = call_service(&app, TestRequest::get().uri(uri).to_request()).await;
    let status = res.status().as_u16();
    let body = serde_json::from_slice(&read_body(res).await).unwrap_or(Value::Null);
    (status, body)
}

#[actix_web::test]
async fn a_layer_adds_overrides_and_removes_and_the_catalogue_lists_the_layers() {
    let cat = Arc::new(layered());
    let embedded = crate::helpers::catalogue();
    assert_eq!(cat.exercises().len(), embedded.exercises().len());
    let shared = Shared::new(cat, false, &HttpSettings::default());
    let (status, added) = get(shared.clone(), "/v1/exercises/clinic-bridge-march").await;
    assert_eq!(status, 200);
    assert_eq!(added["laterality"], "alternating");
    // A field override replaces that field only.
    let (_, clams) = get(shared.clone(), "/v1/exercises/clamshells").await;
    assert_eq!(clams["name"], "Clinic clamshells");
    assert_eq!(
        clams["steps"],
        serde_json::to_value(&embedded.exercise("clamshells").unwrap().exercise.steps).unwrap()
    );
    assert_eq!(get(shared.clone(), "/v1/exercises/hip-thrust").await.0, 404);
    // Search and filters reach both layers.
    let (_, found) = get(shared.clone(), "/v1/exercises?q=bridge+march").await;
    assert_eq!(found["data"][0]["id"], "clinic-bridge-march");
    let (_, info) = get(shared, "/v1/catalogue").await;
    let layers = info["layers"].as_array().unwrap();
    assert_eq!(layers.len(), 2);
    assert_eq!(layers[0]["name"], "embedded");
    assert_eq!(layers[1]["name"], "clinic.json");
    assert_eq!(layers[1]["added"], 1);
    assert_eq!(layers[1]["overridden"], 1);
    assert_eq!(layers[1]["removed"], 1);
    assert_eq!(layers[0]["version"].as_str().unwrap().len(), 32);
}

#[actix_web::test]
async fn a_single_catalogue_is_one_layer() {
    let (_, info) = get(crate::helpers::shared(), "/v1/catalogue").await;
    assert_eq!(info["layers"][0]["name"], "embedded");
    assert_eq!(info["layers"][0]["version"], info["version"]);
}

#[test]
fn problems_name_the_layer_and_the_entry_position_in_it() {
    let mut bad = new_exercise();
    bad["targets"]["primary"] = json!(["glute-meed"]);
    let cases: Vec<(Value, &str)> = vec![
        (
            json!({"remove": {"exercises": ["no-such-exercise"]}}),
            "clinic.json: remove.exercises[0]: no earlier layer has exercises entry \"no-such-exercise\"",
        ),
        (
            json!({"remove": {"exercise": ["clamshells"]}}),
            "clinic.json: remove.exercise: unknown collection",
        ),
        (
            json!({"exercises": [new_exercise(), bad]}),
            "clinic.json: exercises[1].targets.primary[0]: unknown muscle \"glute-meed\"",
        ),
        (
            // An override's own field is the layer's; the problem names it.
            json!({"exercises": [{"id": "clamshells", "equipment": ["rowing-machine"]}]}),
            "clinic.json: exercises[0].equipment[0]: unknown equipment \"rowing-machine\"",
        ),
        (
            // Removing an exercise others refer to breaks the references, in the embedded layer.
            json!({"remove": {"exercises": ["fire-hydrant"]}}),
            "embedded: routines[7].items[3].exercise: unknown exercise \"fire-hydrant\"",
        ),
        (
            json!([1, 2]),
            "clinic.json: the document must be a JSON object",
        ),
    ];
    for (doc, message) in cases {
        let err = layers::load(&[Layer::embedded(), clinic(doc.clone())])
            .err()
            .unwrap();
        assert!(err.to_string().contains(message), "{message} in {err}");
    }
    let first = layers::load(&[clinic(json!({"remove": {}})), Layer::embedded()])
        .err()
        .unwrap();
    assert!(
        first
            .to_string()
            .contains("only a layer after the first may remove entries")
    );
}

#[test]
fn the_cli_layers_catalogues_and_names_the_layer_in_errors() {
    let dir = std::env::temp_dir().join(format!("exercise-api-layers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("clinic.json");
    std::fs::write(&good, json!({"exercises": [new_exercise()]}).to_string()).unwrap();
    let out = Command::new(BIN)
        .args(["export-catalogue", "--catalogue", "embedded", "--catalogue"])
        .arg(&good)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        doc["exercises"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["id"] == "clinic-bridge-march")
    );
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\"exercises\": [").unwrap();
    let out = Command::new(BIN)
        .args(["export-catalogue", "--catalogue", "embedded", "--catalogue"])
        .arg(&bad)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bad.json: not valid JSON"), "{stderr}");
}
