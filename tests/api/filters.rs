//! Filters that combine: equipment at hand, exclusions, regions, positions, difficulty
//! ceilings, and sparse fieldsets.

use exercise_api::catalogue::model::Difficulty;

use super::helpers::{all_ids, assert_problem, catalogue, get, get_ok};

#[actix_web::test]
async fn available_equipment_means_doable_with_only_that_gear() {
    let cat = catalogue();
    let ids = all_ids("/v1/exercises?available_equipment=loop-band,foam-roller").await;
    let expected: Vec<String> = cat
        .exercises()
        .iter()
        .filter(|e| {
            e.exercise
                .equipment
                .iter()
                .all(|x| ["none", "loop-band", "foam-roller"].contains(&x.as_str()))
        })
        .map(|e| e.exercise.id.clone())
        .collect();
    assert_eq!(ids, expected);
    assert!(ids.contains(&"clamshells".to_owned()) && ids.contains(&"glute-bridge".to_owned()));
    assert!(
        !ids.contains(&"step-up".to_owned()),
        "a step is not at hand"
    );
    let bodyweight = all_ids("/v1/exercises?available_equipment=none").await;
    let expected: Vec<String> = cat
        .exercises()
        .iter()
        .filter(|e| e.exercise.equipment == ["none"])
        .map(|e| e.exercise.id.clone())
        .collect();
    assert_eq!(bodyweight, expected);
    // Distinct from equipment=, which means "uses any of": an exercise using a loop band
    // and something else is listed there but not here.
    let uses = all_ids("/v1/exercises?equipment=loop-band").await;
    for id in &uses {
        let needs = &cat.exercise(id).unwrap().exercise.equipment;
        let doable = needs
            .iter()
            .all(|x| ["none", "loop-band", "foam-roller"].contains(&x.as_str()));
        assert_eq!(ids.contains(id), doable, "{id} needs {needs:?}");
    }
    assert!(uses.len() < ids.len());
}

#[actix_web::test]
async fn exclude_region_position_and_max_difficulty_combine() {
    let cat = catalogue();
    let ids = all_ids("/v1/exercises?region=hip&position=standing,side-lying&max_difficulty=intermediate&exclude=clamshells,monster-walk").await;
    assert!(!ids.is_empty());
    for id in &ids {
        let e = cat.exercise(id).unwrap();
        let x = &e.exercise;
        assert!(
            x.regions
                .iter()
                .any(|r| serde_json::to_value(r).unwrap() == "hip"),
            "{id} region"
        );
        let pos = serde_json::to_value(x.position).unwrap();
        assert!(
            pos == "standing" || pos == "side-lying",
            "{id} position {pos}"
        );
        assert!(x.difficulty <= Difficulty::Intermediate, "{id} difficulty");
        assert!(id != "clamshells" && id != "monster-walk");
    }
    let without = all_ids(
        "/v1/exercises?region=hip&position=standing,side-lying&max_difficulty=intermediate",
    )
    .await;
    assert!(
        without.contains(&"clamshells".to_owned()) || without.contains(&"monster-walk".to_owned())
    );
    assert_eq!(
        without.len() - ids.len(),
        without
            .iter()
            .filter(|i| *i == "clamshells" || *i == "monster-walk")
            .count()
    );
    let beginners = all_ids("/v1/exercises?max_difficulty=beginner").await;
    assert_eq!(
        beginners,
        all_ids("/v1/exercises?difficulty=beginner").await
    );
}

#[actix_web::test]
async fn new_filters_reject_unknown_values() {
    for (uri, param) in [
        (
            "/v1/exercises?available_equipment=kettlebel",
            "available_equipment",
        ),
        ("/v1/exercises?exclude=clamshel", "exclude"),
        ("/v1/exercises?region=head", "region"),
        ("/v1/exercises?position=upside-down", "position"),
        ("/v1/exercises?max_difficulty=expert", "max_difficulty"),
        ("/v1/exercises?fields=id,colour", "fields"),
    ] {
        let r = get(uri).await;
        assert_eq!(
            assert_problem(&r, 400)["errors"][0]["parameter"],
            param,
            "{uri}: {}",
            r.body
        );
    }
    let r = get("/v1/exercises?exclude=clamshel").await;
    assert!(
        r.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean \"clamshells\"?")
    );
}

#[actix_web::test]
async fn sparse_fieldsets_trim_lists_and_single_exercises() {
    let r = get_ok("/v1/exercises?fields=name,targets&limit=3").await;
    for item in r.body["data"].as_array().unwrap() {
        let mut keys: Vec<&str> = item
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort();
        assert_eq!(keys, ["id", "name", "targets"]);
    }
    assert!(
        r.body["meta"]["total"].as_u64().unwrap() > 3,
        "paging is unchanged"
    );
    let one = get_ok("/v1/exercises/clamshells?fields=steps").await;
    assert_eq!(one.body.as_object().unwrap().len(), 2);
    assert!(one.body["steps"].is_array());
    let muscle = get_ok("/v1/muscles/gluteals/exercises?fields=name&limit=1").await;
    let item = muscle.body["data"][0].as_object().unwrap();
    assert_eq!(item.len(), 3, "id, name and how it matched: {item:?}");
    assert_eq!(item["matched"]["muscle"], "gluteals");
}

