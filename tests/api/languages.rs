//! Languages as served: negotiation (`lang=`, `Accept-Language` with q-values, `*`, region
//! subtags), `Content-Language` and `Vary`, per-language ETags, completeness, and search,
//! lookups and forgiving ids in Spanish and German.

use actix_web::test::TestRequest;

use super::helpers::{assert_problem, catalogue, get, get_ok, request};

async fn in_language(uri: &str, accept: Option<&str>) -> super::helpers::Reply {
    let mut req = TestRequest::get().uri(uri);
    if let Some(a) = accept {
        req = req.insert_header(("Accept-Language", a));
    }
    request(req).await
}

fn header<'a>(r: &'a super::helpers::Reply, name: &str) -> &'a str {
    r.headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

#[actix_web::test]
async fn the_embedded_translations_are_complete_and_valid() {
    let cat = catalogue();
    let translations = exercise_api::catalogue::i18n::embedded(&cat.document())
        .unwrap_or_else(|problems| panic!("{problems:?}"));
    let tags: Vec<&str> = translations
        .iter()
        .map(|(t, _)| t.language.as_str())
        .collect();
    assert_eq!(tags, ["es", "de"]);
    // The service reads each file's tag from its name at start-up, and the file itself later.
    let named: Vec<&str> = exercise_api::catalogue::i18n::EMBEDDED
        .iter()
        .map(|(file, _)| exercise_api::catalogue::i18n::embedded_tag(file))
        .collect();
    assert_eq!(
        named, tags,
        "each translation file is named after its language"
    );
    for (t, c) in &translations {
        assert_eq!(
            c.translated, c.total,
            "{}: {} of {} texts ({:?})",
            t.language, c.translated, c.total, c.collections
        );
        assert_eq!(c.percent, 100.0);
    }
    let r = get_ok("/v1/languages").await;
    let data = r.body["data"].as_array().unwrap();
    let listed: Vec<&str> = data.iter().map(|l| l["tag"].as_str().unwrap()).collect();
    assert_eq!(listed, ["en", "es", "de"]);
    for l in data {
        assert_eq!(l["completeness"], 100.0, "{l}");
    }
}

#[actix_web::test]
async fn the_language_is_negotiated_as_http_intends() {
    for (uri, accept, want) in [
        ("/v1/exercises/clamshells", None, "en"),
        ("/v1/exercises/clamshells", Some("es"), "es"),
        ("/v1/exercises/clamshells", Some("es-MX"), "es"),
        (
            "/v1/exercises/clamshells",
            Some("de-CH, de;q=0.9, en;q=0.5"),
            "de",
        ),
        (
            "/v1/exercises/clamshells",
            Some("fr, es;q=0.8, de;q=0.9"),
            "de",
        ),
        ("/v1/exercises/clamshells", Some("fr-CA, fr;q=0.9"), "en"),
        ("/v1/exercises/clamshells", Some("*"), "en"),
        ("/v1/exercises/clamshells", Some("es;q=0, de;q=0.2"), "de"),
        ("/v1/exercises/clamshells?lang=de", Some("es"), "de"),
        ("/v1/exercises/clamshells?lang=es-AR", None, "es"),
        ("/v1/exercises/clamshells?lang=en", Some("de"), "en"),
        ("/v1/muscles?lang=es&limit=1", None, "es"),
        ("/v1/conditions/knee-pain", Some("de"), "de"),
        ("/v1/nothing-here", Some("es"), "es"),
        ("/health", None, "en"),
    ] {
        let r = in_language(uri, accept).await;
        assert_eq!(
            header(&r, "content-language"),
            want,
            "{uri} with {accept:?}"
        );
        assert!(
            header(&r, "vary").contains("Accept-Language"),
            "{uri}: vary {}",
            header(&r, "vary")
        );
    }
    let r = get("/v1/exercises?lang=fr").await;
    let e = &assert_problem(&r, 400)["errors"][0];
    assert_eq!(e["parameter"], "lang");
    assert_eq!(e["allowed"], serde_json::json!(["en", "es", "de"]));
    let r = get("/v1/equipment?lang=xx").await;
    assert_eq!(assert_problem(&r, 400)["errors"][0]["parameter"], "lang");
}

