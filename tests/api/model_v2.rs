//! Catalogue model version 2 as served: joints, roles, muscle lookups that climb the group
//! graph, forgiving ids (308 to the canonical URL), role-aware alternatives, dose v2 and the
//! pain-monitoring rule.

use std::collections::HashSet;

use exercise_api::catalogue::Catalogue;
use exercise_api::catalogue::model::{Joint, Role};
use serde_json::Value;

use super::exercises::{ancestors, descendants, tier};
use super::helpers::{all_ids, assert_problem, catalogue, get, get_ok};

/// The `Location` of a 308, asserting the status and the problem body.
async fn redirect(uri: &str) -> String {
    let r = get(uri).await;
    assert_problem(&r, 308);
    r.headers
        .get("location")
        .unwrap_or_else(|| panic!("{uri}: a 308 without Location"))
        .to_str()
        .unwrap()
        .to_owned()
}

#[actix_web::test]
async fn joint_finds_exactly_the_exercises_that_move_or_load_it() {
    let cat = catalogue();
    let ids = all_ids("/v1/exercises?joint=knee").await;
    let expected: Vec<String> = cat
        .exercises()
        .iter()
        .filter(|e| e.exercise.joints.contains(&Joint::Knee))
        .map(|e| e.exercise.id.clone())
        .collect();
    assert!(expected.len() >= 30, "{} knee exercises", expected.len());
    assert_eq!(ids, expected);
    let either = all_ids("/v1/exercises?joint=wrist,elbow").await;
    for id in &either {
        let j = &cat.exercise(id).unwrap().exercise.joints;
        assert!(
            j.contains(&Joint::Wrist) || j.contains(&Joint::Elbow),
            "{id}"
        );
    }
    let r = get("/v1/exercises?joint=skull").await;
    let e = &assert_problem(&r, 400)["errors"][0];
    assert_eq!(e["parameter"], "joint");
    assert!(e["allowed"].as_array().unwrap().iter().any(|v| v == "knee"));
}

#[actix_web::test]
async fn role_filters_on_the_primary_targets() {
    let cat = catalogue();
    let stretches = all_ids("/v1/exercises?role=stretch").await;
    assert!(stretches.len() >= 20);
    for id in &stretches {
        let e = &cat.exercise(id).unwrap().exercise;
        let fallback = e.category.default_role();
        assert!(
            e.targets
                .primary
                .iter()
                .any(|m| e.targets.role_of(m, fallback) == Role::Stretch),
            "{id} stretches a primary target"
        );
    }
    // The v1 complaint: asking for the hip abductors' strength work finds no stretches.
    let strength = all_ids("/v1/exercises?muscle=hip-abductors&role=strengthen,activate").await;
    assert!(!strength.is_empty());
    for id in &strength {
        assert!(
            !stretches.contains(id) || {
                let e = &cat.exercise(id).unwrap().exercise;
                e.targets.primary.iter().any(|m| {
                    matches!(
                        e.targets.role_of(m, e.category.default_role()),
                        Role::Strengthen | Role::Activate
                    )
                })
            }
        );
    }
}

#[actix_web::test]
async fn every_served_exercise_has_a_role_and_its_target_regions() {
    let r = get_ok("/v1/exercises/foam-roll-lateral-quad").await;
    assert_eq!(r.body["targets"]["role"], "release");
    let regions = r.body["regions"].as_array().unwrap();
    assert!(regions.iter().any(|x| x == "thigh"), "{regions:?}");
    let r = get_ok("/v1/exercises?region=shoulder&limit=1").await;
    assert!(r.total() >= 8);
    // `trunk` still works and means the four regions it was split into.
    let trunk = all_ids("/v1/exercises?region=trunk").await;
    let split = all_ids("/v1/exercises?region=chest,upper-back,lower-back,abdomen").await;
    assert_eq!(trunk, split);
}

