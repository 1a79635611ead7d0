//! Body maps: the figure draws every surface shape on both sides, every catalogue muscle is
//! placed, the SVG is accessible and safe, PNG works, and maps are cached like the JSON.

use std::collections::BTreeSet;

use actix_web::test::TestRequest;
use exercise_api::bodymap::figure::{self, Side, View};
use exercise_api::bodymap::placement::{self, Placement};
use exercise_api::bodymap::{Theme, Views};
use exercise_api::catalogue::Catalogue;
use serde_json::{Value, json};

use super::helpers::{Reply, assert_problem, catalogue, get, request};

const MINIMAL: &str = include_str!("../fixtures/minimal-catalogue.json");

/// The body-map surface shapes of the catalogue v2 contract, by view.
const FRONT: [&str; 26] = [
    "sternocleidomastoid",
    "scalenes",
    "upper-trapezius",
    "anterior-deltoid",
    "lateral-deltoid",
    "pectoralis-major",
    "serratus-anterior",
    "biceps-brachii",
    "brachioradialis",
    "wrist-flexors",
    "rectus-abdominis",
    "external-oblique",
    "tensor-fasciae-latae",
    "iliopsoas",
    "pectineus",
    "sartorius",
    "rectus-femoris",
    "vastus-lateralis",
    "vastus-medialis",
    "adductor-longus",
    "gracilis",
    "tibialis-anterior",
    "fibularis-longus",
    "gastrocnemius",
    "soleus",
    "thenar-muscles",
];
const BACK: [&str; 26] = [
    "splenius-capitis",
    "levator-scapulae",
    "upper-trapezius",
    "middle-trapezius",
    "lower-trapezius",
    "posterior-deltoid",
    "lateral-deltoid",
    "infraspinatus",
    "teres-minor",
    "teres-major",
    "rhomboids",
    "latissimus-dorsi",
    "triceps-brachii",
    "wrist-extensors",
    "erector-spinae",
    "external-oblique",
    "gluteus-maximus",
    "gluteus-medius",
    "biceps-femoris",
    "semitendinosus",
    "semimembranosus",
    "adductor-magnus",
    "gracilis",
    "gastrocnemius",
    "soleus",
    "fibularis-longus",
];

fn text(r: &Reply) -> &str {
    std::str::from_utf8(&r.raw).expect("an SVG is UTF-8")
}

/// Every value of attribute `name` in `svg`, in order.
fn attr_values(svg: &str, name: &str) -> Vec<String> {
    let needle = format!(" {name}=\"");
    svg.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &svg[i + needle.len()..];
            rest[..rest.find('"').unwrap()].to_owned()
        })
        .collect()
}

/// The muscle ids drawn with `role` ("primary" or "secondary").
fn lit(svg: &str, role: &str) -> BTreeSet<String> {
    let marker = format!("\" data-role=\"{role}\"");
    svg.match_indices(&marker)
        .map(|(i, _)| {
            let before = &svg[..i];
            before[before.rfind('"').unwrap() + 1..].to_owned()
        })
        .collect()
}

async fn svg(uri: &str) -> Reply {
    let r = get(uri).await;
    assert_eq!(
        r.status,
        200,
        "GET {uri}: {}",
        String::from_utf8_lossy(&r.raw)
    );
    assert_eq!(r.content_type(), "image/svg+xml", "GET {uri}");
    r
}

async fn png(req: TestRequest, uri: &str) -> Reply {
    let r = request(req).await;
    assert_eq!(r.status, 200, "{uri}: {}", String::from_utf8_lossy(&r.raw));
    assert_eq!(r.content_type(), "image/png", "{uri}");
    assert_eq!(&r.raw[..8], b"\x89PNG\r\n\x1a\n", "{uri}: PNG signature");
    r
}

/// (width, height) from a PNG's IHDR chunk.
fn png_size(raw: &[u8]) -> (u32, u32) {
    assert_eq!(&raw[12..16], b"IHDR");
    let be = |b: &[u8]| u32::from_be_bytes([b[0], b[1], b[2], b[3]]);
    (be(&raw[16..20]), be(&raw[20..24]))
}

