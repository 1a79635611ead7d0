//! `POST /v1/routines/generate`: routines made to measure, and every way a body can be wrong.

use actix_web::test::TestRequest;
use serde_json::{Value, json};

use super::helpers::{Reply, assert_problem, catalogue, request};

async fn generate(body: Value) -> Reply {
    request(
        TestRequest::post()
            .uri("/v1/routines/generate")
            .set_json(body),
    )
    .await
}

fn phase(category: &str) -> u8 {
    match category {
        "mobility" | "soft-tissue" => 0,
        "activation" | "isometric" => 1,
        "strength" => 2,
        _ => 3,
    }
}

#[actix_web::test]
async fn a_generated_routine_fits_the_constraints_and_is_ordered() {
    let cat = catalogue();
    let body = json!({"conditions": ["knee-pain"], "available_equipment": ["resistance-band"], "minutes": 20, "difficulty": "intermediate", "exclude": ["clamshells"]});
    let r = generate(body.clone()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    let items = r.body["items"].as_array().unwrap();
    assert!(items.len() >= 3, "{}", r.body);
    assert!(r.body["estimated_duration_seconds"].as_u64().unwrap() <= 20 * 60);
    let mut phases = Vec::new();
    for item in items {
        let id = item["exercise_id"].as_str().unwrap();
        let e = &cat.exercise(id).unwrap().exercise;
        assert!(
            e.conditions.iter().any(|c| c == "knee-pain"),
            "{id} is for knee pain"
        );
        assert!(
            e.equipment
                .iter()
                .all(|x| x == "none" || x == "resistance-band"),
            "{id} equipment"
        );
        assert!(e.difficulty <= exercise_api::catalogue::model::Difficulty::Intermediate);
        assert_ne!(id, "clamshells");
        assert_eq!(
            item["dose"],
            serde_json::to_value(&e.dose).unwrap(),
            "doses from the catalogue"
        );
        assert!(
            item["reason"].as_str().unwrap().contains("knee pain"),
            "{}",
            item["reason"]
        );
        phases.push(phase(
            serde_json::to_value(e.category).unwrap().as_str().unwrap(),
        ));
    }
    assert!(
        phases.windows(2).all(|w| w[0] <= w[1]),
        "mobility/activation, strength, balance: {phases:?}"
    );
    // Same schema as a stored routine, and the same input gives the same routine.
    for key in [
        "id",
        "name",
        "purpose",
        "description",
        "conditions",
        "estimated_duration_minutes",
        "source",
    ] {
        assert!(r.body.get(key).is_some(), "{key}");
    }
    assert_eq!(generate(body).await.body, r.body);
}

#[actix_web::test]
async fn muscles_alone_and_tight_budgets_work() {
    let r = generate(json!({"muscles": ["gluteus-medius"], "minutes": 5})).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body["estimated_duration_seconds"].as_u64().unwrap() <= 300);
    assert!(!r.body["items"].as_array().unwrap().is_empty());
    let long = generate(json!({"muscles": ["gluteus-medius"], "minutes": 90})).await;
    assert!(
        long.body["items"].as_array().unwrap().len() > r.body["items"].as_array().unwrap().len()
    );
}

