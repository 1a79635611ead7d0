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
    let r = generate(json!({"conditions": ["knee-pian"], "muscles": ["glute-meed"], "minutes": 120, "exclude": ["clamshell"]})).await;
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
