//! Search that understands people: `/v1/search`, `/v1/search/suggest`, and `q` on the lists.

use super::helpers::{assert_problem, catalogue, get_ok};

/// (query as typed, type of the first hit, id of the first hit)
const FIRST_HITS: &[(&str, &str, &str)] = &[
    ("glute med", "muscle", "gluteus-medius"),
    ("Gluteus Medius", "muscle", "gluteus-medius"),
    ("GLUTE-MED", "muscle", "gluteus-medius"),
    ("clamshel", "exercise", "clamshells"),
    ("clamshells", "exercise", "clamshells"),
    ("hamstirng", "muscle", "hamstrings"),
    ("hammies", "muscle", "hamstrings"),
    ("runners knee", "condition", "runners-knee"),
    ("Runner's Knee", "condition", "runners-knee"),
    ("runner’s knee", "condition", "runners-knee"),
    ("ITBS", "condition", "it-band-syndrome"),
    ("tipping bird", "exercise", "single-leg-deadlift"),
    ("quads", "muscle", "quadriceps"),
    ("VMO", "muscle", "vastus-medialis"),
    ("TFL", "muscle", "tensor-fasciae-latae"),
    ("calves", "muscle", "calf"),
    ("abs", "muscle", "rectus-abdominis"),
    ("peroneals", "muscle", "fibularis"),
    ("inner thigh", "muscle", "adductors"),
    ("jumpers knee", "condition", "patellar-tendinopathy"),
    ("plantar fasciitis", "condition", "plantar-heel-pain"),
    ("sprained ankle", "condition", "ankle-sprain-recovery"),
    ("rolled ankle", "condition", "ankle-sprain-recovery"),
    ("sprained ankel", "condition", "ankle-sprain-recovery"),
    ("knee arthritis", "condition", "knee-osteoarthritis"),
    ("achilles", "condition", "achilles-tendinopathy"),
    ("weak glutes", "condition", "hip-weakness"),
    ("wall sit", "exercise", "wall-sit"),
    ("SLR", "exercise", "straight-leg-raise"),
    ("TKE", "exercise", "terminal-knee-extension"),
    ("calf raise", "exercise", "double-leg-calf-raise"),
    ("bridge", "exercise", "glute-bridge"),
    ("side plank", "exercise", "side-plank"),
    ("dead bug", "exercise", "dead-bug"),
    ("band walk", "exercise", "side-steps-with-resistance"),
    ("squat", "exercise", "bodyweight-squat"),
    ("desk", "routine", "desk-neck-relief"),
];

fn encode(q: &str) -> String {
    q.bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' => (b as char).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[actix_web::test]
async fn realistic_queries_put_the_right_thing_first() {
    assert!(FIRST_HITS.len() >= 30);
    let mut wrong = Vec::new();
    for (q, kind, id) in FIRST_HITS {
        let r = get_ok(&format!("/v1/search?q={}&limit=3", encode(q))).await;
        let first = &r.body["data"][0];
        if first["type"] != *kind || first["id"] != *id {
            wrong.push(format!(
                "{q:?}: expected {kind} {id}, got {}",
                r.body["data"]
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} queries ranked wrong:\n{}",
        wrong.len(),
        FIRST_HITS.len(),
        wrong.join("\n")
    );
}

#[actix_web::test]
async fn hits_are_typed_scored_and_say_what_matched() {
    let r = get_ok("/v1/search?q=glute+med&limit=100").await;
    let hits = r.body["data"].as_array().unwrap();
    let scores: Vec<f64> = hits.iter().map(|h| h["score"].as_f64().unwrap()).collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "best first: {scores:?}"
    );
    assert_eq!(hits[0]["matched_field"], "name");
    assert_eq!(hits[0]["href"], "/v1/muscles/gluteus-medius");
    // Aliases expand across resources: exercises that work gluteus medius are found too.
    let exercises: Vec<&str> = hits
        .iter()
        .filter(|h| h["type"] == "exercise")
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    for id in ["clamshells", "side-steps-with-resistance"] {
        assert!(exercises.contains(&id), "{id} in {exercises:?}");
    }
    let tipping = get_ok("/v1/search?q=tipping+bird").await;
    assert_eq!(tipping.body["data"][0]["matched_field"], "aliases");
}

#[actix_web::test]
async fn type_narrows_the_search() {
    let r = get_ok("/v1/search?q=knee&type=routine,condition&limit=100").await;
    let hits = r.body["data"].as_array().unwrap();
    assert!(!hits.is_empty());
    assert!(
        hits.iter()
            .all(|h| h["type"] == "routine" || h["type"] == "condition")
    );
    let r = crate::helpers::get("/v1/search?q=knee&type=video").await;
    assert_eq!(assert_problem(&r, 400)["errors"][0]["parameter"], "type");
    let r = crate::helpers::get("/v1/search").await;
    assert_eq!(
        assert_problem(&r, 400)["errors"][0]["parameter"],
        "q",
        "q is required"
    );
}

#[actix_web::test]
async fn an_alias_of_a_condition_finds_its_exercises() {
    let cat = catalogue();
    let r = get_ok("/v1/exercises?q=ITBS&limit=100").await;
    let ids = r.ids();
    assert!(!ids.is_empty());
    for id in &ids {
        let e = &cat.exercise(id).unwrap().exercise;
        assert!(
            e.conditions.iter().any(|c| c == "it-band-syndrome"),
            "{id} is used for ITBS"
        );
    }
    let r = get_ok("/v1/exercises?q=glute+med&limit=5").await;
    assert!(r.ids().contains(&"clamshells".to_owned()), "{:?}", r.ids());
}

#[actix_web::test]
async fn q_works_on_every_list() {
    let r = get_ok("/v1/routines?q=runners+knee").await;
    assert_eq!(r.ids()[0], "runners-knee-programme");
    let r = get_ok("/v1/conditions?q=ITBS").await;
    assert_eq!(r.ids(), vec!["it-band-syndrome"]);
    let r = get_ok("/v1/muscles?q=hammies").await;
    assert_eq!(r.ids()[0], "hamstrings");
    let r = get_ok("/v1/exercises?q=%21%21%21").await;
    assert_eq!(
        r.total(),
        0,
        "punctuation alone matches nothing, not everything"
    );
}

#[actix_web::test]
async fn suggestions_complete_prefixes() {
    let r = get_ok("/v1/search/suggest?q=cla").await;
    assert_eq!(r.body["data"][0]["text"], "Clamshells");
    assert_eq!(r.body["data"][0]["href"], "/v1/exercises/clamshells");
    let r = get_ok("/v1/search/suggest?q=glu").await;
    let data = r.body["data"].as_array().unwrap();
    assert!(data.len() <= 10);
    assert!(data.iter().all(|s| {
        s["text"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .split([' ', '-'])
            .any(|w| w.starts_with("glu"))
    }));
    let ids: Vec<&str> = data.iter().map(|s| s["id"].as_str().unwrap()).collect();
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(ids.len(), unique.len(), "one suggestion per resource");
    let r = get_ok("/v1/search/suggest?q=sq&limit=3").await;
    assert_eq!(r.body["data"].as_array().unwrap().len(), 3);
    let r = crate::helpers::get("/v1/search/suggest?q=sq&limit=11").await;
    assert_problem(&r, 400);
}
