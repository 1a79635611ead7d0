//! Every error case: exact status, problem+json shape, and what the body names.

use actix_web::test::TestRequest;

use super::helpers::{assert_problem, get, request};

#[actix_web::test]
async fn an_unknown_id_is_a_404_with_suggestions() {
    let r = get("/v1/exercises/clamshel").await;
    let body = assert_problem(&r, 404);
    let detail = body["detail"].as_str().unwrap();
    assert!(detail.contains("\"clamshel\""), "{detail}");
    assert!(
        detail.contains("(did you mean \"clamshells\"?)"),
        "the wording of 400s: {detail}"
    );
    let r = get("/v1/muscles/glute-meed").await;
    assert!(
        assert_problem(&r, 404)["detail"]
            .as_str()
            .unwrap()
            .contains("gluteus-medius")
    );
    let r = get("/v1/exercises/zzzzzzzzzzzz").await;
    assert!(
        !assert_problem(&r, 404)["detail"]
            .as_str()
            .unwrap()
            .contains("did you mean")
    );
    for uri in [
        "/v1/routines/nope",
        "/v1/conditions/nope",
        "/v1/sources/nope",
        "/v1/muscles/nope/exercises",
    ] {
        assert_problem(&get(uri).await, 404);
    }
}

#[actix_web::test]
async fn out_of_range_and_mistyped_numbers_name_the_parameter_and_range() {
    for (uri, param, fragment) in [
        ("/v1/exercises?limit=0", "limit", "from 1 to 100"),
        ("/v1/exercises?limit=101", "limit", "from 1 to 100"),
        ("/v1/exercises?limit=abc", "limit", "must be an integer"),
        (
            "/v1/exercises?limit=99999999999999999999999",
            "limit",
            "from 1 to 100",
        ),
        ("/v1/exercises?offset=-1", "offset", "from 0 to 1000000"),
        ("/v1/muscles?limit=1.5", "limit", "must be an integer"),
    ] {
        let r = get(uri).await;
        let body = assert_problem(&r, 400);
        let errors = body["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 1, "{uri}: {body}");
        assert_eq!(errors[0]["parameter"], param, "{uri}");
        let msg = errors[0]["message"].as_str().unwrap();
        assert!(msg.contains(fragment), "{uri}: {msg}");
    }
}

#[actix_web::test]
async fn every_bad_parameter_is_reported_at_once() {
    let r = get("/v1/exercises?limit=abc&offset=-5&difficulty=expert&colour=red").await;
    let body = assert_problem(&r, 400);
    let mut params: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["parameter"].as_str().unwrap())
        .collect();
    params.sort();
    assert_eq!(
        params,
        ["colour", "difficulty", "limit", "offset"],
        "{body}"
    );
}

#[actix_web::test]
async fn an_unknown_filter_value_names_it_and_the_valid_ones() {
    let r = get("/v1/exercises?difficulty=beginner,expert").await;
    let e = &assert_problem(&r, 400)["errors"][0];
    assert_eq!(e["parameter"], "difficulty");
    assert!(e["message"].as_str().unwrap().contains("\"expert\""));
    assert_eq!(
        e["allowed"],
        serde_json::json!(["beginner", "intermediate", "advanced"])
    );

    let r = get("/v1/exercises?muscle=glute-meed").await;
    let e = &assert_problem(&r, 400)["errors"][0];
    assert_eq!(e["parameter"], "muscle");
    let msg = e["message"].as_str().unwrap();
    assert!(
        msg.contains("unknown muscle \"glute-meed\" (did you mean \"gluteus-medius\"?)"),
        "{msg}"
    );
    assert!(
        e["allowed"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x == "gluteus-medius")
    );

    for (uri, param) in [
        ("/v1/exercises?equipment=kettlebel", "equipment"),
        ("/v1/exercises?condition=tennis-toe", "condition"),
        ("/v1/exercises?laterality=left", "laterality"),
        ("/v1/exercises?sort=popularity", "sort"),
        ("/v1/muscles?kind=organ", "kind"),
        ("/v1/muscles?region=head", "region"),
        ("/v1/routines?condition=nope", "condition"),
        (
            "/v1/routines/knee-pain-5-best-exercises?expand=muscles",
            "expand",
        ),
        ("/v1/exercises?muscle=", "muscle"),
        ("/v1/exercises?muscle=gluteals,,core", "muscle"),
        ("/v1/exercises?q=", "q"),
    ] {
        let r = get(uri).await;
        assert_eq!(
            assert_problem(&r, 400)["errors"][0]["parameter"],
            param,
            "{uri}: {}",
            r.body
        );
    }
}

