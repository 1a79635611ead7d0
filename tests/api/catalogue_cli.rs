//! `exercise-api check-catalogue`: valid files pass; each kind of problem is reported with its path.

use std::process::Command;

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_exercise-api");
const MINIMAL: &str = include_str!("../fixtures/minimal-catalogue.json");

fn check(doc: &str) -> (bool, String) {
    let dir = std::env::temp_dir().join(format!("exercise-api-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{:x}.json", md5ish(doc)));
    std::fs::write(&path, doc).unwrap();
    let out = Command::new(BIN)
        .arg("check-catalogue")
        .arg(&path)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

/// A cheap content hash so parallel tests write distinct files.
fn md5ish(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    })
}

fn minimal() -> Value {
    serde_json::from_str(MINIMAL).unwrap()
}

#[test]
fn a_valid_file_passes() {
    let (ok, out) = check(MINIMAL);
    assert!(ok, "{out}");
    assert!(out.contains("valid (2 exercises"), "{out}");
}

#[test]
fn the_embedded_catalogue_exported_to_a_file_passes() {
    let out = Command::new(BIN).arg("export-catalogue").output().unwrap();
    assert!(out.status.success());
    let (ok, report) = check(&String::from_utf8(out.stdout).unwrap());
    assert!(ok, "{report}");
}

