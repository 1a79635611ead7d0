//! Validating a parsed catalogue document, in named stages: ids, each collection's fields and
//! references, the muscle graph, progression cycles, and the lookup keys (aliases and former
//! ids) that paths and filters accept. Every problem is reported with its path.

use std::fmt::Display;

// Fast, randomly seeded hashing: validation hashes every id and reference of the catalogue.
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use super::load::Problem;
use super::model::{
    CatalogueDocument, Dose, Exercise, Media, MediaKind, MuscleKind, PainMonitoring,
};
use super::text::suggestions;

/// Dose limits, inclusive.
pub const SETS: (u32, u32) = (1, 10);
pub const REPS: (u32, u32) = (1, 100);
pub const HOLD_SECONDS: (u32, u32) = (1, 600);
pub const DURATION_SECONDS: (u32, u32) = (1, 1800);
pub const REST_SECONDS: (u32, u32) = (0, 600);
pub const TIMES_PER_DAY: (u32, u32) = (1, 10);
pub const DAYS_PER_WEEK: (u32, u32) = (1, 7);
pub const WEEKS: (u32, u32) = (1, 52);
pub const TEMPO_SECONDS: (u32, u32) = (0, 30);
pub const RPE: (u32, u32) = (1, 10);
pub const REPS_IN_RESERVE: (u32, u32) = (0, 10);
/// Pain-monitoring limits.
pub const PAIN_SCORE: (u32, u32) = (0, 10);
pub const SETTLE_HOURS: (u32, u32) = (1, 72);

/// True when `s` is a lowercase slug: `a-z`, `0-9` and single inner hyphens, 2–64 characters.
pub fn is_slug(s: &str) -> bool {
    (2..=64).contains(&s.len())
        && s.split('-').all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

struct Checker<'a> {
    problems: &'a mut Vec<Problem>,
}

/// `{0}[{1}]`: an entry's path, rendered only when a problem is reported (a large catalogue
/// has millions of fields and, with luck, no problems).
#[derive(Clone, Copy)]
struct At<'a>(&'a dyn Display, usize);

impl Display for At<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}[{}]", self.0, self.1)
    }
}

