//! Translations: validated against the English catalogue, measured for completeness, laid over
//! entries with English as the fallback field by field.

use exercise_api::catalogue::i18n::{self, Translation};
use serde_json::{Value, json};

use super::helpers::catalogue;

fn load(doc: Value) -> Result<Translation, Vec<String>> {
    i18n::parse("t.json", doc.to_string().as_bytes())
        .map_err(|ps| ps.iter().map(ToString::to_string).collect())
}

fn problems(doc: Value) -> Vec<String> {
    let t = load(doc).expect("parses");
    let cat = catalogue();
    let (_, problems) = i18n::validate("t.json", &t, &cat.document());
    problems.iter().map(ToString::to_string).collect()
}

#[test]
fn a_translation_is_checked_against_the_english_entries() {
    let ok = json!({"language": "es", "name": "Español", "exercises": {"clamshells": {
        "name": "Almejas", "aliases": ["almeja", "clamshell"], "targets": {"summary": "Glúteo medio y menor"}
    }}});
    assert!(problems(ok).is_empty());
    for (doc, expected) in [
        (
            json!({"language": "es", "name": "Español", "exercises": {"clamshels": {"name": "Almejas"}}}),
            "t.json: exercises.clamshels: no entry has this id (did you mean \"clamshells\"?)",
        ),
        (
            json!({"language": "es", "name": "Español", "exercises": {"clamshells": {"difficulty": "fácil"}}}),
            "t.json: exercises.clamshells.difficulty: is not a translatable text",
        ),
        (
            json!({"language": "es", "name": "Español", "exercises": {"clamshells": {"name": "  "}}}),
            "t.json: exercises.clamshells.name: must not be empty",
        ),
        (
            json!({"language": "es", "name": "Español", "exercises": {"clamshells": {"steps": ["1", "2", "3", "4", "5", "6", "7", "8", "9"]}}}),
            "t.json: exercises.clamshells.steps[8]: is not a translatable text",
        ),
        (
            json!({"language": "es", "name": "Español", "muscles": {"gluteals": {"name": 7}}}),
            "t.json: muscles.gluteals.name: must be text",
        ),
    ] {
        let found = problems(doc);
        assert!(
            found.iter().any(|p| p.starts_with(expected)),
            "expected {expected:?} in {found:?}"
        );
    }
}

#[test]
fn bad_files_are_refused_with_their_path() {
    for (doc, expected) in [
        (json!({"language": "EN", "name": "x"}), "t.json: language"),
        (
            json!({"language": "en", "name": "English"}),
            "t.json: language",
        ),
        (
            json!({"name": "Español"}),
            "t.json: language: must be a non-empty string",
        ),
        (
            json!({"language": "es", "name": "Español", "exercise": {}}),
            "t.json: exercise: unknown field",
        ),
        (
            json!({"language": "es", "name": "Español", "muscles": []}),
            "t.json: muscles: must be an object",
        ),
    ] {
        let found = load(doc).expect_err("refused");
        assert!(
            found.iter().any(|p| p.starts_with(expected)),
            "expected {expected:?} in {found:?}"
        );
    }
    assert!(i18n::parse("t.json", b"{").is_err());
}

#[test]
fn completeness_counts_texts_and_reaches_100_only_when_all_are_there() {
    let cat = catalogue();
    let doc = cat.document();
    let empty = load(json!({"language": "de", "name": "Deutsch"})).unwrap();
    let (c, _) = i18n::validate("t.json", &empty, &doc);
    assert_eq!(c.translated, 0);
    assert!(c.total > 5000, "{} translatable texts", c.total);
    assert_eq!(c.percent, 0.0);
    let one = load(json!({"language": "de", "name": "Deutsch",
        "equipment": {"none": {"name": "Keine Ausrüstung"}}}))
    .unwrap();
    let (c, _) = i18n::validate("t.json", &one, &doc);
    assert_eq!(c.translated, 1);
    assert_eq!(c.collections["equipment"].0, 1);
    assert!(c.percent < 1.0);
}

#[test]
fn localizing_falls_back_to_english_field_by_field() {
    let cat = catalogue();
    let english = serde_json::to_value(&cat.exercise("clamshells").unwrap().exercise).unwrap();
    let tr = json!({"name": "Almejas", "aliases": ["almeja"]});
    let (out, missing) = i18n::localize(&english, Some(&tr), "exercises");
    assert_eq!(out["name"], "Almejas");
    assert_eq!(out["purpose"], english["purpose"], "untranslated: English");
    assert!(missing.contains(&"purpose".to_owned()));
    assert!(!missing.contains(&"name".to_owned()));
    let aliases = out["aliases"].as_array().unwrap();
    assert_eq!(aliases[0], "almeja");
    assert!(
        aliases.contains(&json!("clams")),
        "English aliases keep working"
    );
    assert_eq!(out["targets"]["primary"], english["targets"]["primary"]);
}