#[test]
fn each_kind_of_problem_is_reported_with_its_path() {
    type Edit = fn(&mut Value);
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "unknown muscle with suggestion",
            |d| d["exercises"][1]["targets"]["primary"][0] = json!("glute-meed"),
            "exercises[1].targets.primary[0]: unknown muscle \"glute-meed\" (did you mean \"gluteus-medius\"?)",
        ),
        (
            "duplicate id",
            |d| d["exercises"][1]["id"] = json!("glute-bridge"),
            "exercises[1].id: duplicate id \"glute-bridge\" (also exercises[0])",
        ),
        (
            "alias colliding with another id",
            |d| d["muscles"][1]["aliases"] = json!(["gluteus maximus"]),
            "muscles[1].aliases[0]: alias \"gluteus maximus\" collides with the id of muscles[2]",
        ),
        (
            "empty text",
            |d| d["exercises"][0]["purpose"] = json!("   "),
            "exercises[0].purpose: must not be empty or whitespace only",
        ),
        (
            "empty steps",
            |d| d["exercises"][0]["steps"] = json!([]),
            "exercises[0].steps: must be a non-empty list",
        ),
        (
            "steps not a list",
            |d| d["exercises"][0]["steps"] = json!("Lift."),
            "exercises[0].steps: invalid type: string \"Lift.\", expected a sequence",
        ),
        (
            "dose out of range",
            |d| d["exercises"][0]["dose"]["sets"] = json!(11),
            "exercises[0].dose.sets: 11 is out of range 1–10",
        ),
        (
            "hold out of range",
            |d| d["routines"][0]["items"][1]["dose"] = json!({"hold_seconds": 601}),
            "routines[0].items[1].dose.hold_seconds: 601 is out of range 1–600",
        ),
        (
            "dose with no work",
            |d| d["exercises"][1]["dose"] = json!({"sets": 2}),
            "exercises[1].dose: needs at least one of reps, hold_seconds, duration_seconds",
        ),
        (
            "routine with no items",
            |d| d["routines"][0]["items"] = json!([]),
            "routines[0].items: a routine needs at least one item",
        ),
        (
            "unknown routine exercise",
            |d| d["routines"][0]["items"][0]["exercise"] = json!("glute-bridges"),
            "routines[0].items[0].exercise: unknown exercise \"glute-bridges\" (did you mean \"glute-bridge\"?)",
        ),
        (
            "group cycle",
            |d| d["muscles"][0]["groups"] = json!(["gluteals"]),
            "muscles[0].groups: a group cannot contain itself",
        ),
        (
            "progression cycle",
            |d| d["exercises"][1]["progressions"] = json!(["glute-bridge"]),
            "progressions and regressions form a cycle",
        ),
        (
            "unknown field",
            |d| d["exercises"][0]["colour"] = json!("red"),
            "exercises[0].colour: unknown field `colour`",
        ),
        (
            "wrong enum",
            |d| d["exercises"][0]["difficulty"] = json!("expert"),
            "exercises[0].difficulty: unknown variant `expert`",
        ),
        (
            "unknown source",
            |d| d["conditions"][0]["source"] = json!("wikipedia"),
            "conditions[0].source: unknown source \"wikipedia\"",
        ),
        (
            "none with other equipment",
            |d| d["exercises"][0]["equipment"] = json!(["none", "resistance-band"]),
            "exercises[0].equipment: \"none\" cannot be combined",
        ),
        (
            "bad slug",
            |d| d["equipment"][1]["id"] = json!("Resistance Band"),
            "equipment[1].id: \"Resistance Band\" is not a slug",
        ),
        (
            "missing collection",
            |d| {
                d.as_object_mut().unwrap().remove("routines");
            },
            "routines: is missing",
        ),
        (
            "collection that is not an array",
            |d| d["routines"] = json!({"routines": []}),
            "routines: must be an array",
        ),
        (
            "schema pointer that is not a string",
            |d| d["$schema"] = json!(["catalogue.schema.json"]),
            "$schema: must be a string",
        ),
        (
            "unknown top-level field",
            |d| d["exercise"] = json!(7),
            "exercise: unknown field (did you mean \"exercises\"?)",
        ),
        (
            "not a group",
            |d| d["muscles"][2]["groups"] = json!(["gluteus-medius"]),
            "muscles[2].groups[0]: unknown muscle group \"gluteus-medius\"",
        ),
        (
            "a muscle and its group both targeted",
            |d| d["exercises"][1]["targets"]["secondary"] = json!(["gluteals"]),
            "exercises[1].targets.primary[0]: \"gluteus-medius\" is already a target through its group \"gluteals\"",
        ),
        (
            "a role for something that is not a target",
            |d| d["exercises"][0]["targets"]["roles"] = json!({"gluteus-medius": "stretch"}),
            "exercises[0].targets.roles.gluteus-medius: \"gluteus-medius\" is not a primary or secondary target",
        ),
        (
            "an unknown role",
            |d| d["exercises"][0]["targets"]["role"] = json!("tone"),
            "exercises[0].targets.role: unknown variant `tone`",
        ),
        (
            "an unknown region",
            |d| d["exercises"][0]["regions"] = json!(["head"]),
            "exercises[0].regions[0]: unknown variant `head`",
        ),
        (
            "a dose in parts with sets at the top",
            |d| {
                d["exercises"][0]["dose"] =
                    json!({"sets": 3, "parts": [{"label": "Straight knee", "sets": 3, "reps": 15}]})
            },
            "exercises[0].dose: a dose in parts gives sets",
        ),
        (
            "a dose part with no work",
            |d| d["exercises"][0]["dose"] = json!({"parts": [{"label": "Bent knee", "sets": 3}]}),
            "exercises[0].dose.parts[0]: needs at least one of reps",
        ),
        (
            "frequency out of range",
            |d| d["exercises"][0]["dose"]["days_per_week"] = json!(8),
            "exercises[0].dose.days_per_week: 8 is out of range 1–7",
        ),
        (
            "tempo out of range",
            |d| d["exercises"][0]["dose"]["tempo"] = json!({"eccentric": 40, "concentric": 1}),
            "exercises[0].dose.tempo.eccentric: 40 is out of range 0–30",
        ),
        (
            "an empty intensity",
            |d| d["exercises"][0]["dose"]["intensity"] = json!({}),
            "exercises[0].dose.intensity: needs at least one of rpe, reps_in_reserve, load",
        ),
        (
            "a video that ends before it starts",
            |d| {
                d["exercises"][0]["media"] = json!([{"kind": "video", "url": "https://example.org/v",
                    "caption": "Demo", "licence": "CC BY 4.0", "author": "A. Author",
                    "start_seconds": 40, "end_seconds": 10}])
            },
            "exercises[0].media[0].end_seconds: 10 must be after start_seconds (40)",
        ),
        (
            "media with a URL that is not http",
            |d| {
                d["exercises"][0]["media"] = json!([{"kind": "image", "url": "javascript:alert(1)",
                    "caption": "Demo", "licence": "CC0", "author": "A. Author"}])
            },
            "exercises[0].media[0].url: \"javascript:alert(1)\" is not an http(s) URL",
        ),
        (
            "a variation that is also a progression",
            |d| d["exercises"][0]["variations"] = json!(["banded-side-step"]),
            "exercises[0].variations[0]: \"banded-side-step\" is already a progression or regression",
        ),
        (
            "a former id that is another entry's id",
            |d| d["exercises"][0]["former_ids"] = json!(["banded-side-step"]),
            "exercises[0].former_ids[0]: former id \"banded side step\" collides with the id of exercises[1]",
        ),
        (
            "an alias that names another entry",
            |d| d["exercises"][1]["aliases"] = json!(["Bridge"]),
            "exercises[1].aliases[0]: alias \"bridge\" collides with alias of exercises[0]",
        ),
        (
            "a pain rule out of range",
            |d| {
                d["pain_monitoring"] = json!({"max_pain_during": 11, "settles_within_hours": 24,
                    "next_morning_not_worse": true, "description": "Pain up to 11."})
            },
            "pain_monitoring.max_pain_during: 11 is out of range 0–10",
        ),
        (
            "an UBERON id that is not one",
            |d| d["muscles"][1]["uberon"] = json!("UBERON:12"),
            "muscles[1].uberon: \"UBERON:12\" is not an UBERON id",
        ),
        (
            "a muscle placed under an unknown muscle",
            |d| d["muscles"][1]["map_under"] = json!(["gluteus-maximu"]),
            "muscles[1].map_under[0]: unknown muscle \"gluteus-maximu\"",
        ),
    ];
    for (what, edit, expected) in cases {
        let mut doc = minimal();
        edit(&mut doc);
        let (ok, out) = check(&doc.to_string());
        assert!(!ok, "{what}: accepted");
        assert!(
            out.contains(expected),
            "{what}: expected {expected:?} in\n{out}"
        );
    }
}