impl Checker<'_> {
    fn push(&mut self, path: impl Display, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.to_string(),
            message: message.into(),
        });
    }

    fn text(&mut self, path: impl Display, s: &str) {
        if s.trim().is_empty() {
            self.push(path, "must not be empty or whitespace only");
        }
    }

    fn texts(&mut self, path: impl Display, items: &[String], non_empty: bool) {
        if non_empty && items.is_empty() {
            self.push(&path, "must be a non-empty list");
        }
        for (i, s) in items.iter().enumerate() {
            self.text(At(&path, i), s);
        }
    }

    fn opt_text(&mut self, path: impl Display, s: &Option<String>) {
        if let Some(s) = s {
            self.text(path, s);
        }
    }

    /// Checks that every id in `refs` names an entry of `known`, once.
    fn refs(
        &mut self,
        path: impl Display,
        refs: &[String],
        what: &str,
        known: &Ids,
        non_empty: bool,
    ) {
        if non_empty && refs.is_empty() {
            self.push(&path, "must be a non-empty list");
        }
        let mut seen = HashSet::with_capacity(refs.len());
        for (i, r) in refs.iter().enumerate() {
            if !seen.insert(r.as_str()) {
                self.push(At(&path, i), format!("\"{r}\" is listed twice"));
            } else {
                self.reference(At(&path, i), r, what, known);
            }
        }
    }

    fn reference(&mut self, path: impl Display, r: &str, what: &str, known: &Ids) {
        if !known.set.contains(r) {
            let hint = suggestions(
                r,
                known
                    .set
                    .iter()
                    .map(|id| (id.as_str(), id.as_str()))
                    .chain(known.keys.iter().map(|(k, id)| (k.as_str(), id.as_str()))),
                1,
            )
            .first()
            .map(|s| format!(" (did you mean \"{s}\"?)"))
            .unwrap_or_default();
            self.push(path, format!("unknown {what} \"{r}\"{hint}"));
        }
    }

    fn range(&mut self, path: impl Display, value: Option<u32>, (min, max): (u32, u32)) {
        if let Some(v) = value
            && !(min..=max).contains(&v)
        {
            self.push(path, format!("{v} is out of range {min}–{max}"));
        }
    }

    fn dose(&mut self, path: impl Display, d: &Dose) {
        self.range(format_args!("{path}.sets"), d.sets, SETS);
        self.range(format_args!("{path}.reps"), d.reps, REPS);
        self.range(
            format_args!("{path}.hold_seconds"),
            d.hold_seconds,
            HOLD_SECONDS,
        );
        self.range(
            format_args!("{path}.duration_seconds"),
            d.duration_seconds,
            DURATION_SECONDS,
        );
        self.range(
            format_args!("{path}.rest_seconds"),
            d.rest_seconds,
            REST_SECONDS,
        );
        self.range(
            format_args!("{path}.times_per_day"),
            d.times_per_day,
            TIMES_PER_DAY,
        );
        self.range(
            format_args!("{path}.days_per_week"),
            d.days_per_week,
            DAYS_PER_WEEK,
        );
        self.range(format_args!("{path}.weeks"), d.weeks, WEEKS);
        if let Some(t) = &d.tempo {
            for (name, v) in [
                ("eccentric", t.eccentric),
                ("pause_bottom", t.pause_bottom),
                ("concentric", t.concentric),
                ("pause_top", t.pause_top),
            ] {
                self.range(format_args!("{path}.tempo.{name}"), Some(v), TEMPO_SECONDS);
            }
            if t.seconds() == 0 {
                self.push(
                    format_args!("{path}.tempo"),
                    "a repetition cannot take 0 seconds",
                );
            }
        }
        if let Some(i) = &d.intensity {
            self.range(format_args!("{path}.intensity.rpe"), i.rpe, RPE);
            self.range(
                format_args!("{path}.intensity.reps_in_reserve"),
                i.reps_in_reserve,
                REPS_IN_RESERVE,
            );
            self.opt_text(format_args!("{path}.intensity.load"), &i.load);
            if i.rpe.is_none() && i.reps_in_reserve.is_none() && i.load.is_none() {
                self.push(
                    format_args!("{path}.intensity"),
                    "needs at least one of rpe, reps_in_reserve, load",
                );
            }
        }
        self.opt_text(format_args!("{path}.note"), &d.note);
        let has_work = d.reps.is_some() || d.hold_seconds.is_some() || d.duration_seconds.is_some();
        if d.parts.is_empty() {
            if !has_work {
                self.push(
                    &path,
                    "needs at least one of reps, hold_seconds, duration_seconds (or parts)",
                );
            }
            return;
        }
        if has_work || d.sets.is_some() {
            self.push(
                &path,
                "a dose in parts gives sets, reps, hold_seconds and duration_seconds in each part, not at the top",
            );
        }
        for (k, part) in d.parts.iter().enumerate() {
            let parts = format_args!("{path}.parts");
            let pp = At(&parts, k);
            self.text(format_args!("{pp}.label"), &part.label);
            self.range(format_args!("{pp}.sets"), part.sets, SETS);
            self.range(format_args!("{pp}.reps"), part.reps, REPS);
            self.range(
                format_args!("{pp}.hold_seconds"),
                part.hold_seconds,
                HOLD_SECONDS,
            );
            self.range(
                format_args!("{pp}.duration_seconds"),
                part.duration_seconds,
                DURATION_SECONDS,
            );
            if part.reps.is_none() && part.hold_seconds.is_none() && part.duration_seconds.is_none()
            {
                self.push(
                    pp,
                    "needs at least one of reps, hold_seconds, duration_seconds",
                );
            }
        }
    }

    fn pain_rule(&mut self, path: impl Display, rule: &PainMonitoring) {
        self.range(
            format_args!("{path}.max_pain_during"),
            Some(rule.max_pain_during),
            PAIN_SCORE,
        );
        self.range(
            format_args!("{path}.settles_within_hours"),
            Some(rule.settles_within_hours),
            SETTLE_HOURS,
        );
        self.text(format_args!("{path}.description"), &rule.description);
    }

    fn media(&mut self, path: impl Display, items: &[Media]) {
        for (k, item) in items.iter().enumerate() {
            let p = At(&path, k);
            self.url(format_args!("{p}.url"), &item.url);
            self.text(format_args!("{p}.caption"), &item.caption);
            self.text(format_args!("{p}.licence"), &item.licence);
            self.text(format_args!("{p}.author"), &item.author);
            if let (Some(a), Some(b)) = (item.start_seconds, item.end_seconds)
                && a >= b
            {
                self.push(
                    format_args!("{p}.end_seconds"),
                    format!("{b} must be after start_seconds ({a})"),
                );
            }
            if item.kind == MediaKind::Image
                && (item.start_seconds.is_some() || item.end_seconds.is_some())
            {
                self.push(p, "an image has no start_seconds or end_seconds");
            }
        }
    }

    fn url(&mut self, path: impl Display, url: &str) {
        if !(url.starts_with("https://") || url.starts_with("http://"))
            || url.contains(char::is_whitespace)
        {
            self.push(path, format!("\"{url}\" is not an http(s) URL"));
        }
    }
}

