//! Renders a body map as SVG: the figure in one or both views, the requested muscles
//! highlighted by role, a heading and a legend.
//!
//! Primary targets are filled solid with a thick outline, secondary targets hatched with a
//! dashed outline, so the two differ by more than hue. The output is self-contained (no
//! scripts, no style sheets, no external references; every text escaped) and scales with its
//! `viewBox`.

use std::collections::HashMap;
use std::fmt::Write;

use super::figure::{self, Shape, VIEW_HEIGHT, VIEW_WIDTH, View};

/// How strongly a muscle is worked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Secondary,
    Primary,
}

impl Role {
    fn as_str(self) -> &'static str {
        match self {
            Role::Primary => "primary",
            Role::Secondary => "secondary",
        }
    }
}

/// Which views to draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Views {
    Front,
    Back,
    #[default]
    Both,
}

impl Views {
    fn list(self) -> &'static [View] {
        match self {
            Views::Front => &[View::Front],
            Views::Back => &[View::Back],
            Views::Both => &[View::Front, View::Back],
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "front" => Some(Views::Front),
            "back" => Some(Views::Back),
            "both" => Some(Views::Both),
            _ => None,
        }
    }
}

/// Light or dark colours.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

impl Theme {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }
}

/// One line of the legend: a muscle or group, its role, and the drawn shapes it lights up.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: String,
    /// Display name (escaped when written).
    pub name: String,
    pub role: Role,
    /// Said after the name, in brackets: "deep, under Gluteus medius", "group".
    pub note: Option<String>,
    /// Drawn shape ids highlighted for this entry.
    pub shapes: Vec<&'static str>,
    /// A member listed under its group.
    pub indent: bool,
}

/// Everything a map shows, already resolved against a catalogue.
#[derive(Debug, Clone, Default)]
pub struct MapRequest {
    /// What the map is of: the exercise's or muscle's name (the SVG `<title>`).
    pub title: String,
    /// The fixed words, in the language of the names.
    pub words: &'static super::words::Words,
    pub views: Views,
    pub theme: Theme,
    pub entries: Vec<Entry>,
}

struct Palette {
    background: &'static str,
    text: &'static str,
    muted: &'static str,
    skin: &'static str,
    outline: &'static str,
    detail: &'static str,
    muscle: &'static str,
    muscle_line: &'static str,
    primary: &'static str,
    primary_line: &'static str,
    secondary: &'static str,
    secondary_ground: &'static str,
    secondary_line: &'static str,
}

const LIGHT: Palette = Palette {
    background: "#ffffff",
    text: "#1f1f1f",
    muted: "#5f5f5f",
    skin: "#f4ebe4",
    outline: "#5b4a42",
    detail: "#9c8478",
    muscle: "#e8d2c8",
    muscle_line: "#b08f82",
    primary: "#c62828",
    primary_line: "#5c0b0b",
    secondary: "#e07a10",
    secondary_ground: "#fde7d0",
    secondary_line: "#8a4300",
};

const DARK: Palette = Palette {
    background: "#15171a",
    text: "#ececec",
    muted: "#a9adb3",
    skin: "#2a2e34",
    outline: "#9aa3ad",
    detail: "#6d7580",
    muscle: "#3b4049",
    muscle_line: "#5f6773",
    primary: "#ff6e5e",
    primary_line: "#ffe1dc",
    secondary: "#ffb74d",
    secondary_ground: "#463420",
    secondary_line: "#ffd9a0",
};

impl Theme {
    fn palette(self) -> &'static Palette {
        match self {
            Theme::Light => &LIGHT,
            Theme::Dark => &DARK,
        }
    }
}

// ---- layout ---------------------------------------------------------------------------------

const MARGIN: f32 = 10.0;
const HEADING: f32 = 44.0;
const GAP: f32 = 10.0;
const FONT: f32 = 11.0;
const LINE: f32 = 15.0;
/// Average advance of a character, as a share of the font size (for wrapping).
const CHAR_WIDTH: f32 = 0.56;
const FONTS: &str = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif";

struct Layout {
    width: f32,
    /// Left edge of each view's panel.
    panels: Vec<(View, f32)>,
    legend_top: f32,
}