fn minimal_with(edit: impl FnOnce(&mut Value)) -> Result<Catalogue, String> {
    let mut doc: Value = serde_json::from_str(MINIMAL).unwrap();
    edit(&mut doc);
    Catalogue::from_bytes(doc.to_string().as_bytes()).map_err(|e| e.to_string())
}

#[test]
fn the_figure_draws_each_surface_shape_of_the_contract_on_both_sides() {
    for (view, expected) in [(View::Front, &FRONT), (View::Back, &BACK)] {
        let drawn: BTreeSet<&str> = figure::shapes()
            .iter()
            .filter(|s| s.view == view && !s.region)
            .map(|s| s.id)
            .collect();
        let expected: BTreeSet<&str> = expected.iter().copied().collect();
        assert_eq!(drawn, expected, "{view:?}");
        for id in expected {
            for side in [Side::Left, Side::Right] {
                let n = figure::shapes()
                    .iter()
                    .filter(|s| s.id == id && s.view == view && s.side == side)
                    .count();
                assert!(n >= 1, "{id} {view:?} {side:?} not drawn");
            }
        }
    }
    for s in figure::shapes() {
        assert!(
            s.d.starts_with('M') && s.d.ends_with('Z'),
            "{} is closed",
            s.id
        );
    }
}

#[test]
fn every_muscle_of_the_catalogue_is_drawn_or_placed_under_a_drawn_shape() {
    let cat = catalogue();
    let mut deep = 0;
    for m in cat.muscles() {
        let id = &m.muscle.id;
        let placed = placement::place(id, &cat);
        assert_ne!(placed, Placement::Unplaced, "{id} is not on the map");
        let shapes = placement::shapes_of(id, &cat);
        assert!(!shapes.is_empty(), "{id} lights up nothing");
        assert!(
            shapes.iter().all(|s| figure::is_drawn(s)),
            "{id}: {shapes:?}"
        );
        if let Placement::Under(under) = placed {
            assert!(!under.is_empty());
            deep += 1;
        }
    }
    assert!(
        deep >= 8,
        "the deep muscles are placed under shapes: {deep}"
    );
    assert_eq!(
        placement::place("gluteus-minimus", &cat),
        Placement::Under(vec!["gluteus-medius"])
    );
    assert_eq!(placement::place("gluteus-medius", &cat), Placement::Drawn);
    let Placement::Members(members) = placement::place("gluteals", &cat) else {
        panic!("a group is placed through its members");
    };
    assert_eq!(
        members,
        ["gluteus-maximus", "gluteus-medius", "gluteus-minimus"]
    );
}

#[test]
fn a_custom_muscle_the_map_cannot_place_fails_validation_with_its_path() {
    let mystery = json!({"id": "mystery-muscle", "kind": "muscle", "name": "Mystery", "common_name": "Mystery",
        "aliases": [], "region": "hip", "groups": ["gluteals"], "description": "Somewhere.", "source": "exercise-api"});
    let err = minimal_with(|d| d["muscles"].as_array_mut().unwrap().push(mystery.clone()))
        .err()
        .expect("an unplaceable muscle is rejected");
    assert!(
        err.contains("muscles[3].map_under: this muscle is not drawn on the body map"),
        "{err}"
    );
    let err = minimal_with(|d| {
        let mut m = mystery.clone();
        m["map_under"] = json!(["gluteus-maximus", "nowhere"]);
        d["muscles"].as_array_mut().unwrap().push(m);
    })
    .err()
    .expect("an unknown shape is rejected");
    assert!(
        err.contains("muscles[3].map_under[1]: \"nowhere\" is not drawn on the body map"),
        "{err}"
    );
    let cat = minimal_with(|d| {
        let mut m = mystery.clone();
        m["map_under"] = json!(["gluteus-maximus"]);
        d["muscles"].as_array_mut().unwrap().push(m);
    })
    .expect("a muscle that says where it lies is accepted");
    assert_eq!(
        placement::place("mystery-muscle", &cat),
        Placement::Under(vec!["gluteus-maximus"])
    );
    // A group with no placeable member is rejected too, at its own path.
    let err = minimal_with(|d| {
        d["muscles"]
            .as_array_mut()
            .unwrap()
            .push(json!({"id": "empty-group", "kind": "group",
            "name": "Empty", "common_name": "Empty", "aliases": [], "region": "hip", "groups": [],
            "description": "Nothing.", "source": "exercise-api"}));
    })
    .err()
    .expect("an empty group is rejected");
    assert!(
        err.contains("muscles[3].map_under: no member of this group"),
        "{err}"
    );
}