#[actix_web::test]
async fn unknown_and_repeated_parameters_are_rejected() {
    let r = get("/v1/exercises?musle=gluteals").await;
    let e = &assert_problem(&r, 400)["errors"][0];
    assert_eq!(e["parameter"], "musle");
    let msg = e["message"].as_str().unwrap();
    assert!(msg.contains("did you mean \"muscle\"?"), "{msg}");
    assert!(
        e["allowed"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x == "muscle")
    );

    let r = get("/v1/exercises/clamshells?colour=red").await;
    assert_eq!(assert_problem(&r, 400)["errors"][0]["parameter"], "colour");

    let r = get("/v1/exercises?limit=5&limit=6").await;
    let e = &assert_problem(&r, 400)["errors"][0];
    assert_eq!(e["parameter"], "limit");
    assert!(e["message"].as_str().unwrap().contains("more than once"));
}

#[actix_web::test]
async fn a_wrong_method_is_a_405_with_allow() {
    for (req, path) in [
        (TestRequest::post(), "/v1/exercises"),
        (TestRequest::delete(), "/v1/exercises/clamshells"),
        (TestRequest::put(), "/health"),
        (TestRequest::patch(), "/v1/muscles/gluteals/exercises"),
    ] {
        let r = request(req.uri(path)).await;
        let body = assert_problem(&r, 405);
        assert_eq!(r.headers.get("allow").unwrap(), "GET, HEAD", "{path}");
        assert!(body["detail"].as_str().unwrap().contains("GET"));
    }
}

#[actix_web::test]
async fn an_unknown_path_is_a_404_problem() {
    for uri in [
        "/",
        "/v2/exercises",
        "/v1/exercise",
        "/v1/exercises/clamshells/steps",
        "/v1/exercise/",
    ] {
        let r = get(uri).await;
        assert_problem(&r, 404);
    }
}

/// The house voice (docs/errors.md): `unknown <what> "<value>" (did you mean …?); allowed: …`
/// with an `allowed` array, whatever the kind of value and wherever it is.
fn assert_house_voice(e: &serde_json::Value, value: &str, suggestion: &str, allowed: &str) {
    let msg = e["message"].as_str().unwrap();
    assert!(msg.starts_with("unknown "), "{msg}");
    assert!(msg.contains(&format!("\"{value}\"")), "{msg}");
    assert!(
        msg.contains(&format!("(did you mean \"{suggestion}\"?)"))
            || msg.contains(&format!("(did you mean one of \"{suggestion}\""))
            || msg.contains(&format!(", \"{suggestion}\"")),
        "{msg}"
    );
    assert!(msg.contains("; allowed: "), "{msg}");
    let list = e["allowed"]
        .as_array()
        .unwrap_or_else(|| panic!("allowed in {e}"));
    assert!(list.iter().any(|a| a == allowed), "{allowed} in {e}");
}

#[actix_web::test]
async fn enums_ids_and_parameters_are_refused_in_one_voice() {
    let r = get("/v1/exercises?sort=relevanse").await;
    let e = &assert_problem(&r, 400)["errors"][0];
    assert_eq!(e["parameter"], "sort");
    assert_house_voice(e, "relevanse", "relevance", "-name");
    assert!(!e["message"].as_str().unwrap().contains("variant"), "{e}");
    let r = get("/v1/exercises?difficulty=beginer").await;
    assert_house_voice(
        &assert_problem(&r, 400)["errors"][0],
        "beginer",
        "beginner",
        "advanced",
    );
    let r = get("/v1/exercises?equipment=band").await;
    assert_house_voice(
        &assert_problem(&r, 400)["errors"][0],
        "band",
        "resistance-band",
        "foam-roller",
    );
    let r = get("/v1/exercises?limt=5").await;
    assert_house_voice(
        &assert_problem(&r, 400)["errors"][0],
        "limt",
        "limit",
        "offset",
    );
}

#[actix_web::test]
async fn a_missing_required_parameter_names_no_value() {
    let r = get("/v1/search").await;
    let e = &assert_problem(&r, 400)["errors"][0];
    assert_eq!(e["parameter"], "q");
    assert_eq!(e["message"], "is required");
}

#[actix_web::test]
async fn relevance_without_a_text_query_falls_back_to_name_order() {
    let ranked = super::helpers::get_ok("/v1/exercises?sort=relevance&limit=100").await;
    let plain = super::helpers::get_ok("/v1/exercises?limit=100").await;
    assert_eq!(ranked.ids(), plain.ids());
    assert_eq!(
        super::helpers::get_ok("/v1/exercises?sort=relevance&q=bridge")
            .await
            .status,
        200
    );
}

#[actix_web::test]
async fn integers_are_parsed_strictly_spaces_included() {
    for uri in [
        "/v1/exercises?limit=%205%20",
        "/v1/exercises?offset=+1+",
        "/v1/muscles?limit=5%20",
    ] {
        let r = get(uri).await;
        let e = &assert_problem(&r, 400)["errors"][0];
        assert!(
            e["message"]
                .as_str()
                .unwrap()
                .contains("must be an integer"),
            "{uri}: {e}"
        );
    }
    assert_eq!(
        super::helpers::get_ok("/v1/exercises?limit=5").await.status,
        200
    );
}