fn layout(views: Views) -> Layout {
    let list = views.list();
    let figures = list.len() as f32 * VIEW_WIDTH + (list.len() as f32 - 1.0) * GAP;
    // A single view gets room for its legend.
    let width = (figures + 2.0 * MARGIN).max(320.0);
    let left = (width - figures) / 2.0;
    Layout {
        width,
        panels: list
            .iter()
            .enumerate()
            .map(|(i, &v)| (v, left + i as f32 * (VIEW_WIDTH + GAP)))
            .collect(),
        legend_top: HEADING + VIEW_HEIGHT + 6.0,
    }
}

// ---- text -----------------------------------------------------------------------------------

/// `s` with the five XML special characters escaped, and control characters dropped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// `s` broken into lines of at most `max` characters, at spaces where possible.
fn wrap(s: &str, max: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in s.split_whitespace() {
        let len = line.chars().count();
        if len > 0 && len + 1 + word.chars().count() > max {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
        while line.chars().count() > max {
            let head: String = line.chars().take(max).collect();
            line = line.chars().skip(max).collect();
            lines.push(head);
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// The entry as the legend says it: name and note.
fn label(e: &Entry) -> String {
    match &e.note {
        Some(note) => format!("{} ({note})", e.name),
        None => e.name.clone(),
    }
}

/// A sentence for `<desc>`.
fn description(req: &MapRequest) -> String {
    let w = req.words;
    let views = match req.views {
        Views::Front => w.views_front,
        Views::Back => w.views_back,
        Views::Both => w.views_both,
    };
    let list = |role: Role| -> Vec<String> {
        req.entries
            .iter()
            .filter(|e| e.role == role && !e.indent)
            .map(label)
            .collect()
    };
    let (primary, secondary) = (list(Role::Primary), list(Role::Secondary));
    let mut out = super::words::fill(w.body_map_of, views);
    if primary.is_empty() && secondary.is_empty() {
        out.push_str(w.none_highlighted);
    }
    if !primary.is_empty() {
        out.push_str(&super::words::fill(w.primary_sentence, &primary.join("; ")));
    }
    if !secondary.is_empty() {
        out.push_str(&super::words::fill(
            w.secondary_sentence,
            &secondary.join("; "),
        ));
    }
    out
}

// ---- drawing --------------------------------------------------------------------------------

/// The strongest role each drawn shape id is highlighted with.
fn highlights(req: &MapRequest) -> HashMap<&'static str, Role> {
    let mut out: HashMap<&'static str, Role> = HashMap::new();
    for e in &req.entries {
        for &s in &e.shapes {
            let r = out.entry(s).or_insert(e.role);
            *r = (*r).max(e.role);
        }
    }
    out
}

/// The fill and stroke attributes of a role (None: a muscle at rest).
fn paint(p: &Palette, role: Option<Role>) -> String {
    match role {
        None => format!(
            r#"fill="{}" stroke="{}" stroke-width="0.5""#,
            p.muscle, p.muscle_line
        ),
        Some(Role::Primary) => format!(
            r#"fill="{}" stroke="{}" stroke-width="1.6" stroke-linejoin="round""#,
            p.primary, p.primary_line
        ),
        Some(Role::Secondary) => format!(
            r##"fill="url(#hatch)" stroke="{}" stroke-width="1.3" stroke-dasharray="3 1.6" stroke-linejoin="round""##,
            p.secondary_line
        ),
    }
}

fn defs(out: &mut String, p: &Palette) {
    let _ = write!(
        out,
        r#"<defs><pattern id="hatch" patternUnits="userSpaceOnUse" width="4" height="4" patternTransform="rotate(45)"><rect width="4" height="4" fill="{}"/><rect width="1.8" height="4" fill="{}"/></pattern></defs>"#,
        p.secondary_ground, p.secondary
    );
}

/// Shapes of `view` grouped by muscle id, in drawing order.
fn grouped(view: View) -> Vec<(&'static str, Vec<&'static Shape>)> {
    let mut out: Vec<(&'static str, Vec<&'static Shape>)> = Vec::new();
    for s in figure::shapes().iter().filter(|s| s.view == view) {
        match out.iter_mut().find(|(id, _)| *id == s.id) {
            Some((_, list)) => list.push(s),
            None => out.push((s.id, vec![s])),
        }
    }
    out
}

fn view_panel(
    out: &mut String,
    req: &MapRequest,
    lit: &HashMap<&'static str, Role>,
    names: &HashMap<&'static str, String>,
    view: View,
    left: f32,
) {
    let p = req.theme.palette();
    let _ = write!(
        out,
        r#"<g class="view-{v}" transform="translate({left} {HEADING})">"#,
        v = view.as_str()
    );
    panel_labels(out, p, view, req.words);
    let outline = figure::outline_of(view);
    // The body and arms stroked twice as wide, then filled again without a stroke: where an
    // arm overlaps the body the inner strokes are covered, so only the outline of the whole
    // figure shows (1 unit wide).
    let _ = write!(
        out,
        r#"<g class="silhouette" fill="{}"><g stroke="{}" stroke-width="2" stroke-linejoin="round">"#,
        p.skin, p.outline
    );
    for d in &outline.silhouette {
        let _ = write!(out, r#"<path d="{d}"/>"#);
    }
    out.push_str("</g>");
    for d in &outline.silhouette {
        let _ = write!(out, r#"<path d="{d}"/>"#);
    }
    out.push_str("</g>");
    let groups = grouped(view);
    // At rest first, then secondary, then primary: highlighted outlines are never covered.
    for pass in [None, Some(Role::Secondary), Some(Role::Primary)] {
        for (id, shapes) in groups.iter().filter(|(id, _)| lit.get(id).copied() == pass) {
            muscle_group(out, p, names, id, shapes, pass);
        }
    }
    let _ = write!(
        out,
        r#"<g class="landmarks" fill="none" stroke="{}" stroke-width="0.7" stroke-linecap="round">"#,
        p.detail
    );
    for d in &outline.details {
        let _ = write!(out, r#"<path d="{d}"/>"#);
    }
    out.push_str("</g></g>");
}

/// The view's name, and which side of the figure is which.
fn panel_labels(out: &mut String, p: &Palette, view: View, w: &super::words::Words) {
    let (l, r, title) = match view {
        View::Front => (w.right, w.left, w.front),
        View::Back => (w.left, w.right, w.back),
    };
    let _ = write!(
        out,
        r#"<text x="{mid}" y="4" text-anchor="middle" font-size="12" font-weight="bold" fill="{muted}">{title}</text><text x="22" y="40" text-anchor="middle" font-size="11" fill="{muted}">{l}</text><text x="178" y="40" text-anchor="middle" font-size="11" fill="{muted}">{r}</text>"#,
        mid = VIEW_WIDTH / 2.0,
        muted = p.muted
    );
}

/// One muscle's shapes (both sides) in one view, painted for `pass`, with a tooltip title.
fn muscle_group(
    out: &mut String,
    p: &Palette,
    names: &HashMap<&'static str, String>,
    id: &str,
    shapes: &[&Shape],
    pass: Option<Role>,
) {
    let name = names
        .get(id)
        .cloned()
        .unwrap_or_else(|| figure::drawn_name(id).unwrap_or(id).to_owned());
    let role = match pass {
        Some(r) => format!(": {} target", r.as_str()),
        None => String::new(),
    };
    let region = shapes[0].region;
    let kind = if region { "region" } else { "muscle" };
    // A region at rest is plain skin; it only shows when a muscle in it is asked for.
    let paint = match (region, pass) {
        (true, None) => r#"fill="none" stroke="none""#.to_owned(),
        _ => paint(p, pass),
    };
    let data = match pass {
        Some(r) => format!(r#" data-role="{}""#, r.as_str()),
        None => String::new(),
    };
    let _ = write!(
        out,
        r#"<g class="{id}" data-{kind}="{id}"{data} {paint}><title>{name}{role}</title>"#,
        name = escape(&name),
    );
    for s in shapes {
        let _ = write!(
            out,
            r#"<path data-side="{}" d="{}"/>"#,
            s.side.as_str(),
            s.d
        );
    }
    out.push_str("</g>");
}

fn swatch(out: &mut String, p: &Palette, role: Role, x: f32, y: f32) {
    let _ = write!(
        out,
        r#"<rect x="{x}" y="{}" width="16" height="10" rx="1.5" {}/>"#,
        y - 9.0,
        paint(p, Some(role))
    );
}

/// The legend's lines, below the figures; returns the height used.
fn legend(out: &mut String, req: &MapRequest, width: f32, top: f32) -> f32 {
    let p = req.theme.palette();
    let mut y = top + FONT;
    let _ = write!(
        out,
        r#"<g class="legend" font-size="{FONT}" fill="{}">"#,
        p.text
    );
    let key_x = MARGIN + 4.0;
    swatch(out, p, Role::Primary, key_x, y);
    let _ = write!(
        out,
        r#"<text x="{}" y="{y}">{}</text>"#,
        key_x + 22.0,
        req.words.primary_target
    );
    let second_x = key_x + 130.0;
    swatch(out, p, Role::Secondary, second_x, y);
    let _ = write!(
        out,
        r#"<text x="{}" y="{y}">{}</text>"#,
        second_x + 22.0,
        req.words.secondary_target
    );
    y += LINE + 4.0;
    if req.entries.is_empty() {
        let _ = write!(
            out,
            r#"<text x="{key_x}" y="{y}" fill="{}">{}</text>"#,
            p.muted, req.words.no_muscles
        );
        y += LINE;
    }
    for e in &req.entries {
        let x = key_x + if e.indent { 14.0 } else { 0.0 };
        let text_x = x + 22.0;
        let max = ((width - MARGIN - text_x) / (FONT * CHAR_WIDTH)).max(12.0) as usize;
        swatch(out, p, e.role, x, y);
        for (k, line) in wrap(&label(e), max).iter().enumerate() {
            if k > 0 {
                y += LINE - 2.0;
            }
            let _ = write!(
                out,
                r#"<text x="{text_x}" y="{y}" data-muscle="{}">{}</text>"#,
                escape(&e.id),
                escape(line)
            );
        }
        y += LINE;
    }
    out.push_str("</g>");
    y - top
}

fn heading(out: &mut String, req: &MapRequest, width: f32) {
    let p = req.theme.palette();
    let max = ((width - 2.0 * MARGIN) / (15.0 * CHAR_WIDTH)) as usize;
    let mut title = req.title.clone();
    if title.chars().count() > max {
        title = title
            .chars()
            .take(max.saturating_sub(1))
            .collect::<String>()
            + "…";
    }
    let _ = write!(
        out,
        r#"<text x="{}" y="22" text-anchor="middle" font-size="15" font-weight="bold" fill="{}">{}</text>"#,
        width / 2.0,
        p.text,
        escape(&title)
    );
}

/// The map as an SVG document.
pub fn render_svg(req: &MapRequest) -> String {
    let p = req.theme.palette();
    let lay = layout(req.views);
    let lit = highlights(req);
    // Catalogue names of the drawn shapes this map mentions.
    let names: HashMap<&'static str, String> = req
        .entries
        .iter()
        .filter_map(|e| {
            let id = figure::shapes().iter().find(|s| s.id == e.id)?.id;
            Some((id, e.name.clone()))
        })
        .collect();
    let mut body = String::with_capacity(64 * 1024);
    heading(&mut body, req, lay.width);
    for &(view, left) in &lay.panels {
        view_panel(&mut body, req, &lit, &names, view, left);
    }
    let used = legend(&mut body, req, lay.width, lay.legend_top);
    let height = (lay.legend_top + used + MARGIN).ceil();
    let width = lay.width;
    let mut out = String::with_capacity(body.len() + 2048);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" aria-labelledby="map-title map-desc" font-family="{FONTS}">"#
    );
    let _ = write!(
        out,
        r#"<title id="map-title">{}</title><desc id="map-desc">{}</desc>"#,
        escape(&req.title),
        escape(&description(req))
    );
    defs(&mut out, p);
    let _ = write!(
        out,
        r#"<rect class="background" width="{width}" height="{height}" fill="{}"/>"#,
        p.background
    );
    out.push_str(&body);
    out.push_str("</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_handles_markup() {
        assert_eq!(
            escape(r#"<script>"a" & 'b'</script>"#),
            "&lt;script&gt;&quot;a&quot; &amp; &apos;b&apos;&lt;/script&gt;"
        );
    }

    #[test]
    fn wrap_breaks_at_spaces_and_long_words() {
        assert_eq!(wrap("a bb ccc", 4), vec!["a bb", "ccc"]);
        assert_eq!(wrap("abcdefgh", 3), vec!["abc", "def", "gh"]);
        assert_eq!(wrap("", 3), vec![""]);
    }
}