#[actix_web::test]
async fn an_exercise_map_highlights_its_targets_by_role_with_a_legend() {
    let r = svg("/v1/exercises/clamshells/map").await;
    let s = text(&r);
    assert!(s.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "));
    assert!(s.contains("role=\"img\""));
    assert!(s.contains("<title id=\"map-title\">Clamshells</title>"));
    let desc = &s[s.find("<desc").unwrap()..s.find("</desc>").unwrap()];
    assert!(desc.contains("Gluteus medius"), "{desc}");
    assert!(
        desc.contains("Gluteus minimus (deep, under Gluteus medius)"),
        "{desc}"
    );
    // Clamshells: primary gluteus medius and minimus; secondary deep rotators and glute max.
    assert_eq!(lit(s, "primary"), BTreeSet::from(["gluteus-medius".into()]));
    assert_eq!(
        lit(s, "secondary"),
        BTreeSet::from(["gluteus-maximus".into()])
    );
    assert!(s.contains(">Gluteus minimus (deep, under Gluteus medius)</text>"));
    assert!(s.contains(">Piriformis (deep, under Gluteus maximus)</text>"));
    // Primary and secondary differ by pattern and outline, not only by colour.
    let primary = &s[s.find("data-role=\"primary\"").unwrap()..][..300];
    assert!(primary.contains("stroke-width=\"1.6\"") && !primary.contains("dasharray"));
    let secondary = &s[s.find("data-role=\"secondary\"").unwrap()..][..300];
    assert!(secondary.contains("fill=\"url(#hatch)\"") && secondary.contains("stroke-dasharray"));
}

#[actix_web::test]
async fn the_ids_in_the_svg_are_the_figures_catalogue_muscle_ids() {
    let cat = catalogue();
    let r = svg("/v1/maps?primary=quadriceps&secondary=core").await;
    let s = text(&r);
    let ids: BTreeSet<String> = attr_values(s, "data-muscle")
        .into_iter()
        .filter(|id| !id.is_empty())
        .collect();
    let drawn: BTreeSet<String> = FRONT.iter().chain(&BACK).map(|s| s.to_string()).collect();
    // Shapes carry exactly the drawn ids (legend lines name the requested ids).
    let shape_ids: BTreeSet<String> = attr_values(s, "class")
        .into_iter()
        .filter(|c| drawn.contains(c))
        .collect();
    assert_eq!(shape_ids, drawn);
    for id in &ids {
        assert!(
            drawn.contains(id) || cat.muscle(id).is_some(),
            "{id} is neither drawn nor a catalogue id"
        );
    }
    for m in cat.muscles() {
        if figure::is_drawn(&m.muscle.id) {
            assert!(ids.contains(&m.muscle.id), "{} drawn", m.muscle.id);
        }
    }
    assert_eq!(
        lit(s, "primary"),
        ["rectus-femoris", "vastus-lateralis", "vastus-medialis"]
            .map(String::from)
            .into()
    );
    assert!(lit(s, "secondary").contains("rectus-abdominis"));
    assert!(lit(s, "secondary").contains("erector-spinae"));
}

#[actix_web::test]
async fn a_group_map_shows_all_its_members() {
    let r = svg("/v1/muscles/gluteals/map").await;
    let s = text(&r);
    assert!(s.contains("<title id=\"map-title\">Gluteal muscles</title>"));
    assert_eq!(
        lit(s, "primary"),
        ["gluteus-maximus", "gluteus-medius"]
            .map(String::from)
            .into()
    );
    for line in [
        ">Gluteal muscles (group of 3)</text>",
        ">Gluteus maximus</text>",
        ">Gluteus medius</text>",
        ">Gluteus minimus (deep, under Gluteus medius)</text>",
    ] {
        assert!(s.contains(line), "legend has {line}");
    }
    let deep = svg("/v1/muscles/piriformis/map").await;
    assert_eq!(
        lit(text(&deep), "primary"),
        ["gluteus-maximus".to_owned()].into()
    );
}

#[actix_web::test]
async fn views_and_themes_change_the_drawing() {
    let both = svg("/v1/exercises/clamshells/map").await;
    assert!(
        text(&both).contains("class=\"view-front\"") && text(&both).contains("class=\"view-back\"")
    );
    let front = svg("/v1/exercises/clamshells/map?view=front").await;
    assert!(!text(&front).contains("class=\"view-back\""));
    let back = svg("/v1/exercises/clamshells/map?view=back&theme=dark").await;
    let b = text(&back);
    assert!(b.contains("class=\"view-back\"") && !b.contains("class=\"view-front\""));
    assert!(b.contains("fill=\"#15171a\""), "dark background");
    assert!(text(&both).contains("fill=\"#ffffff\""), "light background");
    assert_ne!(both.headers.get("etag"), back.headers.get("etag"));
}

#[actix_web::test]
async fn maps_are_safe_self_contained_svg() {
    for uri in [
        "/v1/exercises/clamshells/map",
        "/v1/muscles/core/map?theme=dark",
        "/v1/maps?primary=gluteals&secondary=calf&view=back",
        "/v1/maps",
    ] {
        let r = svg(uri).await;
        let s = text(&r).to_ascii_lowercase();
        for bad in [
            "<script",
            "href",
            "<image",
            "<foreignobject",
            "<style",
            "javascript:",
            "@import",
            "<iframe",
            "<use",
        ] {
            assert!(!s.contains(bad), "{uri} contains {bad}");
        }
        // The only URL is the SVG namespace; the only url() is the local hatch pattern.
        assert_eq!(s.matches("http").count(), 1, "{uri}");
        assert_eq!(
            s.matches("url(").count(),
            s.matches("url(#hatch)").count(),
            "{uri}"
        );
        assert!(!s.contains(" on") || !attr_names(&s).iter().any(|a| a.starts_with("on")));
    }
}

/// Every attribute name used in `svg`.
fn attr_names(svg: &str) -> BTreeSet<String> {
    svg.match_indices("=\"")
        .filter_map(|(i, _)| {
            let before = &svg[..i];
            let start = before.rfind(' ')? + 1;
            Some(before[start..].to_owned())
        })
        .collect()
}

#[test]
fn names_from_custom_catalogues_are_escaped() {
    let hostile = "<script>alert(1)</script> & \"quoted\" 'x'";
    let cat = minimal_with(|d| {
        d["muscles"][1]["name"] = json!(hostile);
        d["exercises"][1]["name"] = json!(format!("<img src=x onerror=alert(1)>{hostile}"));
    })
    .expect("a valid catalogue");
    for svg in [
        exercise_api::bodymap::exercise_map(&cat, "banded-side-step", Views::Both, Theme::Light),
        exercise_api::bodymap::muscle_map(&cat, "gluteus-medius", Views::Back, Theme::Dark),
        exercise_api::bodymap::muscle_map(&cat, "gluteals", Views::Both, Theme::Light),
    ] {
        let svg = svg.expect("known ids");
        assert!(!svg.contains("<script"), "{svg}");
        assert!(!svg.contains("<img"), "{svg}");
        assert!(svg.contains(
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; &apos;x&apos;"
        ));
        assert!(!attr_names(&svg).iter().any(|a| a.starts_with("on")));
    }
}

#[actix_web::test]
async fn png_by_accept_header_or_suffix_with_a_width() {
    let uri = "/v1/exercises/clamshells/map.png";
    let r = png(TestRequest::get().uri(uri), uri).await;
    let (w, h) = png_size(&r.raw);
    assert_eq!(w, 600);
    assert!(
        h > w,
        "both views and the legend are taller than wide: {w}x{h}"
    );
    assert!(
        r.raw.len() > 10_000,
        "a real picture: {} bytes",
        r.raw.len()
    );
    assert!(
        r.headers.get("content-encoding").is_none(),
        "PNG is not re-compressed"
    );
    let uri = "/v1/muscles/gluteals/map?width=96&view=back";
    let small = png(
        TestRequest::get()
            .uri(uri)
            .insert_header(("Accept", "image/png")),
        uri,
    )
    .await;
    assert_eq!(png_size(&small.raw).0, 96);
    let uri = "/v1/maps?primary=gluteus-medius&width=2048";
    let big = png(
        TestRequest::get()
            .uri(uri)
            .insert_header(("Accept", "image/png,image/svg+xml;q=0.9")),
        uri,
    )
    .await;
    assert_eq!(png_size(&big.raw).0, 2048);
    // SVG wins a tie, and is the default.
    let r = request(
        TestRequest::get()
            .uri("/v1/maps")
            .insert_header(("Accept", "image/svg+xml, image/png")),
    )
    .await;
    assert_eq!(r.content_type(), "image/svg+xml");
    let r = get("/v1/muscles/gluteals/map.svg").await;
    assert_eq!(r.content_type(), "image/svg+xml");
}

#[actix_web::test]
async fn maps_have_strong_etags_304_and_compression() {
    for uri in [
        "/v1/exercises/clamshells/map",
        "/v1/muscles/gluteals/map.png",
        "/v1/maps?primary=calf",
    ] {
        let r = get(uri).await;
        assert_eq!(r.status, 200, "{uri}");
        let etag = r.headers.get("etag").unwrap().to_str().unwrap().to_owned();
        assert!(
            etag.starts_with('"') && !etag.starts_with("W/"),
            "{uri}: strong {etag}"
        );
        assert_eq!(
            r.headers.get("vary").unwrap(),
            "Accept, Accept-Encoding, Accept-Language"
        );
        assert!(r.headers.get("x-catalogue-version").is_some());
        let again = get(uri).await;
        assert_eq!(
            again.headers.get("etag").unwrap(),
            etag.as_str(),
            "{uri}: stable"
        );
        assert_eq!(
            again.content_type(),
            r.content_type(),
            "{uri}: a repeat is still an image"
        );
        assert_eq!(again.raw, r.raw, "{uri}: same bytes");
        let head = request(
            TestRequest::default()
                .method(actix_web::http::Method::HEAD)
                .uri(uri),
        )
        .await;
        assert_eq!(head.content_type(), r.content_type(), "{uri}: HEAD");
        let not_modified = request(
            TestRequest::get()
                .uri(uri)
                .insert_header(("If-None-Match", etag.clone())),
        )
        .await;
        assert_eq!(not_modified.status, 304, "{uri}");
        assert!(not_modified.raw.is_empty());
    }
    let gz = request(
        TestRequest::get()
            .uri("/v1/exercises/clamshells/map")
            .insert_header(("Accept-Encoding", "gzip")),
    )
    .await;
    assert_eq!(gz.headers.get("content-encoding").unwrap(), "gzip");
    assert!(
        gz.headers
            .get("etag")
            .unwrap()
            .to_str()
            .unwrap()
            .ends_with("-gzip\"")
    );
    let plain = get("/v1/exercises/clamshells/map").await;
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&gz.raw[..]), &mut out).unwrap();
    assert_eq!(out, plain.raw);
    assert!(gz.raw.len() * 3 < plain.raw.len(), "SVG compresses well");
}