/// The ids of one collection, and the other keys (names, aliases) suggestions are drawn from.
#[derive(Default)]
struct Ids {
    set: HashSet<String>,
    keys: Vec<(String, String)>,
}

impl Ids {
    fn with_names<'a>(mut self, entries: impl Iterator<Item = (&'a str, Vec<&'a str>)>) -> Self {
        for (id, names) in entries {
            self.keys
                .extend(names.into_iter().map(|n| (n.to_owned(), id.to_owned())));
        }
        self
    }
}

/// Checks ids: slug form and uniqueness; returns the set of ids (plus unparsed entries' ids).
fn ids<'a>(
    c: &mut Checker,
    name: &str,
    items: impl Iterator<Item = &'a str>,
    raw: Option<&HashSet<String>>,
) -> Ids {
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (i, id) in items.enumerate() {
        if !is_slug(id) {
            c.push(
                format!("{name}[{i}].id"),
                format!("\"{id}\" is not a slug (lowercase a-z, 0-9 and single hyphens, 2–64 characters)"),
            );
        }
        if let Some(j) = first.get(id) {
            c.push(
                format!("{name}[{i}].id"),
                format!("duplicate id \"{id}\" (also {name}[{j}])"),
            );
        } else {
            first.insert(id, i);
        }
    }
    let mut set: HashSet<String> = first.into_keys().map(str::to_owned).collect();
    if let Some(raw) = raw {
        set.extend(raw.iter().cloned());
    }
    Ids {
        set,
        keys: Vec::new(),
    }
}

/// An entry's lookup keys: its id, its aliases and its former ids. Paths and filters accept
/// any of them in any case, so within a collection each must name one entry only.
struct Keys<'a> {
    id: &'a str,
    aliases: &'a [String],
    former_ids: &'a [String],
}

/// Aliases and former ids must not collide with another entry's id, alias or former id in the
/// same collection (compared normalized, as lookups compare them).
fn lookup_keys<'a>(c: &mut Checker, name: &str, entries: impl Iterator<Item = Keys<'a>>) {
    let entries: Vec<Keys<'a>> = entries.collect();
    // normalized key → (entry, what the key is)
    let mut owner: HashMap<String, (usize, &str)> = HashMap::new();
    for (i, e) in entries.iter().enumerate() {
        owner.insert(super::text::normalize(e.id), (i, "the id"));
    }
    let mut claim = |c: &mut Checker, i: usize, key: String, what: &'static str, path: At| {
        match owner.get(&key) {
            Some(&(j, theirs)) if j != i => {
                c.push(
                    path,
                    format!(
                        "{what} \"{key}\" collides with {theirs} of {name}[{j}] (\"{}\")",
                        entries[j].id
                    ),
                );
            }
            Some(_) => {}
            None => {
                owner.insert(key, (i, what));
            }
        }
    };
    for (i, e) in entries.iter().enumerate() {
        for (k, former) in e.former_ids.iter().enumerate() {
            let list = format_args!("{name}[{i}].former_ids");
            let path = At(&list, k);
            if !is_slug(former) {
                c.push(path, format!("\"{former}\" is not a slug"));
                continue;
            }
            claim(c, i, super::text::normalize(former), "former id", path);
        }
    }
    for (i, e) in entries.iter().enumerate() {
        for (k, alias) in e.aliases.iter().enumerate() {
            let list = format_args!("{name}[{i}].aliases");
            let path = At(&list, k);
            let key = super::text::normalize(alias);
            if key.is_empty() {
                c.push(path, "must contain a letter or digit");
                continue;
            }
            claim(c, i, key, "alias", path);
        }
    }
}