#[actix_web::test]
async fn texts_are_translated_and_vocabularies_are_not() {
    let en = get_ok("/v1/exercises/clamshells").await;
    let es = get_ok("/v1/exercises/clamshells?lang=es").await;
    let de = get_ok("/v1/exercises/clamshells?lang=de").await;
    for (field, same) in [
        ("id", true),
        ("difficulty", true),
        ("equipment", true),
        ("targets", false),
        ("name", false),
        ("steps", false),
        ("feel", false),
    ] {
        assert_eq!(es.body[field] == en.body[field], same, "es {field}");
        assert_eq!(de.body[field] == en.body[field], same, "de {field}");
    }
    assert_eq!(es.body["targets"]["primary"], en.body["targets"]["primary"]);
    // English aliases keep working in every language.
    let aliases = es.body["aliases"].as_array().unwrap();
    assert!(aliases.iter().any(|a| a == "clams"), "{aliases:?}");
    // A complete translation leaves nothing in English.
    assert!(es.body.get("untranslated").is_none());
    // The clinic's text keeps its English original, credited; the translation is the project's.
    assert!(
        es.body["attribution"]
            .as_str()
            .unwrap()
            .contains("exercise-api")
    );
}

#[actix_web::test]
async fn each_language_has_its_own_etag_and_each_answers_304() {
    let mut etags = Vec::new();
    for lang in ["en", "es", "de"] {
        let r = in_language("/v1/exercises/clamshells", Some(lang)).await;
        let etag = header(&r, "etag").to_owned();
        assert!(etag.starts_with('"'), "{lang}: {etag}");
        let again = request(
            TestRequest::get()
                .uri("/v1/exercises/clamshells")
                .insert_header(("Accept-Language", lang))
                .insert_header(("If-None-Match", etag.as_str())),
        )
        .await;
        assert_eq!(again.status.as_u16(), 304, "{lang}");
        etags.push(etag);
    }
    etags.sort();
    etags.dedup();
    assert_eq!(etags.len(), 3, "ETags differ across languages");
    // A list, memoized per language: asking twice gives the same bytes, other languages others.
    let a = in_language("/v1/routines?limit=3", Some("de")).await;
    let b = in_language("/v1/routines?limit=3", Some("de")).await;
    let c = in_language("/v1/routines?limit=3", Some("es")).await;
    assert_eq!(a.raw, b.raw);
    assert_ne!(a.raw, c.raw);
}

/// The ids search puts first for `q` in `lang`.
async fn first_hit(lang: &str, q: &str) -> (String, String) {
    let q = percent_encoding::utf8_percent_encode(q, percent_encoding::NON_ALPHANUMERIC);
    let r = get_ok(&format!("/v1/search?q={q}&lang={lang}&limit=3")).await;
    let first = &r.body["data"][0];
    (
        first["type"].as_str().unwrap_or("none").to_owned(),
        first["id"].as_str().unwrap_or("none").to_owned(),
    )
}

const SPANISH: [(&str, &str, &str); 16] = [
    ("me duele la rodilla", "condition", "knee-pain"),
    ("dolor de rodilla", "condition", "knee-pain"),
    ("isquiotibiales", "muscle", "hamstrings"),
    ("hombro congelado", "condition", "frozen-shoulder"),
    ("codo de tenista", "condition", "lateral-elbow-tendinopathy"),
    ("ciatica", "condition", "sciatica"),
    ("lumbalgia", "condition", "low-back-pain"),
    ("tunel carpiano", "condition", "carpal-tunnel-syndrome"),
    ("almeja", "exercise", "clamshells"),
    ("gluteo medio", "muscle", "gluteus-medius"),
    ("manguito rotador", "muscle", "rotator-cuff"),
    ("esguince de tobillo", "condition", "ankle-sprain-recovery"),
    ("fascitis plantar", "condition", "plantar-heel-pain"),
    ("cuadriceps", "muscle", "quadriceps"),
    ("pantorrilla", "muscle", "calf"),
    ("tendon de aquiles", "condition", "achilles-tendinopathy"),
];