#[actix_web::test]
async fn a_muscle_climbs_to_the_groups_that_contain_it() {
    let r = get_ok("/v1/exercises?muscle=vastus-medialis&limit=100").await;
    let data = r.body["data"].as_array().unwrap();
    assert!(
        !data.is_empty(),
        "VMO finds exercises through the quadriceps"
    );
    let via_group = data
        .iter()
        .find(|e| e["matched"]["how"] == "group")
        .expect("a match through a group");
    assert_eq!(via_group["matched"]["muscle"], "vastus-medialis");
    assert!(
        ancestors("vastus-medialis").contains(via_group["matched"]["target"].as_str().unwrap())
    );
    // Closest matches first.
    let hows: Vec<&str> = data
        .iter()
        .map(|e| e["matched"]["how"].as_str().unwrap())
        .collect();
    let rank = |h: &str| ["direct", "member", "group"].iter().position(|x| *x == h);
    assert!(
        hows.windows(2).all(|w| rank(w[0]) <= rank(w[1])),
        "{hows:?}"
    );
    // What a scan of the document says, for every muscle.
    let cat = catalogue();
    for m in cat.muscles() {
        let id = m.muscle.id.as_str();
        let found = get_ok(&format!("/v1/exercises?muscle={id}&limit=1")).await;
        let expected = cat
            .document()
            .exercises
            .iter()
            .filter(|e| tier(e, &[id]).is_some())
            .count();
        assert_eq!(found.total() as usize, expected, "muscle={id}");
        assert!(expected > 0, "{id} answers an empty list");
    }
    // A group also reaches its members' exercises.
    let member = descendants("quadriceps");
    assert!(member.contains("vastus-medialis"));
}

#[actix_web::test]
async fn filter_values_accept_aliases_and_any_case() {
    let glutes = all_ids("/v1/exercises?muscle=glutes").await;
    assert_eq!(glutes, all_ids("/v1/exercises?muscle=gluteals").await);
    assert_eq!(glutes, all_ids("/v1/exercises?muscle=Gluteals").await);
    assert_eq!(
        all_ids("/v1/exercises?condition=ITBS").await,
        all_ids("/v1/exercises?condition=it-band-syndrome").await
    );
    assert_eq!(
        all_ids("/v1/exercises?muscle=VMO,glute%20med").await,
        all_ids("/v1/exercises?muscle=vastus-medialis,gluteus-medius").await
    );
    // An alias resolves to one id, so it is counted once.
    let r = get_ok("/v1/exercises?muscle=glutes&limit=1").await;
    assert_eq!(r.body["data"][0]["matched"]["muscle"], "gluteals");
}

#[actix_web::test]
async fn other_names_of_an_entry_redirect_to_its_canonical_url() {
    for (uri, location) in [
        (
            "/v1/exercises/tipping-bird",
            "/v1/exercises/single-leg-deadlift",
        ),
        ("/v1/exercises/Clamshells", "/v1/exercises/clamshells"),
        ("/v1/exercises/clams", "/v1/exercises/clamshells"),
        ("/v1/muscles/glutes", "/v1/muscles/gluteals"),
        ("/v1/muscles/VMO", "/v1/muscles/vastus-medialis"),
        ("/v1/conditions/itbs", "/v1/conditions/it-band-syndrome"),
        (
            "/v1/conditions/Tennis%20Elbow",
            "/v1/conditions/lateral-elbow-tendinopathy",
        ),
        (
            "/v1/routines/Knee-Pain-5-Best-Exercises",
            "/v1/routines/knee-pain-5-best-exercises",
        ),
        (
            "/v1/exercises/tipping-bird/alternatives?limit=3",
            "/v1/exercises/single-leg-deadlift/alternatives?limit=3",
        ),
        (
            "/v1/muscles/Glutes/exercises?equipment=none",
            "/v1/muscles/gluteals/exercises?equipment=none",
        ),
        ("/v1/exercises/", "/v1/exercises"),
        ("/v1/muscles/?kind=group", "/v1/muscles?kind=group"),
        ("/v1/exercises/clamshells/", "/v1/exercises/clamshells"),
    ] {
        assert_eq!(redirect(uri).await, location, "{uri}");
        // The target answers.
        let target = get(location).await;
        assert_eq!(target.status.as_u16(), 200, "{location}");
    }
    // Nothing to redirect to: still a 404 with suggestions.
    let r = get("/v1/exercises/tipping-birb").await;
    assert_problem(&r, 404);
}

/// The embedded catalogue with `edit` applied, loaded.
fn edited(edit: impl FnOnce(&mut Value)) -> Result<Catalogue, String> {
    let mut doc: Value = serde_json::from_str(exercise_api::catalogue::index::EMBEDDED).unwrap();
    edit(&mut doc);
    Catalogue::from_bytes(doc.to_string().as_bytes()).map_err(|e| e.to_string())
}

