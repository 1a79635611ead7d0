//! Body maps: an original anatomical figure, front and back, with the muscles an exercise
//! works (or any muscles asked for) highlighted. Pure code, no HTTP: `figure` is the drawing,
//! `placement` says where each catalogue muscle appears, `render` writes SVG and `png`
//! rasterises it.

pub mod figure;
pub mod placement;
pub mod png;
pub mod render;
pub mod words;

pub use render::{Entry, MapRequest, Role, Theme, Views, render_svg};

use crate::catalogue::Catalogue;
use crate::catalogue::model::MuscleKind;
use placement::Placement;

/// The display name of muscle `id`: the catalogue's, else the figure's, else the id.
fn name_of(id: &str, cat: &Catalogue) -> String {
    cat.muscle(id)
        .map(|m| m.muscle.name.clone())
        .or_else(|| figure::drawn_name(id).map(str::to_owned))
        .unwrap_or_else(|| id.to_owned())
}

/// "deep, under Gluteus medius", or "deep, in the foot" for a region, in the catalogue's
/// language.
fn deep_note(shapes: &[&'static str], cat: &Catalogue) -> String {
    let w = words::for_language(cat.language());
    let (regions, muscles): (Vec<&str>, Vec<&str>) =
        shapes.iter().partition(|s| figure::REGIONS.contains(s));
    let mut parts = Vec::new();
    if !muscles.is_empty() {
        let names: Vec<String> = muscles.iter().map(|s| name_of(s, cat)).collect();
        parts.push(words::fill(w.deep_under, &names.join(w.and)));
    }
    for r in regions {
        parts.push(words::fill(w.deep_in, &name_of(r, cat).to_lowercase()));
    }
    parts.join(", ")
}

/// A legend entry for `id` in `role`, followed by one indented entry per member for a group.
fn entries_for(id: &str, role: Role, cat: &Catalogue, out: &mut Vec<Entry>) {
    let entry = |id: &str, note: Option<String>, indent: bool| Entry {
        id: id.to_owned(),
        name: name_of(id, cat),
        role,
        note,
        shapes: placement::shapes_of(id, cat),
        indent,
    };
    match placement::place(id, cat) {
        Placement::Drawn => out.push(entry(id, None, false)),
        Placement::Under(shapes) => out.push(entry(id, Some(deep_note(&shapes, cat)), false)),
        Placement::Members(members) => {
            let is_group = cat
                .muscle(id)
                .is_some_and(|m| m.muscle.kind == MuscleKind::Group);
            let w = words::for_language(cat.language());
            let note = is_group.then(|| words::fill(w.group_of, &members.len().to_string()));
            out.push(entry(id, note, false));
            for m in members {
                let note = match placement::place(&m, cat) {
                    Placement::Under(shapes) => Some(deep_note(&shapes, cat)),
                    _ => None,
                };
                out.push(entry(&m, note, true));
            }
        }
        Placement::Unplaced => out.push(entry(
            id,
            Some(words::for_language(cat.language()).not_on_map.to_owned()),
            false,
        )),
    }
}

/// The map of `primary` and `secondary` muscle ids of `cat` (an id in both counts as primary;
/// repeats are dropped), titled `title`.
pub fn request(
    cat: &Catalogue,
    title: &str,
    primary: &[String],
    secondary: &[String],
    views: Views,
    theme: Theme,
) -> MapRequest {
    let mut entries = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (list, role) in [(primary, Role::Primary), (secondary, Role::Secondary)] {
        for id in list {
            if seen.contains(&id.as_str()) {
                continue;
            }
            seen.push(id);
            entries_for(id, role, cat, &mut entries);
        }
    }
    MapRequest {
        title: title.to_owned(),
        views,
        theme,
        entries,
        words: words::for_language(cat.language()),
    }
}

/// The map of one exercise's targets.
pub fn exercise_map(
    cat: &Catalogue,
    exercise_id: &str,
    views: Views,
    theme: Theme,
) -> Option<String> {
    let e = &cat.exercise(exercise_id)?.exercise;
    Some(render_svg(&request(
        cat,
        &e.name,
        &e.targets.primary,
        &e.targets.secondary,
        views,
        theme,
    )))
}

/// The map of one muscle or group (a group shows all its members).
pub fn muscle_map(cat: &Catalogue, muscle_id: &str, views: Views, theme: Theme) -> Option<String> {
    let m = &cat.muscle(muscle_id)?.muscle;
    Some(render_svg(&request(
        cat,
        &m.name,
        std::slice::from_ref(&m.id),
        &[],
        views,
        theme,
    )))
}