const GERMAN: [(&str, &str, &str); 16] = [
    ("Knieschmerzen", "condition", "knee-pain"),
    ("Schultersteife", "condition", "frozen-shoulder"),
    (
        "Tennisellenbogen",
        "condition",
        "lateral-elbow-tendinopathy",
    ),
    ("Ischias", "condition", "sciatica"),
    ("Kreuzschmerzen", "condition", "low-back-pain"),
    ("Karpaltunnelsyndrom", "condition", "carpal-tunnel-syndrome"),
    ("Rotatorenmanschette", "muscle", "rotator-cuff"),
    ("Gesäßmuskulatur", "muscle", "gluteals"),
    ("Wade", "muscle", "calf"),
    ("Quadrizeps", "muscle", "quadriceps"),
    ("hintere Oberschenkelmuskulatur", "muscle", "hamstrings"),
    ("Kreuzbandplastik", "condition", "acl-reconstruction"),
    ("umgeknickt", "condition", "ankle-sprain-recovery"),
    ("Achillodynie", "condition", "achilles-tendinopathy"),
    ("Hexenschuss", "condition", "low-back-pain"),
    ("Fersensporn", "condition", "plantar-heel-pain"),
];

#[actix_web::test]
async fn search_finds_what_spanish_and_german_speakers_type() {
    let mut wrong = Vec::new();
    for (lang, table) in [("es", &SPANISH), ("de", &GERMAN)] {
        for (q, kind, id) in table.iter() {
            let got = first_hit(lang, q).await;
            if got != (kind.to_string(), id.to_string()) {
                wrong.push(format!("{lang} {q:?}: expected {kind} {id}, got {got:?}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} wrong:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[actix_web::test]
async fn filters_and_paths_accept_names_in_the_language() {
    // The Spanish name of the hamstrings as a filter value, accent-insensitive.
    let es = get_ok("/v1/exercises?muscle=isquiotibiales&lang=es&limit=1").await;
    let en = get_ok("/v1/exercises?muscle=hamstrings&limit=1").await;
    assert_eq!(es.total(), en.total());
    // English aliases keep working in every language.
    let de = get_ok("/v1/exercises?muscle=glutes&lang=de&limit=1").await;
    assert_eq!(
        de.total(),
        get_ok("/v1/exercises?muscle=gluteals&limit=1")
            .await
            .total()
    );
    // A path in the language redirects to the canonical id.
    let r = get("/v1/conditions/Schultersteife?lang=de").await;
    assert_eq!(r.status.as_u16(), 308);
    assert_eq!(
        header(&r, "location"),
        "/v1/conditions/frozen-shoulder?lang=de"
    );
}

#[actix_web::test]
async fn broad_words_find_their_part_of_the_body() {
    use exercise_api::catalogue::model::Region;
    let cat = catalogue();
    for (lang, q, region, word) in [
        ("es", "rodilla", Region::Knee, "knee"),
        ("es", "hombro", Region::Shoulder, "shoulder"),
        ("es", "isquiotibiales", Region::Thigh, "hamstring"),
        ("de", "Kniebeuge", Region::Thigh, "squat"),
        ("de", "Oberschenkel", Region::Thigh, "thigh"),
        ("de", "Schulter", Region::Shoulder, "shoulder"),
    ] {
        let r = get_ok(&format!("/v1/search?q={q}&lang={lang}")).await;
        let first = &r.body["data"][0];
        let id = first["id"].as_str().unwrap_or("");
        let fits = match first["type"].as_str() {
            Some("exercise") => cat
                .exercise(id)
                .is_some_and(|e| e.exercise.regions.contains(&region) || id.contains(word)),
            Some("muscle") => cat.muscle(id).is_some_and(|m| m.muscle.region == region),
            _ => id.contains(word),
        };
        assert!(fits, "{lang} {q:?}: first hit {first}");
    }
}