/// The ids every reference is checked against.
struct Known {
    sources: Ids,
    equipment: Ids,
    muscles: Ids,
    groups: Ids,
    exercises: Ids,
    conditions: Ids,
}

/// Validates a parsed document, stage by stage; every problem goes to `problems`.
pub(super) fn validate(
    doc: &CatalogueDocument,
    raw: &HashMap<&'static str, HashSet<String>>,
    problems: &mut Vec<Problem>,
) {
    let mut c = Checker { problems };
    let known = collect_ids(&mut c, doc, raw);
    check_sources(&mut c, doc);
    check_equipment(&mut c, doc);
    check_muscles(&mut c, doc, &known);
    check_muscle_graph(&mut c, doc, &known);
    check_exercises(&mut c, doc, &known);
    check_progression_cycles(&mut c, doc);
    check_routines(&mut c, doc, &known);
    check_conditions(&mut c, doc, &known);
    check_lookup_keys(&mut c, doc);
    if let Some(rule) = &doc.pain_monitoring {
        c.pain_rule("pain_monitoring", rule);
    }
    // Every muscle is drawn on the body map or placed under a drawn one.
    c.problems.extend(crate::bodymap::placement::problems(doc));
}

/// Stage 1: every collection's ids are slugs and unique.
fn collect_ids(
    c: &mut Checker,
    doc: &CatalogueDocument,
    raw: &HashMap<&'static str, HashSet<String>>,
) -> Known {
    let sources = ids(
        c,
        "sources",
        doc.sources.iter().map(|s| s.id.as_str()),
        raw.get("sources"),
    );
    let equipment = ids(
        c,
        "equipment",
        doc.equipment.iter().map(|e| e.id.as_str()),
        raw.get("equipment"),
    );
    let muscles = ids(
        c,
        "muscles",
        doc.muscles.iter().map(|m| m.id.as_str()),
        raw.get("muscles"),
    )
    .with_names(doc.muscles.iter().map(|m| {
        let mut names = vec![m.name.as_str(), m.common_name.as_str()];
        names.extend(m.aliases.iter().map(String::as_str));
        (m.id.as_str(), names)
    }));
    let exercises = ids(
        c,
        "exercises",
        doc.exercises.iter().map(|e| e.id.as_str()),
        raw.get("exercises"),
    );
    let _ = ids(
        c,
        "routines",
        doc.routines.iter().map(|r| r.id.as_str()),
        raw.get("routines"),
    );
    let conditions = ids(
        c,
        "conditions",
        doc.conditions.iter().map(|e| e.id.as_str()),
        raw.get("conditions"),
    );
    let group_entries = || doc.muscles.iter().filter(|m| m.kind == MuscleKind::Group);
    // A muscle entry that failed to parse may have been a group: its id counts as one, so the
    // members naming it are not reported as well (the entry's own problem is).
    let groups = Ids {
        set: group_entries()
            .map(|m| m.id.clone())
            .chain(raw.get("muscles").into_iter().flatten().cloned())
            .collect(),
        ..Ids::default()
    }
    .with_names(group_entries().map(|m| {
        let mut names = vec![m.id.as_str(), m.name.as_str(), m.common_name.as_str()];
        names.extend(m.aliases.iter().map(String::as_str));
        (m.id.as_str(), names)
    }));
    Known {
        sources,
        equipment,
        muscles,
        groups,
        exercises,
        conditions,
    }
}