#[actix_web::test]
async fn alternatives_rank_by_shared_targets_and_respect_constraints() {
    let r = get_ok("/v1/exercises/clamshells/alternatives").await;
    assert_eq!(r.body["exercise_id"], "clamshells");
    let data = r.body["data"].as_array().unwrap();
    assert!(!data.is_empty() && data.len() <= 10);
    let scores: Vec<f64> = data.iter().map(|a| a["score"].as_f64().unwrap()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert!(data.iter().all(|a| a["id"] != "clamshells"));
    let first = &data[0];
    assert!(
        first["reason"]
            .as_str()
            .unwrap()
            .starts_with("same primary targets: gluteus medius"),
        "{first}"
    );
    assert!(
        first["shared_targets"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t == "gluteus-medius")
    );

    let cat = catalogue();
    let r = get_ok("/v1/exercises/clamshells/alternatives?available_equipment=none&max_difficulty=beginner&limit=5").await;
    let data = r.body["data"].as_array().unwrap();
    assert!(!data.is_empty() && data.len() <= 5);
    for a in data {
        let e = &cat.exercise(a["id"].as_str().unwrap()).unwrap().exercise;
        assert_eq!(e.equipment, ["none"]);
        assert_eq!(e.difficulty, Difficulty::Beginner);
        assert!(
            a["reason"]
                .as_str()
                .unwrap()
                .ends_with("needs no equipment")
        );
    }
    assert_problem(&get("/v1/exercises/clamshel/alternatives").await, 404);
    assert_problem(
        &get("/v1/exercises/clamshells/alternatives?limit=101").await,
        400,
    );
}

#[test]
fn the_fields_vocabulary_is_every_field_an_exercise_has() {
    let cat = catalogue();
    let mut served: Vec<String> = Vec::new();
    for e in cat.exercises() {
        for k in serde_json::to_value(e).unwrap().as_object().unwrap().keys() {
            if !served.contains(k) {
                served.push(k.clone());
            }
        }
    }
    served.sort();
    let mut allowed: Vec<String> = exercise_api::api::exercises::EXERCISE_FIELDS
        .iter()
        .map(|s| s.to_string())
        .collect();
    allowed.sort();
    assert_eq!(allowed, served);
}

/// Every list answers the same envelope and takes `limit` and `offset`: equipment, sources and
/// alternatives too.
#[actix_web::test]
async fn every_list_is_a_page_with_meta_and_links() {
    for (path, total) in [
        ("/v1/equipment", catalogue().equipment().len()),
        ("/v1/sources", catalogue().sources().len()),
        ("/v1/exercises/clamshells/alternatives", 0),
    ] {
        let r = get_ok(&format!("{path}?limit=2&offset=1")).await;
        assert_eq!(r.body["meta"]["limit"], 2, "{path}: {}", r.body);
        assert_eq!(r.body["meta"]["offset"], 1, "{path}");
        assert!(r.body["data"].as_array().unwrap().len() <= 2, "{path}");
        if total > 0 {
            assert_eq!(r.total() as usize, total, "{path}");
        }
        assert_eq!(
            r.body["links"]["self"],
            format!("{path}?limit=2&offset=1"),
            "{path}"
        );
        assert_eq!(r.body["links"]["prev"], format!("{path}?limit=2&offset=0"));
    }
    // Paging alternatives walks the same ranking as one large page.
    let all = get_ok("/v1/exercises/clamshells/alternatives?limit=100")
        .await
        .ids();
    let second = get_ok("/v1/exercises/clamshells/alternatives?limit=3&offset=3")
        .await
        .ids();
    assert_eq!(second, all[3..6.min(all.len())]);
}

/// The keys of the JSON object in `raw` (a whole body), in their order.
fn key_order(raw: &[u8]) -> Vec<String> {
    struct Keys(Vec<String>);
    impl<'de> serde::Deserialize<'de> for Keys {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> serde::de::Visitor<'de> for V {
                type Value = Keys;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("an object")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut m: A,
                ) -> Result<Keys, A::Error> {
                    let mut keys = Vec::new();
                    while let Some((k, _)) = m.next_entry::<String, serde::de::IgnoredAny>()? {
                        keys.push(k);
                    }
                    Ok(Keys(keys))
                }
            }
            d.deserialize_map(V)
        }
    }
    serde_json::from_slice::<Keys>(raw).unwrap().0
}

#[actix_web::test]
async fn sparse_fieldsets_keep_the_resources_key_order() {
    let full = get_ok("/v1/exercises/clamshells").await;
    let sparse = get_ok("/v1/exercises/clamshells?fields=targets,name,id").await;
    let order: Vec<String> = key_order(&full.raw)
        .into_iter()
        .filter(|k| ["id", "name", "targets"].contains(&k.as_str()))
        .collect();
    assert_eq!(key_order(&sparse.raw), order);
    // Nested objects too: the sparse body holds the full body's `targets` text verbatim.
    let text = |r: &[u8]| String::from_utf8(r.to_vec()).unwrap();
    let full_text = text(&full.raw);
    let start = full_text.find("\"targets\":").unwrap();
    let targets = &full_text[start..start + 60];
    assert!(text(&sparse.raw).contains(targets), "{targets}");
}
