//! FHIR R4 representations: `Accept: application/fhir+json` on an exercise answers an
//! ActivityDefinition, on a routine a PlanDefinition; JSON stays the default.

use actix_web::http::StatusCode;
use actix_web::test;
use exercise_api::api::fhir;
use exercise_api::catalogue::model::Dose;
use serde_json::{Value, json};

use crate::helpers::{Reply, assert_problem, get_ok, request, shared};

const FHIR: &str = "application/fhir+json";

async fn get_fhir(uri: &str) -> Reply {
    let r = request(
        test::TestRequest::get()
            .uri(uri)
            .insert_header(("Accept", FHIR)),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "GET {uri}: {}", r.body);
    assert_eq!(r.content_type(), FHIR);
    assert_eq!(
        r.headers.get("vary").unwrap(),
        "Accept, Accept-Encoding, Accept-Language"
    );
    r
}

#[actix_web::test]
async fn an_exercise_is_an_activity_definition() {
    let r = get_fhir("/v1/exercises/clamshells").await;
    let b = &r.body;
    assert_eq!(b["resourceType"], "ActivityDefinition");
    assert_eq!(b["id"], "clamshells");
    assert_eq!(b["status"], "active");
    assert_eq!(b["title"], "Clamshells");
    assert_eq!(
        b["code"]["coding"][0],
        json!({"system": fhir::EXERCISE_SYSTEM, "code": "clamshells", "display": "Clamshells"})
    );
    assert!(b["description"].as_str().unwrap().starts_with("Band goes"));
    assert!(
        b["usage"]
            .as_str()
            .unwrap()
            .starts_with("1. Lie on your side")
    );
    // Targets as body sites: an FMA coding where the muscle has an FMA id, text otherwise.
    let sites = b["bodySite"].as_array().unwrap();
    assert_eq!(
        sites[0],
        json!({"coding": [{"system": "http://purl.org/sig/ont/fma", "code": "22315", "display": "Gluteus medius"}], "text": "Gluteus medius"})
    );
    assert!(
        sites
            .iter()
            .any(|s| s.get("coding").is_none() && s["text"] == "Deep hip external rotators")
    );
    // The source as a related artifact.
    let source = &b["relatedArtifact"][0];
    assert_eq!(source["type"], "citation");
    assert_eq!(source["display"], "Dynamic PT Chicago");
    assert_eq!(source["url"], "https://www.dynamic-pt.com");
    // The dose, in words and timing.
    let dosage = &b["dosage"][0];
    assert!(
        dosage["text"]
            .as_str()
            .unwrap()
            .starts_with("2 sets of 15 reps, each side")
    );
    assert_eq!(dosage["timing"]["repeat"]["periodUnit"], "d");
}

#[actix_web::test]
async fn dosage_timing_comes_from_times_per_day_days_per_week_and_weeks() {
    let three_a_day = get_fhir("/v1/exercises/quad-sets").await;
    assert_eq!(
        three_a_day.body["dosage"][0]["timing"]["repeat"],
        json!({"frequency": 3, "period": 1, "periodUnit": "d"})
    );
    let weekly = get_fhir("/v1/exercises/goblet-squat").await;
    assert_eq!(
        weekly.body["timingTiming"]["repeat"],
        json!({"frequency": 3, "period": 1, "periodUnit": "wk"})
    );
    let alfredson = get_fhir("/v1/exercises/eccentric-heel-drop").await;
    let repeat = &alfredson.body["dosage"][0]["timing"]["repeat"];
    assert_eq!(repeat["frequency"], 2);
    assert_eq!(repeat["periodUnit"], "d");
    assert_eq!(repeat["boundsDuration"]["value"], 12);
    assert!(
        alfredson.body["dosage"][0]["text"]
            .as_str()
            .unwrap()
            .starts_with("Straight knee: 3 sets of 15 reps; then Bent knee: 3 sets of 15 reps")
    );
    let plain = fhir::timing(&Dose {
        reps: Some(5),
        times_per_day: Some(2),
        days_per_week: Some(4),
        ..Dose::default()
    });
    assert_eq!(plain["repeat"]["frequency"], 8);
    assert_eq!(plain["code"]["text"], "2 times a day, 4 days a week");
}

#[actix_web::test]
async fn a_routine_is_a_plan_definition_referencing_its_exercises_in_order() {
    let id = "knee-pain-5-best-exercises";
    let json = get_ok(&format!("/v1/routines/{id}")).await;
    let r = get_fhir(&format!("/v1/routines/{id}")).await;
    assert_eq!(r.body["resourceType"], "PlanDefinition");
    assert_eq!(r.body["status"], "active");
    let refs: Vec<String> = r.body["action"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["definitionCanonical"].as_str().unwrap().to_owned())
        .collect();
    let expected: Vec<String> = json.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| format!("ActivityDefinition/{}", i["exercise_id"].as_str().unwrap()))
        .collect();
    assert_eq!(refs, expected);
    assert_eq!(refs[0], "ActivityDefinition/clamshells");
    assert_eq!(
        r.body["relatedArtifact"][0]["display"],
        "Dynamic PT Chicago"
    );
}

#[actix_web::test]
async fn fhir_bodies_have_their_own_etags_and_answer_304() {
    let uri = "/v1/exercises/clamshells";
    let fhir = get_fhir(uri).await;
    let json = get_ok(uri).await;
    assert_eq!(
        json.headers.get("vary").unwrap(),
        "Accept, Accept-Encoding, Accept-Language"
    );
    let tag = fhir
        .headers
        .get("etag")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert_ne!(
        Some(tag.as_str()),
        json.headers.get("etag").and_then(|v| v.to_str().ok())
    );
    let again = request(
        test::TestRequest::get()
            .uri(uri)
            .insert_header(("Accept", FHIR))
            .insert_header(("If-None-Match", tag.as_str())),
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.raw.is_empty());
}

#[actix_web::test]
async fn the_memo_keeps_json_and_fhir_apart() {
    // One App (one memo): JSON first, so its answer is memoized, then FHIR, then JSON again.
    let app = test::init_service(exercise_api::startup::app_with(shared())).await;
    let uri = "/v1/routines/knee-pain-5-best-exercises";
    for accept in ["application/json", FHIR, "application/json", FHIR] {
        let res = test::call_service(
            &app,
            test::TestRequest::get()
                .uri(uri)
                .insert_header(("Accept", accept))
                .to_request(),
        )
        .await;
        let ct = res
            .headers()
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        let body: Value = test::read_body_json(res).await;
        assert_eq!(ct, accept);
        assert_eq!(body["resourceType"].is_string(), accept == FHIR);
    }
}

#[actix_web::test]
async fn json_stays_the_default_and_unknown_ids_are_problems() {
    let r = request(
        test::TestRequest::get()
            .uri("/v1/exercises/clamshells")
            .insert_header(("Accept", "*/*")),
    )
    .await;
    assert_eq!(r.content_type(), "application/json");
    assert!(r.body["resourceType"].is_null());
    let missing = request(
        test::TestRequest::get()
            .uri("/v1/exercises/no-such-thing")
            .insert_header(("Accept", FHIR)),
    )
    .await;
    assert_problem(&missing, 404);
}