fn check_sources(c: &mut Checker, doc: &CatalogueDocument) {
    for (i, s) in doc.sources.iter().enumerate() {
        let p = At(&"sources", i);
        c.text(format_args!("{p}.name"), &s.name);
        c.text(format_args!("{p}.usage"), &s.usage);
        c.url(format_args!("{p}.url"), &s.url);
    }
}

fn check_equipment(c: &mut Checker, doc: &CatalogueDocument) {
    for (i, e) in doc.equipment.iter().enumerate() {
        c.text(format_args!("equipment[{i}].name"), &e.name);
        c.text(format_args!("equipment[{i}].description"), &e.description);
    }
}

/// Each muscle's own fields and references.
fn check_muscles(c: &mut Checker, doc: &CatalogueDocument, known: &Known) {
    for (i, m) in doc.muscles.iter().enumerate() {
        let p = At(&"muscles", i);
        c.text(format_args!("{p}.name"), &m.name);
        c.text(format_args!("{p}.common_name"), &m.common_name);
        c.text(format_args!("{p}.description"), &m.description);
        c.refs(
            format_args!("{p}.groups"),
            &m.groups,
            "muscle group",
            &known.groups,
            false,
        );
        if m.groups.contains(&m.id) {
            c.push(format_args!("{p}.groups"), "a group cannot contain itself");
        }
        c.refs(
            format_args!("{p}.map_under"),
            &m.map_under,
            "muscle",
            &known.muscles,
            false,
        );
        if m.fma == Some(0) {
            c.push(format_args!("{p}.fma"), "an FMA id is a positive number");
        }
        if let Some(u) = &m.uberon
            && !is_uberon(u)
        {
            c.push(
                format_args!("{p}.uberon"),
                format!("\"{u}\" is not an UBERON id (UBERON: and seven digits)"),
            );
        }
        c.reference(
            format_args!("{p}.source"),
            &m.source,
            "source",
            &known.sources,
        );
    }
}

/// `UBERON:` followed by seven digits.
fn is_uberon(s: &str) -> bool {
    s.strip_prefix("UBERON:")
        .is_some_and(|d| d.len() == 7 && d.bytes().all(|b| b.is_ascii_digit()))
}

/// Groups have members and membership has no cycles.
fn check_muscle_graph(c: &mut Checker, doc: &CatalogueDocument, known: &Known) {
    let mut has_members: HashSet<&str> = HashSet::new();
    for m in &doc.muscles {
        has_members.extend(m.groups.iter().map(String::as_str));
    }
    for (i, m) in doc.muscles.iter().enumerate() {
        if known.groups.set.contains(&m.id) && !has_members.contains(m.id.as_str()) {
            c.push(
                format!("muscles[{i}]"),
                format!("group \"{}\" has no members", m.id),
            );
        }
    }
    let group_edges: Vec<(usize, Vec<usize>)> = edges(
        doc.muscles
            .iter()
            .map(|m| (m.id.as_str(), m.groups.iter().map(String::as_str).collect())),
    );
    for cycle in cycles(&group_edges) {
        let names: Vec<&str> = cycle.iter().map(|&i| doc.muscles[i].id.as_str()).collect();
        c.push(
            format!("muscles[{}].groups", cycle[0]),
            format!("group membership forms a cycle: {}", names.join(" → ")),
        );
    }
}

