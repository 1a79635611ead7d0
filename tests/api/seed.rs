//! The seed article's five exercises and routine, served as the seed has them.

use super::helpers::{catalogue, get_ok};

const SEED: &str = include_str!("../fixtures/seed/knee-pain-5-best-exercises.txt");
const DYNAMIC_PT: &str = "dynamic-pt-chicago";

/// One exercise as the seed states it.
#[derive(Debug)]
struct SeedExercise {
    heading: String,
    target: String,
    purpose: String,
    description: String,
}

/// Parses the exercises section of the seed: a heading line ending in ':', then
/// `Target:`, `Purpose:` (or `Reason:`) and `Description:` lines.
fn seed_exercises() -> Vec<SeedExercise> {
    let body = SEED
        .split("EXERCISES")
        .nth(1)
        .expect("an EXERCISES section");
    let body = body.split("Social Media").next().unwrap();
    let mut out = Vec::new();
    let mut lines = body
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .peekable();
    while let Some(heading) = lines.next() {
        let heading = heading.trim_end_matches(':').to_owned();
        let mut field = |labels: &[&str]| {
            let line = lines.next().expect("a field line");
            let (label, value) = line.split_once(':').expect("label: value");
            assert!(labels.contains(&label), "expected {labels:?}, got {label}");
            value.trim().to_owned()
        };
        out.push(SeedExercise {
            heading,
            target: field(&["Target"]),
            purpose: field(&["Purpose", "Reason"]),
            description: field(&["Description"]),
        });
    }
    out
}

/// Only obvious typos are fixed.
fn fix_typos(s: &str) -> String {
    s.replace("tageting", "targeting")
}

fn slug(s: &str) -> String {
    s.to_lowercase().replace(' ', "-")
}

#[test]
fn the_fixture_is_the_shared_seed_when_present() {
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/seed/knee-pain-5-best-exercises.txt");
    if let Ok(text) = std::fs::read_to_string(&shared) {
        assert_eq!(
            text, SEED,
            "tests/fixtures/seed is a copy of ../shared/seed; refresh it"
        );
    }
}

#[actix_web::test]
async fn the_five_seed_exercises_are_served_as_the_seed_states_them() {
    let seed = seed_exercises();
    assert_eq!(seed.len(), 5);
    for s in &seed {
        let mut names = s.heading.split('/');
        let name = names.next().unwrap();
        let id = slug(name);
        let r = get_ok(&format!("/v1/exercises/{id}")).await;
        let e = &r.body;
        assert_eq!(
            e["name"].as_str().unwrap().to_lowercase(),
            name.to_lowercase(),
            "{id} name"
        );
        for alias in names {
            assert!(
                e["aliases"].as_array().unwrap().iter().any(|a| a == alias),
                "{id} has the alias {alias:?}"
            );
        }
        assert_eq!(e["targets"]["summary"], s.target.as_str(), "{id} target");
        assert_eq!(e["purpose"], fix_typos(&s.purpose).as_str(), "{id} purpose");
        assert_eq!(
            e["description"],
            fix_typos(&s.description).as_str(),
            "{id} description"
        );
        assert_eq!(e["source"], DYNAMIC_PT, "{id} source");
        assert!(
            e["attribution"]
                .as_str()
                .is_some_and(|a| a.contains("Dynamic PT Chicago")),
            "{id} says which parts are the clinic's"
        );
        assert!(!e["targets"]["primary"].as_array().unwrap().is_empty());
    }
}

