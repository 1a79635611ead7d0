//! `exercise-api import`: the fixtures under tests/fixtures/import cover every mapping rule of
//! free-exercise-db and wger, and every kind of bad input; outputs pass `check-catalogue` and
//! layer over the embedded catalogue.

use std::io::Read;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_exercise-api");

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("tests/fixtures/import/{name}"))
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN).args(args).output().unwrap()
}

fn import(source: &str, file: &str) -> (Value, String) {
    let out = run(&["import", source, fixture(file).to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(out.status.success(), "{stderr}");
    (serde_json::from_slice(&out.stdout).unwrap(), stderr)
}

/// Writes `doc` to a temporary file and returns its path.
fn temp(doc: &Value, name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("exercise-api-import-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_vec(doc).unwrap()).unwrap();
    path
}

fn assert_checks(doc: &Value, name: &str) {
    let path = temp(doc, name);
    let out = run(&["check-catalogue", path.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn exercise<'a>(doc: &'a Value, id: &str) -> &'a Value {
    doc["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("no exercise {id}"))
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect()
}

#[test]
fn free_exercise_db_maps_each_of_the_17_muscles() {
    let (doc, _) = import("free-exercise-db", "free-exercise-db.json");
    let expected: [(&str, &[&str]); 17] = [
        ("abdominals", &["rectus-abdominis"]),
        ("abductors", &["hip-abductors"]),
        ("adductors", &["adductors"]),
        ("biceps", &["biceps-brachii"]),
        ("calves", &["calf"]),
        ("chest", &["pectoralis-major"]),
        ("forearms", &["wrist-flexors", "wrist-extensors"]),
        ("glutes", &["gluteals"]),
        ("hamstrings", &["hamstrings"]),
        ("lats", &["latissimus-dorsi"]),
        ("lower-back", &["erector-spinae"]),
        ("middle-back", &["rhomboids", "middle-trapezius"]),
        ("neck", &["neck-flexors", "neck-extensors"]),
        ("quadriceps", &["quadriceps"]),
        ("shoulders", &["deltoids"]),
        ("traps", &["trapezius"]),
        ("triceps", &["triceps-brachii"]),
    ];
    for (i, (name, ids)) in expected.iter().enumerate() {
        let e = exercise(&doc, &format!("muscle-{i:02}-{name}"));
        assert_eq!(strings(&e["targets"]["primary"]), *ids, "{name}");
    }
    assert_checks(&doc, "fedb.json");
}

#[test]
fn free_exercise_db_maps_equipment_level_category_force_and_mechanic() {
    let (doc, stderr) = import("free-exercise-db", "free-exercise-db.json");
    let equipment = [
        "resistance-band",
        "barbell",
        "none",
        "cable",
        "dumbbell",
        "ez-curl-bar",
        "exercise-ball",
        "foam-roller",
        "kettlebell",
        "machine",
        "medicine-ball",
        "unspecified-equipment",
        "unspecified-equipment",
    ];
    let categories = [
        "cardio",
        "strength",
        "plyometric",
        "strength",
        "strength",
        "mobility",
        "strength",
    ];
    let exercises = doc["exercises"].as_array().unwrap();
    let muscle_moves: Vec<&Value> = exercises
        .iter()
        .filter(|e| e["id"].as_str().unwrap().starts_with("muscle-"))
        .collect();
    assert_eq!(muscle_moves.len(), 17);
    for (i, e) in muscle_moves.iter().enumerate() {
        assert_eq!(e["equipment"][0], equipment[i % 13], "{}", e["id"]);
        assert_eq!(e["category"], categories[i % 7], "{}", e["id"]);
        assert_eq!(
            e["difficulty"],
            ["beginner", "intermediate", "advanced"][i % 3],
            "expert is advanced"
        );
        match i % 4 {
            3 => assert!(e.get("force").is_none(), "null force is left out"),
            f => assert_eq!(e["force"], ["push", "pull", "static"][f]),
        }
        match i % 3 {
            2 => assert!(e.get("mechanic").is_none()),
            m => assert_eq!(e["mechanic"], ["compound", "isolation"][m]),
        }
    }
    // Every unmappable value is reported with its count.
    for line in [
        "unmapped equipment \"other\": 1",
        "unmapped equipment \"(missing)\": 1",
        "unmapped muscle \"tongue\": 1",
        "unmapped muscle \"forearm\": 1",
        "exercises skipped: no mappable primary muscle: 1",
        "imported 24 exercises (4 unmapped values)",
    ] {
        assert!(stderr.contains(line), "{line} in {stderr}");
    }
    let new: Vec<&str> = doc["equipment"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    for id in [
        "barbell",
        "cable",
        "machine",
        "ez-curl-bar",
        "medicine-ball",
    ] {
        assert!(new.contains(&id), "{id} is added");
    }
}

#[test]
fn free_exercise_db_ids_texts_roles_and_media() {
    let (doc, stderr) = import("free-exercise-db", "free-exercise-db.json");
    // Clashes with the embedded catalogue are suffixed; duplicate slugs numbered in id order.
    exercise(&doc, "clamshells-fedb");
    assert_eq!(exercise(&doc, "foo-bar-2")["name"], "Foo bar");
    assert_eq!(
        exercise(&doc, "foo-bar")["name"],
        "Foo-bar (duplicate slug)"
    );
    assert!(stderr.contains("ids suffixed to avoid the embedded catalogue: 1"));
    // Targets reduced: a muscle under a group target, and a secondary also primary, dropped.
    let foo = exercise(&doc, "foo-bar-2");
    assert_eq!(strings(&foo["targets"]["primary"]), ["trapezius"]);
    assert_eq!(strings(&foo["targets"]["secondary"]), ["rhomboids"]);
    assert_eq!(
        strings(&exercise(&doc, "foo-bar")["targets"]["secondary"]),
        ["triceps-brachii"]
    );
    // Stretching: mobility with the stretch role; position and laterality from the words.
    let stretch = exercise(&doc, "seated-side-lying");
    assert_eq!(stretch["category"], "mobility");
    assert_eq!(stretch["targets"]["role"], "stretch");
    assert_eq!(stretch["position"], "supine");
    assert_eq!(stretch["dose"]["hold_seconds"], 30);
    assert_eq!(
        exercise(&doc, "single-leg-thing")["laterality"],
        "unilateral"
    );
    let alternating = exercise(&doc, "alternating-curl");
    assert_eq!(alternating["laterality"], "alternating");
    // No instructions: the step says so; missing texts say the source gives none.
    assert_eq!(
        strings(&alternating["steps"]),
        ["Not given by free-exercise-db."]
    );
    assert_eq!(alternating["feel"], "Not given by free-exercise-db.");
    assert!(
        alternating["dose"]["note"]
            .as_str()
            .unwrap()
            .contains("not a prescription")
    );
    // Images become media whose licence is stated as unknown; paths are URL-escaped.
    let media = &exercise(&doc, "image-with-space")["media"][0];
    assert_eq!(media["kind"], "image");
    assert!(
        media["url"]
            .as_str()
            .unwrap()
            .ends_with("Image%20With%20Space/0.jpg")
    );
    assert!(media["licence"].as_str().unwrap().starts_with("Unknown"));
    // One source entry for the dataset, with its licence.
    let source = doc["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "free-exercise-db")
        .unwrap();
    assert!(source["usage"].as_str().unwrap().contains("Unlicense"));
    assert!(
        doc["exercises"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["source"] == "free-exercise-db")
    );
}

#[test]
fn imports_are_deterministic_whatever_the_input_order() {
    let (a, _) = import("free-exercise-db", "free-exercise-db.json");
    let mut entries: Vec<Value> =
        serde_json::from_slice(&std::fs::read(fixture("free-exercise-db.json")).unwrap()).unwrap();
    entries.reverse();
    let path = temp(&Value::Array(entries), "reversed.json");
    let out = run(&["import", "free-exercise-db", path.to_str().unwrap()]);
    assert!(out.status.success());
    assert_eq!(a, serde_json::from_slice::<Value>(&out.stdout).unwrap());
}

#[test]
fn bad_inputs_fail_with_clear_errors_and_no_output() {
    let cases = [
        (
            "free-exercise-db",
            "free-exercise-db-broken.json",
            "is not valid JSON: EOF",
        ),
        (
            "free-exercise-db",
            "free-exercise-db-missing-fields.json",
            "has 2 bad entries:\n  [1]: missing field `name`\n  [2]: missing field `level`",
        ),
        (
            "free-exercise-db",
            "free-exercise-db-not-a-list.json",
            "must be a JSON array of exercises",
        ),
        ("free-exercise-db", "no-such-file.json", "cannot read"),
        ("wger", "wger-broken.json", "wger input is not valid JSON"),
        (
            "wger",
            "wger-missing-fields.json",
            "results[0]: missing field `license`",
        ),
        (
            "wger",
            "free-exercise-db.json",
            "has 25 bad entries:\n  [0].equipment: invalid type: string \"bands\", expected a sequence",
        ),
    ];
    for (source, file, message) in cases {
        let out = run(&["import", source, fixture(file).to_str().unwrap()]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{file}: {stderr}");
        assert!(stderr.contains(message), "{file}: {message} in {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(out.stdout.is_empty(), "{file}");
    }
}

#[test]
fn wger_pages_and_lists_map_text_licences_muscles_and_equipment() {
    let (doc, stderr) = import("wger", "wger-page.json");
    assert_checks(&doc, "wger.json");
    let muscles = [
        "anterior-deltoid",
        "biceps-brachii",
        "biceps-femoris",
        "brachialis",
        "gastrocnemius",
        "gluteus-maximus",
        "latissimus-dorsi",
        "external-oblique",
        "pectoralis-major",
        "quadriceps",
        "rectus-abdominis",
        "serratus-anterior",
        "soleus",
        "trapezius",
        "triceps-brachii",
    ];
    let equipment = [
        "barbell",
        "bench",
        "dumbbell",
        "mat",
        "bench",
        "kettlebell",
        "none",
        "pull-up-bar",
        "resistance-band",
        "exercise-ball",
        "ez-curl-bar",
    ];
    for (i, m) in muscles.iter().enumerate() {
        let e = exercise(&doc, &format!("wger-move-{i}"));
        assert_eq!(strings(&e["targets"]["primary"]), [*m]);
        assert_eq!(strings(&e["equipment"]), [equipment[i % 11]]);
        let cardio = i % 8 == 4;
        assert_eq!(e["category"], if cardio { "cardio" } else { "strength" });
    }
    // The English translation is the text; its HTML becomes steps.
    // "squat" is an alias of an embedded exercise: the imported name says its source.
    let squat = exercise(&doc, "squat-wger");
    assert_eq!(squat["name"], "Squat (wger)");
    assert_eq!(
        strings(&squat["steps"]),
        [
            "Stand with feet apart.",
            "Bend the knees.",
            "Stand up again."
        ]
    );
    assert_eq!(strings(&squat["equipment"]), ["barbell"]);
    assert_eq!(strings(&squat["targets"]["secondary"]), ["gluteus-maximus"]);
    assert_eq!(squat["media"][0]["author"], "photographer");
    // Licence and author per entry: attribution, and one source per licence.
    let attribution = squat["attribution"].as_str().unwrap();
    assert!(attribution.contains("translator-1") && attribution.contains("CC-BY-SA 4"));
    assert_eq!(squat["source"], "wger-cc-by-sa-4");
    assert_eq!(exercise(&doc, "clamshells-wger")["source"], "wger-cc0");
    // Aliases: the first "Knee bender" is kept, later ones and "clams" (embedded) dropped.
    let with_alias = doc["exercises"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| !e["aliases"].as_array().unwrap().is_empty())
        .count();
    assert_eq!(with_alias, 1);
    for line in [
        "aliases dropped: they collide with an id or alias: 35",
        "exercises skipped: no English translation: 1",
        "translations in other languages not kept (the model has no languages yet): 19",
        "unmapped muscle \"Unknownus muscle\": 1",
        "unmapped equipment \"Hoverboard\": 1",
        "unmapped category \"Stomach\": 1",
    ] {
        assert!(stderr.contains(line), "{line} in {stderr}");
    }
    let (list, _) = import("wger", "wger-list.json");
    assert_eq!(list["exercises"].as_array().unwrap().len(), 1);
}

#[test]
fn imports_layer_over_the_embedded_catalogue() {
    let (fedb, _) = import("free-exercise-db", "free-exercise-db.json");
    let (wger, _) = import("wger", "wger-page.json");
    let a = temp(&fedb, "layer-fedb.json");
    let b = temp(&wger, "layer-wger.json");
    let out = run(&[
        "export-catalogue",
        "--catalogue",
        "embedded",
        "--catalogue",
        a.to_str().unwrap(),
        "--catalogue",
        b.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let merged: Value = serde_json::from_slice(&out.stdout).unwrap();
    let embedded: Value = serde_json::from_slice(&run(&["export-catalogue"]).stdout).unwrap();
    let count = |d: &Value| d["exercises"].as_array().unwrap().len();
    assert_eq!(count(&merged), count(&embedded) + 24 + 18);
}

#[test]
fn a_closed_pipe_is_not_a_panic() {
    let mut child = Command::new(BIN)
        .args(["import", "free-exercise-db"])
        .arg(fixture("free-exercise-db.json"))
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    let status = child.wait().unwrap();
    assert!(status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