/// Each exercise's fields, targets, dose and references.
fn check_exercises(c: &mut Checker, doc: &CatalogueDocument, known: &Known) {
    let ancestors = muscle_ancestors(doc);
    for (i, e) in doc.exercises.iter().enumerate() {
        let p = At(&"exercises", i);
        c.text(format_args!("{p}.name"), &e.name);
        c.texts(format_args!("{p}.aliases"), &e.aliases, false);
        check_targets(c, p, e, known, &ancestors);
        c.text(format_args!("{p}.purpose"), &e.purpose);
        c.text(format_args!("{p}.description"), &e.description);
        c.texts(format_args!("{p}.steps"), &e.steps, true);
        c.text(format_args!("{p}.feel"), &e.feel);
        c.texts(
            format_args!("{p}.common_mistakes"),
            &e.common_mistakes,
            false,
        );
        c.refs(
            format_args!("{p}.equipment"),
            &e.equipment,
            "equipment",
            &known.equipment,
            true,
        );
        if e.equipment.len() > 1 && e.equipment.iter().any(|x| x == "none") {
            c.push(
                format_args!("{p}.equipment"),
                "\"none\" cannot be combined with other equipment",
            );
        }
        c.dose(format_args!("{p}.dose"), &e.dose);
        c.refs(
            format_args!("{p}.conditions"),
            &e.conditions,
            "condition",
            &known.conditions,
            false,
        );
        check_neighbours(c, p, e, known);
        c.texts(format_args!("{p}.cautions"), &e.cautions, false);
        c.texts(
            format_args!("{p}.contraindications"),
            &e.contraindications,
            false,
        );
        c.media(format_args!("{p}.media"), &e.media);
        c.reference(
            format_args!("{p}.source"),
            &e.source,
            "source",
            &known.sources,
        );
        c.opt_text(format_args!("{p}.attribution"), &e.attribution);
    }
}

/// Each muscle or group id with every group that contains it, transitively.
pub(crate) type Ancestors<'a> = HashMap<&'a str, HashSet<&'a str>>;

/// The [`Ancestors`] of `doc`'s muscles (also used by the importers, which must produce
/// targets these rules accept).
pub(crate) fn muscle_ancestors(doc: &CatalogueDocument) -> Ancestors<'_> {
    let parents: HashMap<&str, &[String]> = doc
        .muscles
        .iter()
        .map(|m| (m.id.as_str(), m.groups.as_slice()))
        .collect();
    doc.muscles
        .iter()
        .map(|m| {
            let mut out: HashSet<&str> = HashSet::new();
            let mut stack: Vec<&str> = m.groups.iter().map(String::as_str).collect();
            while let Some(g) = stack.pop() {
                if out.insert(g) {
                    stack.extend(
                        parents
                            .get(g)
                            .into_iter()
                            .flat_map(|l| l.iter().map(String::as_str)),
                    );
                }
            }
            (m.id.as_str(), out)
        })
        .collect()
}

/// Targets: known ids, each muscle once (not also through a group that contains it), and
/// role overrides only for targets of the exercise.
fn check_targets(
    c: &mut Checker,
    p: At,
    e: &Exercise,
    known: &Known,
    ancestors: &HashMap<&str, HashSet<&str>>,
) {
    let t = &e.targets;
    c.text(format_args!("{p}.targets.summary"), &t.summary);
    c.refs(
        format_args!("{p}.targets.primary"),
        &t.primary,
        "muscle",
        &known.muscles,
        true,
    );
    c.refs(
        format_args!("{p}.targets.secondary"),
        &t.secondary,
        "muscle",
        &known.muscles,
        false,
    );
    for (k, m) in t.secondary.iter().enumerate() {
        if t.primary.contains(m) {
            c.push(
                format_args!("{p}.targets.secondary[{k}]"),
                format!("\"{m}\" is already a primary target"),
            );
        }
    }
    let all: Vec<(&str, usize, &str)> = t
        .primary
        .iter()
        .enumerate()
        .map(|(k, m)| ("primary", k, m.as_str()))
        .chain(
            t.secondary
                .iter()
                .enumerate()
                .map(|(k, m)| ("secondary", k, m.as_str())),
        )
        .collect();
    for &(list, k, m) in &all {
        let Some(up) = ancestors.get(m) else { continue };
        if let Some(&(_, _, group)) = all.iter().find(|(_, _, g)| up.contains(g)) {
            c.push(
                format_args!("{p}.targets.{list}[{k}]"),
                format!("\"{m}\" is already a target through its group \"{group}\""),
            );
        }
    }
    for id in t.roles.keys() {
        if !all.iter().any(|(_, _, m)| m == id) {
            c.push(
                format_args!("{p}.targets.roles.{id}"),
                format!("\"{id}\" is not a primary or secondary target of this exercise"),
            );
        }
    }
}