#[actix_web::test]
async fn unknown_ids_and_bad_values_are_problems() {
    let r = get("/v1/exercises/clamshel/map").await;
    assert!(
        assert_problem(&r, 404)["detail"]
            .as_str()
            .unwrap()
            .contains("clamshells")
    );
    assert_problem(&get("/v1/muscles/glute-meed/map.png").await, 404);
    assert_problem(&get("/v1/exercises/clamshells/map.gif").await, 404);
    let r = get("/v1/maps?primary=glute-meed&secondary=gluteals").await;
    let body = assert_problem(&r, 400);
    assert_eq!(body["errors"][0]["parameter"], "primary");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("gluteus-medius")
    );
    for (uri, param) in [
        ("/v1/maps?view=side", "view"),
        ("/v1/exercises/clamshells/map?theme=pink", "theme"),
        ("/v1/muscles/gluteals/map?width=95", "width"),
        ("/v1/exercises/clamshells/map.png?width=4000", "width"),
        ("/v1/maps?primary=calf&colour=red", "colour"),
    ] {
        let r = get(uri).await;
        assert_eq!(
            assert_problem(&r, 400)["errors"][0]["parameter"],
            param,
            "{uri}"
        );
    }
}

#[actix_web::test]
async fn a_combined_map_counts_an_id_in_both_lists_as_primary() {
    let r =
        svg("/v1/maps?primary=gluteus-medius&secondary=gluteus-medius,hamstrings&view=back").await;
    let s = text(&r);
    assert_eq!(lit(s, "primary"), ["gluteus-medius".to_owned()].into());
    assert_eq!(
        lit(s, "secondary"),
        ["biceps-femoris", "semimembranosus", "semitendinosus"]
            .map(String::from)
            .into()
    );
    assert_eq!(
        s.matches(">Gluteus medius</text>").count(),
        1,
        "listed once"
    );
    assert!(s.contains("<title id=\"map-title\">Muscles worked</title>"));
}