#[test]
fn former_ids_resolve_and_may_not_name_another_entry() {
    use exercise_api::catalogue::index::Collection;
    let cat = edited(|d| {
        let e = d["exercises"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|e| e["id"] == "clamshells")
            .unwrap();
        e["former_ids"] = serde_json::json!(["clam-shell-v1"]);
    })
    .unwrap();
    assert_eq!(
        cat.resolve(Collection::Exercises, "clam-shell-v1"),
        Some("clamshells")
    );
    assert_eq!(
        cat.resolve(Collection::Exercises, "CLAM SHELL V1"),
        Some("clamshells")
    );
    let err = refused(|d| {
        let other = d["exercises"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|e| e["id"] == "glute-bridge")
            .unwrap();
        other["former_ids"] = serde_json::json!(["clamshells"]);
    });
    assert!(
        err.contains("former_ids[0]: former id \"clamshells\" collides with the id"),
        "{err}"
    );
    // An alias that would name two entries is refused.
    let err = refused(|d| {
        d["muscles"][0]["aliases"] = serde_json::json!(["quads"]);
    });
    assert!(
        err.contains("alias \"quads\" collides with alias of muscles[0]"),
        "{err}"
    );
}

#[actix_web::test]
async fn alternatives_compare_like_with_like() {
    let cat = catalogue();
    let role_of = |id: &str| -> HashSet<Role> {
        let e = &cat.exercise(id).unwrap().exercise;
        e.targets
            .primary
            .iter()
            .map(|m| e.targets.role_of(m, e.category.default_role()))
            .collect()
    };
    let r = get_ok("/v1/exercises/clamshells/alternatives?limit=50").await;
    let ids: Vec<&str> = r.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert!(ids.len() >= 5);
    for id in &ids {
        assert!(
            role_of(id).iter().any(|r| r.loads()),
            "{id} is loading work, not a stretch: {:?}",
            role_of(id)
        );
        assert!(!role_of(id).contains(&Role::Stretch) || role_of(id).len() > 1);
    }
    assert!(!ids.contains(&"figure-4-stretch"));
    // Asked for, stretches are offered.
    let r = get_ok("/v1/exercises/clamshells/alternatives?role=stretch&limit=50").await;
    let stretches: Vec<&str> = r.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert!(!stretches.is_empty());
    for id in &stretches {
        assert!(role_of(id).contains(&Role::Stretch), "{id}");
    }
    // A stretch's alternatives are stretches.
    let r = get_ok("/v1/exercises/figure-4-stretch/alternatives?limit=50").await;
    for a in r.body["data"].as_array().unwrap() {
        assert!(
            role_of(a["id"].as_str().unwrap()).contains(&Role::Stretch),
            "{a}"
        );
    }
}

#[actix_web::test]
async fn the_alfredson_protocol_is_a_dose_in_data() {
    let r = get_ok("/v1/exercises/eccentric-heel-drop").await;
    let dose = &r.body["dose"];
    assert_eq!(dose["times_per_day"], 2, "{dose}");
    assert_eq!(dose["days_per_week"], 7);
    assert_eq!(dose["weeks"], 12);
    let parts = dose["parts"].as_array().unwrap();
    assert_eq!(parts.len(), 2);
    for p in parts {
        assert_eq!(
            (p["sets"].as_u64(), p["reps"].as_u64()),
            (Some(3), Some(15))
        );
    }
    assert!(dose.get("sets").is_none(), "the sets are the parts'");
}

#[actix_web::test]
async fn routines_carry_the_pain_rule_phase_and_attribution() {
    let cat = catalogue();
    let rule = cat.pain_monitoring().unwrap();
    let r = get_ok("/v1/routines/knee-pain-5-best-exercises").await;
    assert_eq!(
        r.body["pain_monitoring"]["max_pain_during"],
        rule.max_pain_during
    );
    assert!(
        r.body["attribution"]
            .as_str()
            .unwrap()
            .contains("Dynamic PT Chicago")
    );
    let c = get_ok("/v1/conditions/knee-pain").await;
    assert!(c.body["attribution"].as_str().unwrap().contains("project"));
    let phased = get_ok("/v1/routines?phase=early&limit=100").await;
    assert!(phased.total() >= 5);
    for item in phased.body["data"].as_array().unwrap() {
        assert_eq!(item["phase"], "early", "{}", item["id"]);
    }
    // Every seed exercise links the clinic's video, with no invented time span.
    for id in [
        "clamshells",
        "single-leg-glute-bridge",
        "single-leg-deadlift",
        "side-steps-with-resistance",
        "foam-roll-lateral-quad",
    ] {
        let e = get_ok(&format!("/v1/exercises/{id}")).await;
        let media = &e.body["media"][0];
        assert_eq!(media["kind"], "video", "{id}");
        assert!(media.get("start_seconds").is_none(), "{id}");
    }
}

/// The problems loading the edited catalogue reports.
fn refused(edit: impl FnOnce(&mut Value)) -> String {
    match edited(edit) {
        Ok(_) => panic!("the edited catalogue was accepted"),
        Err(e) => e,
    }
}