#[actix_web::test]
async fn invalid_values_are_422_naming_each_field() {
    let r = generate(json!({"conditions": ["knee-pian"], "muscles": ["glute-meed"], "minutes": 120, "exclude": ["clamshel"]})).await;
    let body = assert_problem(&r, 422);
    let errors = body["errors"].as_array().unwrap();
    let field = |f: &str| {
        errors
            .iter()
            .find(|e| e["field"] == f)
            .unwrap_or_else(|| panic!("{f} in {body}"))["message"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert!(field("conditions[0]").contains("did you mean \"knee-pain\"?"));
    assert!(field("muscles[0]").contains("did you mean \"gluteus-medius\"?"));
    assert!(field("minutes").contains("from 5 to 90"));
    assert!(field("exclude[0]").contains("clamshells"));
    let r = generate(json!({"minutes": 30})).await;
    assert!(
        assert_problem(&r, 422)["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("at least one of")
    );
}

#[actix_web::test]
async fn malformed_bodies_are_400_415_or_413() {
    let r = generate(json!({"conditions": "knee-pain"})).await;
    assert_eq!(assert_problem(&r, 400)["errors"][0]["field"], "conditions");
    let r = generate(json!({"conditions": ["knee-pain"], "colour": "red"})).await;
    assert!(
        assert_problem(&r, 400)["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("colour")
    );
    let r = generate(json!({"conditions": ["knee-pain"], "minutes": 2.5})).await;
    assert_eq!(assert_problem(&r, 400)["errors"][0]["field"], "minutes");
    let r = request(
        TestRequest::post()
            .uri("/v1/routines/generate")
            .insert_header(("content-type", "application/json"))
            .set_payload("{not json"),
    )
    .await;
    assert_problem(&r, 400);
    let r = request(
        TestRequest::post()
            .uri("/v1/routines/generate")
            .insert_header(("content-type", "text/plain"))
            .set_payload("{\"conditions\":[\"knee-pain\"]}"),
    )
    .await;
    assert_problem(&r, 415);
    let huge = json!({"conditions": ["knee-pain"], "exclude": vec!["x".repeat(100); 200]});
    let r = generate(huge).await;
    assert_problem(&r, 413);
    let r = request(TestRequest::get().uri("/v1/routines/generate")).await;
    assert_problem(&r, 405);
    assert_eq!(r.headers.get("allow").unwrap(), "POST");
}

#[actix_web::test]
async fn a_routine_shorter_than_asked_says_how_long_it_is_and_why() {
    let r = generate(json!({"conditions": ["knee-pain"], "difficulty": "beginner", "minutes": 90}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let minutes = r.body["estimated_duration_minutes"].as_u64().unwrap();
    assert!(minutes < 89, "{}", r.body);
    let purpose = r.body["purpose"].as_str().unwrap();
    assert!(
        purpose.starts_with(&format!("A {minutes}-minute session")),
        "{purpose}"
    );
    assert!(purpose.contains("90 minutes were asked for"), "{purpose}");
    assert!(
        purpose.contains("at most 8 exercises")
            || purpose.contains("exercises in the catalogue match"),
        "{purpose}"
    );
    // A routine that fills its budget has nothing to explain.
    let r = generate(json!({"muscles": ["gluteus-medius"], "minutes": 5})).await;
    let purpose = r.body["purpose"].as_str().unwrap();
    assert!(!purpose.contains("asked for"), "{purpose}");
}

#[actix_web::test]
async fn a_body_no_exercise_fits_is_a_422_naming_what_to_loosen() {
    let cat = catalogue();
    let all: Vec<&str> = cat
        .exercises()
        .iter()
        .filter(|e| {
            e.exercise
                .conditions
                .iter()
                .any(|c| c == "carpal-tunnel-syndrome")
        })
        .map(|e| e.exercise.id.as_str())
        .collect();
    assert!(!all.is_empty() && all.len() <= 100);
    let r = generate(json!({"conditions": ["carpal-tunnel-syndrome"], "exclude": all})).await;
    let body = assert_problem(&r, 422);
    assert_eq!(body["type"], "urn:exercise-api:problem:no-routine");
    assert_eq!(body["errors"][0]["field"], "exclude", "{body}");
}

#[actix_web::test]
async fn unknown_fields_and_ids_get_did_you_mean_and_hide_no_other_problem() {
    let r =
        generate(json!({"conditions": ["knee-pain"], "equipment": ["band"], "minutes": 200})).await;
    let body = assert_problem(&r, 400);
    let errors = body["errors"].as_array().unwrap();
    let equipment = errors.iter().find(|e| e["field"] == "equipment").unwrap();
    let msg = equipment["message"].as_str().unwrap();
    assert!(
        msg.contains("did you mean \"available_equipment\"?"),
        "{msg}"
    );
    assert!(
        equipment["allowed"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "available_equipment")
    );
    assert!(
        errors.iter().any(|e| e["field"] == "minutes"),
        "the range problem is reported with the unknown field: {body}"
    );
    let r = generate(json!({"conditions": ["knee-pain"], "available_equipment": ["band"]})).await;
    let e = &assert_problem(&r, 422)["errors"][0];
    assert_eq!(e["field"], "available_equipment[0]");
    let msg = e["message"].as_str().unwrap();
    assert!(
        msg.contains("(did you mean ") && msg.contains("\"resistance-band\""),
        "{msg}"
    );
    assert!(
        e["allowed"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "foam-roller")
    );
    // Two malformed fields, both reported; no "give at least one of" for a conditions
    // field already reported as malformed.
    let r = generate(json!({"conditions": "knee-pain", "difficulty": "expert"})).await;
    let body = assert_problem(&r, 400);
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{body}");
    let difficulty = errors.iter().find(|e| e["field"] == "difficulty").unwrap();
    assert!(difficulty["allowed"].is_array(), "{difficulty}");
}

#[test]
fn the_generate_fields_are_those_the_spec_documents() {
    let spec: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json"))
            .unwrap(),
    )
    .unwrap();
    let schema = &spec["components"]["schemas"]["GenerateRoutineRequest"];
    let props = schema["properties"]
        .as_object()
        .or_else(|| schema["allOf"][0]["properties"].as_object())
        .unwrap();
    let mut documented: Vec<&str> = props.keys().map(String::as_str).collect();
    let mut known = exercise_api::api::routines::GENERATE_FIELDS.to_vec();
    documented.sort();
    known.sort();
    assert_eq!(documented, known);
}