#[actix_web::test]
async fn titles_and_legends_follow_the_language() {
    for (lang, front, key, title) in [
        (
            "es",
            ">Delante<",
            ">Objetivo principal<",
            "<title id=\"map-title\">Almeja",
        ),
        (
            "de",
            ">Vorderseite<",
            ">Hauptziel<",
            "<title id=\"map-title\">",
        ),
    ] {
        let r = get(&format!("/v1/exercises/clamshells/map?lang={lang}")).await;
        assert_eq!(r.status, 200, "{lang}");
        let svg = String::from_utf8_lossy(&r.raw).into_owned();
        for want in [front, key, title] {
            assert!(svg.contains(want), "{lang}: {want} in the map");
        }
        assert!(!svg.contains(">Primary target<"), "{lang}: no English key");
        assert_eq!(r.headers.get("content-language").unwrap(), lang, "{lang}");
    }
    let r = get("/v1/maps?primary=quadriceps&lang=de").await;
    assert!(String::from_utf8_lossy(&r.raw).contains("Beanspruchte Muskeln"));
}

#[actix_web::test]
async fn the_memo_replays_maps_by_path_with_their_own_type() {
    // One App (one memo): `map.svg` and `map.png` answers are memoized by their target and
    // replayed with their image type; a `/map` answer depends on `Accept` and is not replayed.
    let app =
        actix_web::test::init_service(exercise_api::startup::app_with(super::helpers::shared()))
            .await;
    let call = |uri: &'static str, headers: &'static [(&'static str, &'static str)]| {
        let mut req = TestRequest::get().uri(uri);
        for h in headers {
            req = req.insert_header(*h);
        }
        let app = &app;
        async move {
            let res = actix_web::test::call_service(app, req.to_request()).await;
            let field = |name: &str| {
                res.headers()
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned()
            };
            let (ct, ce) = (field("content-type"), field("content-encoding"));
            (ct, ce, actix_web::test::read_body(res).await.to_vec())
        }
    };
    let svg = "/v1/exercises/clamshells/map.svg";
    let first = call(svg, &[]).await;
    assert_eq!(first.0, "image/svg+xml");
    assert!(first.2.starts_with(b"<svg") || first.2.starts_with(b"<?xml"));
    for _ in 0..2 {
        let again = call(svg, &[]).await;
        assert_eq!(again, first, "replayed with the same type and bytes");
    }
    let br = call(svg, &[("Accept-Encoding", "br")]).await;
    assert_eq!((br.0.as_str(), br.1.as_str()), ("image/svg+xml", "br"));

    let png = "/v1/exercises/clamshells/map.png";
    for _ in 0..2 {
        let r = call(png, &[("Accept-Encoding", "gzip, br")]).await;
        assert_eq!(r.0, "image/png");
        assert_eq!(r.1, "", "a PNG is not compressed again");
        assert!(r.2.starts_with(b"\x89PNG"));
    }

    let negotiated = "/v1/exercises/clamshells/map";
    assert_eq!(call(negotiated, &[]).await.0, "image/svg+xml");
    let r = call(negotiated, &[("Accept", "image/png")]).await;
    assert_eq!(
        r.0, "image/png",
        "not the SVG answered to the same target before"
    );
    assert_eq!(call(negotiated, &[]).await.0, "image/svg+xml");
}
