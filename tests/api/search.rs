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
    // The regions of catalogue model v2: shoulder, elbow and wrist, neck, back, hamstrings, ACL.
    ("rotator cuff", "muscle", "rotator-cuff"),
    (
        "shoulder impingement",
        "condition",
        "rotator-cuff-related-shoulder-pain",
    ),
    ("frozen shoulder", "condition", "frozen-shoulder"),
    ("adhesive capsulitis", "condition", "frozen-shoulder"),
    ("pendulum", "exercise", "pendulum"),
    ("sleeper stretch", "exercise", "sleeper-stretch"),
    ("tennis elbow", "condition", "lateral-elbow-tendinopathy"),
    ("golfers elbow", "condition", "medial-elbow-tendinopathy"),
    ("tyler twist", "exercise", "tyler-twist"),
    (
        "wrist extensor stretch",
        "exercise",
        "wrist-extensor-stretch",
    ),
    ("carpal tunnel", "condition", "carpal-tunnel-syndrome"),
    ("median nerve", "exercise", "median-nerve-glide"),
    ("neck pain", "condition", "neck-pain"),
    ("text neck", "condition", "neck-pain"),
    ("chin tucks", "exercise", "seated-chin-tuck"),
    ("upper trap stretch", "exercise", "upper-trapezius-stretch"),
    ("low back", "condition", "low-back-pain"),
    ("low back pain", "condition", "low-back-pain"),
    ("lower back pain", "condition", "low-back-pain"),
    ("mckenzie", "exercise", "prone-press-up"),
    ("prone press up", "exercise", "prone-press-up"),
    ("bird dog", "exercise", "bird-dog"),
    ("cat cow", "exercise", "cat-cow"),
    ("sciatica", "condition", "sciatica"),
    (
        "sciatic nerve glide",
        "exercise",
        "seated-sciatic-nerve-slider",
    ),
    ("piriformis stretch", "exercise", "figure-4-stretch"),
    ("lats", "muscle", "latissimus-dorsi"),
    ("rhomboids", "muscle", "rhomboids"),
    ("serratus", "muscle", "serratus-anterior"),
    ("nordic", "exercise", "nordic-hamstring-curl"),
    ("nordics", "exercise", "nordic-hamstring-curl"),
    ("nordic curl", "exercise", "nordic-hamstring-curl"),
    ("hamstring strain", "condition", "hamstring-strain"),
    ("pulled hamstring", "condition", "hamstring-strain"),
    ("ACL", "condition", "acl-reconstruction"),
    ("ACL rehab", "condition", "acl-reconstruction"),
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
    assert!(FIRST_HITS.len() >= 70);
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
    // A muscle's common name counts as a name, as the README says.
    let common = get_ok("/v1/search/suggest?q=glutes").await;
    assert!(
        common.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["text"] == "Glutes" && s["id"] == "gluteals"),
        "{}",
        common.body
    );
    let r = get_ok("/v1/search/suggest?q=sq&limit=3").await;
    assert_eq!(r.body["data"].as_array().unwrap().len(), 3);
    let r = crate::helpers::get("/v1/search/suggest?q=sq&limit=11").await;
    assert_problem(&r, 400);
}

/// The exercises a list search finds, in relevance order.
async fn exercise_hits(q: &str) -> Vec<String> {
    get_ok(&format!(
        "/v1/exercises?q={}&sort=relevance&limit=100&fields=id",
        encode(q)
    ))
    .await
    .ids()
}

#[actix_web::test]
async fn a_query_that_names_a_muscle_finds_what_works_it_not_half_the_catalogue() {
    let cat = catalogue();
    let found = exercise_hits("glute med").await;
    assert!(found.len() >= 10, "{found:?}");
    assert!(
        found.len() * 4 < cat.exercises().len(),
        "{} of {} exercises",
        found.len(),
        cat.exercises().len()
    );
    for id in &found {
        let t = &cat.exercise(id).unwrap().exercise.targets;
        assert!(
            t.primary
                .iter()
                .chain(&t.secondary)
                .any(|m| m == "gluteus-medius"),
            "{id} does not work gluteus medius"
        );
    }
    for id in [
        "clamshells",
        "side-steps-with-resistance",
        "side-lying-hip-abduction",
    ] {
        assert!(found.iter().any(|f| f == id), "{id} in {found:?}");
    }
}

#[actix_web::test]
async fn a_name_match_outranks_a_target_or_description_match() {
    let cat = catalogue();
    let found = exercise_hits("bridge").await;
    let named: Vec<bool> = found
        .iter()
        .map(|id| {
            cat.exercise(id)
                .unwrap()
                .exercise
                .name
                .to_lowercase()
                .contains("bridge")
        })
        .collect();
    assert!(named.contains(&false), "some match elsewhere: {found:?}");
    assert!(
        named.windows(2).all(|w| w[0] || !w[1]),
        "every named bridge comes first: {found:?}"
    );
    let glute_bridge = get_ok("/v1/search?q=glute+bridge&limit=3").await;
    assert_eq!(glute_bridge.body["data"][0]["id"], "glute-bridge");
    assert_eq!(
        glute_bridge.body["data"][1]["id"],
        "single-leg-glute-bridge"
    );
}

#[actix_web::test]
async fn documents_matching_every_word_come_before_those_matching_some() {
    // Every word known: only documents with all of them (plurals find singulars).
    let chin = exercise_hits("chin tucks").await;
    assert_eq!(
        {
            let mut c = chin.clone();
            c.sort();
            c
        },
        [
            "chin-tuck-head-lift",
            "seated-chin-tuck",
            "supine-chin-tuck"
        ]
    );
    // A word nothing matches ("tear") does not empty the result: the best partial matches.
    let r = get_ok("/v1/search?q=rotator+cuff+tear&limit=100").await;
    let ids: Vec<&str> = r.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"rotator-cuff"), "{ids:?}");
    assert!(
        ids.contains(&"rotator-cuff-related-shoulder-pain"),
        "{ids:?}"
    );
    // Across kinds too: a muscle matching one word of two is not listed beside exercises
    // matching both.
    let r = get_ok("/v1/search?q=side+plank&limit=100").await;
    assert!(
        r.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h["type"] == "exercise"),
        "{}",
        r.body["data"]
    );
}