/// Progressions, regressions and variations name other exercises.
fn check_neighbours(c: &mut Checker, p: At, e: &Exercise, known: &Known) {
    for (field, list) in [
        ("progressions", &e.progressions),
        ("regressions", &e.regressions),
        ("variations", &e.variations),
    ] {
        c.refs(
            format_args!("{p}.{field}"),
            list,
            "exercise",
            &known.exercises,
            false,
        );
        if list.contains(&e.id) {
            c.push(
                format_args!("{p}.{field}"),
                "an exercise cannot be its own progression, regression or variation",
            );
        }
    }
    for (k, v) in e.variations.iter().enumerate() {
        if e.progressions.contains(v) || e.regressions.contains(v) {
            c.push(
                format_args!("{p}.variations[{k}]"),
                format!("\"{v}\" is already a progression or regression"),
            );
        }
    }
}

/// Progressions and regressions go one way: easier to harder, never round in a circle.
fn check_progression_cycles(c: &mut Checker, doc: &CatalogueDocument) {
    // A regression of A is an exercise that progresses to A: both become edges easier → harder.
    let index: HashMap<&str, usize> = doc
        .exercises
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_str(), i))
        .collect();
    let mut prog: Vec<(usize, Vec<usize>)> =
        (0..doc.exercises.len()).map(|i| (i, Vec::new())).collect();
    for (i, e) in doc.exercises.iter().enumerate() {
        for p in &e.progressions {
            if let Some(&j) = index.get(p.as_str()) {
                prog[i].1.push(j);
            }
        }
        for r in &e.regressions {
            if let Some(&j) = index.get(r.as_str()) {
                prog[j].1.push(i);
            }
        }
    }
    for cycle in cycles(&prog) {
        let names: Vec<&str> = cycle
            .iter()
            .map(|&i| doc.exercises[i].id.as_str())
            .collect();
        c.push(
            format!("exercises[{}].progressions", cycle[0]),
            format!(
                "progressions and regressions form a cycle: {}",
                names.join(" → ")
            ),
        );
    }
}

fn check_routines(c: &mut Checker, doc: &CatalogueDocument, known: &Known) {
    for (i, r) in doc.routines.iter().enumerate() {
        let p = At(&"routines", i);
        c.text(format_args!("{p}.name"), &r.name);
        c.text(format_args!("{p}.purpose"), &r.purpose);
        c.text(format_args!("{p}.description"), &r.description);
        c.refs(
            format_args!("{p}.conditions"),
            &r.conditions,
            "condition",
            &known.conditions,
            false,
        );
        if r.items.is_empty() {
            c.push(
                format_args!("{p}.items"),
                "a routine needs at least one item",
            );
        }
        for (k, item) in r.items.iter().enumerate() {
            let items = format_args!("{p}.items");
            let ip = At(&items, k);
            c.reference(
                format_args!("{ip}.exercise"),
                &item.exercise,
                "exercise",
                &known.exercises,
            );
            if let Some(d) = &item.dose {
                c.dose(format_args!("{ip}.dose"), d);
            }
            c.opt_text(format_args!("{ip}.note"), &item.note);
        }
        if let Some(rule) = &r.pain_monitoring {
            c.pain_rule(format_args!("{p}.pain_monitoring"), rule);
        }
        c.reference(
            format_args!("{p}.source"),
            &r.source,
            "source",
            &known.sources,
        );
        c.opt_text(format_args!("{p}.attribution"), &r.attribution);
    }
}

fn check_conditions(c: &mut Checker, doc: &CatalogueDocument, known: &Known) {
    for (i, cond) in doc.conditions.iter().enumerate() {
        let p = At(&"conditions", i);
        c.text(format_args!("{p}.name"), &cond.name);
        c.text(format_args!("{p}.description"), &cond.description);
        c.texts(format_args!("{p}.causes"), &cond.causes, true);
        c.texts(
            format_args!("{p}.see_a_professional"),
            &cond.see_a_professional,
            false,
        );
        for (k, stage) in cond.stages.iter().enumerate() {
            c.text(format_args!("{p}.stages[{k}].name"), &stage.name);
            c.text(
                format_args!("{p}.stages[{k}].description"),
                &stage.description,
            );
        }
        c.reference(
            format_args!("{p}.source"),
            &cond.source,
            "source",
            &known.sources,
        );
        c.opt_text(format_args!("{p}.attribution"), &cond.attribution);
    }
}