#[test]
fn every_problem_is_listed_at_once() {
    let mut doc = minimal();
    doc["exercises"][0]["dose"]["reps"] = json!(0);
    doc["exercises"][1]["equipment"] = json!(["kettlebell"]);
    doc["conditions"][0]["name"] = json!("");
    let (ok, out) = check(&doc.to_string());
    assert!(!ok);
    assert!(out.contains("3 problems"), "{out}");
    for p in [
        "exercises[0].dose.reps",
        "exercises[1].equipment[0]",
        "conditions[0].name",
    ] {
        assert!(out.contains(p), "{p} in {out}");
    }
}

#[test]
fn invalid_json_and_missing_files_fail_cleanly() {
    let (ok, out) = check("{ not json");
    assert!(!ok);
    assert!(out.contains("not valid JSON"), "{out}");
    let (ok, out) = check("[1, 2]");
    assert!(!ok);
    assert!(out.contains("the document must be a JSON object"), "{out}");
    let out = Command::new(BIN)
        .args(["check-catalogue", "/nonexistent/catalogue.json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_server_refuses_to_start_on_a_bad_catalogue() {
    let mut doc = minimal();
    doc["exercises"][0]["targets"]["primary"] = json!(["nope"]);
    let path = std::env::temp_dir().join(format!("exercise-api-bad-{}.json", std::process::id()));
    std::fs::write(&path, doc.to_string()).unwrap();
    let out = Command::new(BIN)
        .args(["serve", "--bind", "127.0.0.1:0", "--catalogue"])
        .arg(&path)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("exercises[0].targets.primary[0]: unknown muscle \"nope\""),
        "{err}"
    );
}

#[test]
fn the_export_is_the_document_as_loaded() {
    // Exercises out of name order, and progressions declared on one side only: the served
    // views merge both directions, the export gives back exactly what the file says.
    use exercise_api::catalogue::Catalogue;
    use exercise_api::catalogue::index::EMBEDDED;
    let mut doc: Value = serde_json::from_str(EMBEDDED).unwrap();
    let exercises = doc["exercises"].as_array_mut().unwrap();
    exercises.reverse();
    for e in exercises.iter_mut() {
        e["regressions"] = json!([]);
    }
    let bytes = serde_json::to_vec(&doc).unwrap();
    let cat = Catalogue::from_bytes(&bytes).unwrap();
    let parsed = exercise_api::catalogue::load::parse(&bytes).unwrap();
    let exported = serde_json::to_value(cat.document()).unwrap();
    let mut expected = serde_json::to_value(&parsed).unwrap();
    expected.as_object_mut().unwrap().remove("$schema");
    assert_eq!(exported, expected);
    assert_eq!(exported["exercises"][0]["id"], doc["exercises"][0]["id"]);
    assert!(
        cat.exercises()
            .iter()
            .any(|e| !e.exercise.regressions.is_empty()),
        "served exercises get the regressions implied by progressions"
    );
    assert!(
        exported["exercises"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["regressions"] == json!([]))
    );
    // The same bytes give the same version; other bytes another.
    let again = Catalogue::from_bytes(&serde_json::to_vec(&doc).unwrap()).unwrap();
    assert_eq!(again.content_hash(), cat.content_hash());
    assert_ne!(
        Catalogue::embedded().unwrap().content_hash(),
        cat.content_hash()
    );
}

#[test]
fn an_exported_catalogue_has_no_schema_link_that_would_not_resolve() {
    use exercise_api::catalogue::Catalogue;
    use exercise_api::catalogue::index::EMBEDDED;
    let embedded: Value = serde_json::from_str(EMBEDDED).unwrap();
    assert!(
        !embedded["$schema"].as_str().unwrap().contains("://"),
        "the embedded file points to the schema relatively"
    );
    let out = Command::new(BIN).arg("export-catalogue").output().unwrap();
    let exported: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(exported.get("$schema").is_none(), "{}", exported["$schema"]);
    // An absolute URL is kept.
    let mut doc = embedded.clone();
    doc["$schema"] = json!("https://example.org/catalogue.schema.json");
    let cat = Catalogue::from_bytes(&serde_json::to_vec(&doc).unwrap()).unwrap();
    assert_eq!(
        serde_json::to_value(cat.document()).unwrap()["$schema"],
        "https://example.org/catalogue.schema.json"
    );
}

#[test]
fn a_bad_group_entry_is_reported_once_not_at_every_member() {
    use exercise_api::catalogue::index::EMBEDDED;
    let mut doc: Value = serde_json::from_str(EMBEDDED).unwrap();
    let muscles = doc["muscles"].as_array_mut().unwrap();
    let gluteals = muscles.iter_mut().find(|m| m["id"] == "gluteals").unwrap();
    gluteals["colour"] = json!("red");
    let (ok, out) = check(&serde_json::to_string(&doc).unwrap());
    assert!(!ok);
    assert!(out.contains("unknown field `colour`"), "{out}");
    assert!(
        out.contains("1 problem"),
        "only the entry's own problem: {out}"
    );
    assert!(!out.contains("unknown muscle group"), "{out}");
}

/// The synthetic catalogue of `benches/scale.sh` must pass the loader's rules as they change
/// (it once referred to a muscle it did not generate, and listed a muscle with its own group).
#[test]
fn the_benchmark_generator_makes_a_valid_catalogue() {
    use clap::Parser;
    for (exercises, muscles) in [("3000", "120"), ("500", "40")] {
        let args = generator::Args::parse_from([
            "generate_catalogue",
            "--exercises",
            exercises,
            "--muscles",
            muscles,
        ]);
        let doc = serde_json::to_string(&generator::generate(&args)).unwrap();
        let (ok, out) = check(&doc);
        assert!(
            ok,
            "{exercises} exercises / {muscles} muscles: {}",
            out.lines().take(10).collect::<Vec<_>>().join("\n")
        );
    }
}

/// The generator of `benches/scale.sh`, compiled into this test.
#[path = "../../examples/generate_catalogue.rs"]
#[allow(dead_code)]
mod generator;