#[actix_web::test]
async fn the_seed_targets_resolve_to_real_muscles() {
    let expect = [
        ("clamshells", vec!["gluteus-medius", "gluteus-minimus"]),
        (
            "single-leg-glute-bridge",
            vec![
                "gluteus-maximus",
                "gluteus-medius",
                "gluteus-minimus",
                "core",
            ],
        ),
        // "Hip and ankle stabilizers"; the clinic's "Reason" names glute med/min (a6).
        (
            "single-leg-deadlift",
            vec!["gluteus-medius", "gluteus-minimus", "ankle-stabilizers"],
        ),
        (
            "side-steps-with-resistance",
            vec!["gluteus-medius", "gluteus-minimus"],
        ),
        // "Quadriceps and abductor group": of the abductors, rolling the outer thigh reaches
        // the tensor fasciae latae, not the gluteal abductors (b1).
        (
            "foam-roll-lateral-quad",
            vec!["quadriceps", "tensor-fasciae-latae"],
        ),
    ];
    for (id, muscles) in expect {
        let r = get_ok(&format!("/v1/exercises/{id}")).await;
        let primary: Vec<&str> = r.body["targets"]["primary"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        for m in muscles {
            assert!(primary.contains(&m), "{id} targets {m}: {primary:?}");
        }
    }
    let r = get_ok("/v1/exercises/foam-roll-lateral-quad").await;
    let all: Vec<&str> = ["primary", "secondary"]
        .iter()
        .flat_map(|k| {
            r.body["targets"][k]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
        })
        .collect();
    assert!(
        !all.contains(&"hip-abductors") && !all.contains(&"vastus-lateralis"),
        "no gluteal abductors and no member beside its group: {all:?}"
    );
    assert_eq!(r.body["targets"]["role"], "release");
    let g = get_ok("/v1/muscles/gluteus-medius").await;
    for group in ["gluteals", "hip-abductors", "hip-stabilizers"] {
        assert!(
            g.body["groups"]
                .as_array()
                .unwrap()
                .iter()
                .any(|x| x == group),
            "gluteus medius is in {group}"
        );
    }
}

#[actix_web::test]
async fn the_seed_equipment_laterality_and_dose() {
    let eq = |id: &'static str, want: &'static str| async move {
        let r = get_ok(&format!("/v1/exercises/{id}")).await;
        assert_eq!(
            r.body["equipment"],
            serde_json::json!([want]),
            "{id} equipment"
        );
        r
    };
    // "Band goes just above the knee" / "around feet or shins": a mini loop band.
    eq("clamshells", "loop-band").await;
    eq("side-steps-with-resistance", "loop-band").await;
    eq("single-leg-glute-bridge", "none").await;
    eq("single-leg-deadlift", "none").await;
    let foam = eq("foam-roll-lateral-quad", "foam-roller").await;
    assert_eq!(foam.body["dose"]["duration_seconds"], 120, "about 2 min");
    assert_eq!(foam.body["dose"]["per_side"], true, "on each side");
    for id in [
        "clamshells",
        "single-leg-glute-bridge",
        "single-leg-deadlift",
        "foam-roll-lateral-quad",
    ] {
        let r = get_ok(&format!("/v1/exercises/{id}")).await;
        assert_eq!(
            r.body["laterality"], "unilateral",
            "{id} is done one side at a time"
        );
    }
    let clam = get_ok("/v1/exercises/clamshells").await;
    assert!(
        clam.body["feel"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("glute")
    );
}

#[actix_web::test]
async fn the_seed_routine_has_the_five_in_order() {
    let seed: Vec<String> = seed_exercises()
        .iter()
        .map(|s| slug(s.heading.split('/').next().unwrap()))
        .collect();
    let r = get_ok("/v1/routines/knee-pain-5-best-exercises").await;
    let items: Vec<&str> = r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["exercise_id"].as_str().unwrap())
        .collect();
    assert_eq!(items, seed);
    assert_eq!(r.body["source"], DYNAMIC_PT);
}

#[actix_web::test]
async fn knee_pain_carries_the_seed_causes_and_the_clinic_is_credited() {
    let r = get_ok("/v1/conditions/knee-pain").await;
    let causes = r.body["causes"].to_string().to_lowercase();
    for cause in ["hip weakness", "loading mechanics", "quadriceps"] {
        assert!(causes.contains(cause), "knee pain cause {cause}: {causes}");
    }
    for id in ["runners-knee", "it-band-syndrome"] {
        get_ok(&format!("/v1/conditions/{id}")).await;
    }
    let s = get_ok("/v1/sources/dynamic-pt-chicago").await;
    assert_eq!(s.body["name"], "Dynamic PT Chicago");
    assert!(s.body["url"].as_str().unwrap().contains("dynamic-pt.com"));
    // Everything from the seed is credited to the clinic.
    let cat = catalogue();
    for id in [
        "clamshells",
        "single-leg-glute-bridge",
        "single-leg-deadlift",
        "side-steps-with-resistance",
        "foam-roll-lateral-quad",
    ] {
        assert_eq!(cat.exercise(id).unwrap().exercise.source, DYNAMIC_PT);
    }
    assert_eq!(
        cat.routine("knee-pain-5-best-exercises").unwrap().source,
        DYNAMIC_PT
    );
    assert_eq!(
        cat.condition("knee-pain").unwrap().condition.source,
        DYNAMIC_PT
    );
}