/// Aliases and former ids, collection by collection.
fn check_lookup_keys(c: &mut Checker, doc: &CatalogueDocument) {
    lookup_keys(
        c,
        "muscles",
        doc.muscles.iter().map(|m| Keys {
            id: &m.id,
            aliases: &m.aliases,
            former_ids: &m.former_ids,
        }),
    );
    lookup_keys(
        c,
        "exercises",
        doc.exercises.iter().map(|e| Keys {
            id: &e.id,
            aliases: &e.aliases,
            former_ids: &e.former_ids,
        }),
    );
    lookup_keys(
        c,
        "routines",
        doc.routines.iter().map(|r| Keys {
            id: &r.id,
            aliases: &[],
            former_ids: &r.former_ids,
        }),
    );
    lookup_keys(
        c,
        "conditions",
        doc.conditions.iter().map(|e| Keys {
            id: &e.id,
            aliases: &e.aliases,
            former_ids: &e.former_ids,
        }),
    );
    lookup_keys(
        c,
        "equipment",
        doc.equipment.iter().map(|e| Keys {
            id: &e.id,
            aliases: &[],
            former_ids: &e.former_ids,
        }),
    );
}

/// Turns (id, referenced ids) pairs into index edges, dropping unknown ids.
fn edges<'a>(nodes: impl Iterator<Item = (&'a str, Vec<&'a str>)>) -> Vec<(usize, Vec<usize>)> {
    let nodes: Vec<_> = nodes.collect();
    let index: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, (id, _))| (*id, i))
        .collect();
    nodes
        .iter()
        .enumerate()
        .map(|(i, (_, to))| (i, to.iter().filter_map(|t| index.get(t).copied()).collect()))
        .collect()
}

/// Finds cycles in a directed graph (one report per strongly connected cycle found by DFS).
fn cycles(graph: &[(usize, Vec<usize>)]) -> Vec<Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    let mut mark = vec![Mark::New; graph.len()];
    let mut found = Vec::new();
    for start in 0..graph.len() {
        if mark[start] != Mark::New {
            continue;
        }
        // Iterative DFS: (node, next edge index); `stack` doubles as the current path.
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        mark[start] = Mark::Active;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&to) = graph[node].1.get(*next) {
                *next += 1;
                match mark[to] {
                    Mark::New => {
                        mark[to] = Mark::Active;
                        stack.push((to, 0));
                    }
                    Mark::Active => {
                        let from = stack.iter().position(|&(n, _)| n == to).unwrap_or(0);
                        let mut cycle: Vec<usize> = stack[from..].iter().map(|&(n, _)| n).collect();
                        cycle.push(to);
                        found.push(cycle);
                    }
                    Mark::Done => {}
                }
            } else {
                mark[node] = Mark::Done;
                stack.pop();
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert!(is_slug("gluteus-medius"));
        assert!(is_slug("a1"));
        for bad in ["", "a", "Glute", "a--b", "-a", "a-", "a_b", "é-b"] {
            assert!(!is_slug(bad), "{bad:?} should not be a slug");
        }
    }

    #[test]
    fn uberon_ids() {
        assert!(is_uberon("UBERON:0001370"));
        for bad in [
            "UBERON:123",
            "uberon:0001370",
            "FMA:22315",
            "UBERON:00013700",
        ] {
            assert!(!is_uberon(bad), "{bad}");
        }
    }

    #[test]
    fn cycles_are_found_and_dags_pass() {
        let dag = vec![(0, vec![1, 2]), (1, vec![2]), (2, vec![])];
        assert!(cycles(&dag).is_empty());
        let cyclic = vec![(0, vec![1]), (1, vec![2]), (2, vec![0])];
        assert_eq!(cycles(&cyclic), vec![vec![0, 1, 2, 0]]);
    }
}
