//! Parsing and validating a catalogue document: every problem is reported with its path, all
//! at once, so an author can fix a file in one pass.

use std::collections::BTreeMap;
use std::fmt::{self, Display};

// Fast, randomly seeded hashing: validation hashes every id and reference of the catalogue.
use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};

use serde::de::DeserializeOwned;
use serde_json::value::RawValue;

use super::model::{CatalogueDocument, Dose, MuscleKind};
use super::text::{suggest, suggestions};

/// One thing wrong with a catalogue file, at a JSON path such as `exercises[3].targets.primary[1]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Every problem found in a catalogue; never empty.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct CatalogueErrors(pub Vec<Problem>);

impl fmt::Display for CatalogueErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(
            f,
            "the catalogue has {n} problem{}:",
            if n == 1 { "" } else { "s" }
        )?;
        for p in &self.0 {
            writeln!(f, "  {p}")?;
        }
        Ok(())
    }
}

const COLLECTIONS: [&str; 6] = [
    "sources",
    "equipment",
    "muscles",
    "exercises",
    "routines",
    "conditions",
];

/// Dose limits, inclusive.
pub const SETS: (u32, u32) = (1, 10);
pub const REPS: (u32, u32) = (1, 100);
pub const HOLD_SECONDS: (u32, u32) = (1, 600);
pub const DURATION_SECONDS: (u32, u32) = (1, 1800);
pub const REST_SECONDS: (u32, u32) = (0, 600);

/// Parses and validates a catalogue document.
///
/// Each entry is deserialized from its own slice of the input (no tree of the whole document
/// is built), so a large catalogue costs little more than its typed form.
pub fn parse(bytes: &[u8]) -> Result<CatalogueDocument, CatalogueErrors> {
    let fail = |message: String| {
        CatalogueErrors(vec![Problem {
            path: String::new(),
            message,
        }])
    };
    super::guard::check_raw(bytes)?;
    let text =
        std::str::from_utf8(bytes).map_err(|e| fail(format!("not valid JSON: not UTF-8 ({e})")))?;
    let mut top: BTreeMap<String, TopValue> = serde_json::from_str(text).map_err(|e| {
        if e.is_data() {
            fail("the document must be a JSON object".into())
        } else {
            fail(format!("not valid JSON: {e}"))
        }
    })?;
    let mut problems = Vec::new();
    for key in top.keys() {
        if key != "$schema" && !COLLECTIONS.contains(&key.as_str()) {
            let hint = suggest(key, COLLECTIONS.iter().copied())
                .map(|s| format!(" (did you mean \"{s}\"?)"))
                .unwrap_or_default();
            problems.push(Problem {
                path: key.clone(),
                message: format!(
                    "unknown field{hint}; the fields are {}",
                    COLLECTIONS.join(", ")
                ),
            });
        }
    }
    let schema = match top.remove("$schema") {
        None => None,
        Some(TopValue::String(s)) => Some(s),
        Some(_) => {
            problems.push(Problem {
                path: "$schema".into(),
                message: "must be a string".into(),
            });
            None
        }
    };
    let mut take = |name: &'static str, problems: &mut Vec<Problem>| -> Vec<&RawValue> {
        match top.remove(name) {
            Some(TopValue::Array(items)) => items,
            Some(_) => {
                problems.push(Problem {
                    path: name.into(),
                    message: "must be an array".into(),
                });
                Vec::new()
            }
            None => {
                problems.push(Problem {
                    path: name.into(),
                    message: "is missing (an empty array is allowed)".into(),
                });
                Vec::new()
            }
        }
    };
    let sources = take("sources", &mut problems);
    let equipment = take("equipment", &mut problems);
    let muscles = take("muscles", &mut problems);
    let exercises = take("exercises", &mut problems);
    let routines = take("routines", &mut problems);
    let conditions = take("conditions", &mut problems);
    // Ids of entries that failed to parse still count as known, so one bad entry does not
    // cascade into "unknown id" reports everywhere it is referenced.
    let mut raw_ids: HashMap<&'static str, HashSet<String>> = HashMap::new();
    let doc = CatalogueDocument {
        schema,
        sources: entries("sources", sources, &mut problems, &mut raw_ids),
        equipment: entries("equipment", equipment, &mut problems, &mut raw_ids),
        muscles: entries("muscles", muscles, &mut problems, &mut raw_ids),
        exercises: entries("exercises", exercises, &mut problems, &mut raw_ids),
        routines: entries("routines", routines, &mut problems, &mut raw_ids),
        conditions: entries("conditions", conditions, &mut problems, &mut raw_ids),
    };
    let unparsed = problems.len();
    validate(&doc, &raw_ids, &mut problems);
    problems.extend(super::guard::document(&doc));
    if problems.is_empty() {
        Ok(doc)
    } else {
        // Structural problems first, then the rest in document order.
        problems[unparsed..].sort_by_key(|p| path_key(&p.path));
        Err(CatalogueErrors(problems))
    }
}

/// A member of the document's top level: an array's elements, each left unparsed (so the whole
/// file is scanned once here), a string, or anything else.
enum TopValue<'a> {
    Array(Vec<&'a RawValue>),
    String(String),
    Other,
}

impl<'de> serde::Deserialize<'de> for TopValue<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = TopValue<'de>;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("any JSON value")
            }

            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<Self::Value, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
                while let Some(item) = seq.next_element::<&'de RawValue>()? {
                    items.push(item);
                }
                Ok(TopValue::Array(items))
            }

            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(TopValue::String(v.to_owned()))
            }

            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                while map
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(TopValue::Other)
            }

            fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
                Ok(TopValue::Other)
            }

            fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
                Ok(TopValue::Other)
            }

            fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
                Ok(TopValue::Other)
            }

            fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
                Ok(TopValue::Other)
            }

            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(TopValue::Other)
            }
        }
        deserializer.deserialize_any(Visit)
    }
}

/// Sort key that orders `x[10]` after `x[9]`.
fn path_key(path: &str) -> Vec<Result<u64, String>> {
    path.split(['[', ']', '.'])
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<u64>().map_err(|_| s.to_owned()))
        .collect()
}

/// Deserializes each entry on its own so that every broken entry is reported; the ids of
/// broken entries go to `raw_ids`.
fn entries<T: DeserializeOwned>(
    name: &'static str,
    items: Vec<&RawValue>,
    problems: &mut Vec<Problem>,
    raw_ids: &mut HashMap<&'static str, HashSet<String>>,
) -> Vec<T> {
    #[derive(serde::Deserialize)]
    struct IdOnly {
        id: String,
    }
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        // Most entries are valid: parse them plainly, and only a failed one again, tracking
        // the path to report.
        if let Ok(v) = serde_json::from_str::<T>(item.get()) {
            out.push(v);
            continue;
        }
        let mut de = serde_json::Deserializer::from_str(item.get());
        match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Ok(v) => out.push(v),
            Err(e) => {
                if let Ok(IdOnly { id }) = serde_json::from_str(item.get()) {
                    raw_ids.entry(name).or_default().insert(id);
                }
                let inner = e.path().to_string();
                let path = if inner == "." || inner.is_empty() {
                    format!("{name}[{i}]")
                } else {
                    format!("{name}[{i}].{inner}")
                };
                // Positions would be relative to the entry, not the file: the path says where.
                let message = e.into_inner().to_string();
                let message = match message.rfind(" at line ") {
                    Some(at) => message[..at].to_owned(),
                    None => message,
                };
                problems.push(Problem { path, message });
            }
        }
    }
    out
}

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
        if d.reps.is_none() && d.hold_seconds.is_none() && d.duration_seconds.is_none() {
            self.push(
                &path,
                "needs at least one of reps, hold_seconds, duration_seconds",
            );
        }
        self.opt_text(format_args!("{path}.note"), &d.note);
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

/// Aliases must not collide with another entry's id or alias in the same collection.
fn aliases<'a>(
    c: &mut Checker,
    name: &str,
    entries: impl Iterator<Item = (&'a str, &'a [String])>,
) {
    let entries: Vec<_> = entries.collect();
    // normalized key → (entry, whether the key is an alias rather than the id)
    let mut owner: HashMap<String, (usize, bool)> = HashMap::new();
    for (i, (id, _)) in entries.iter().enumerate() {
        owner.insert(super::text::normalize(id), (i, false));
    }
    for (i, (_, aliases)) in entries.iter().enumerate() {
        for (k, alias) in aliases.iter().enumerate() {
            let list = format_args!("{name}[{i}].aliases");
            let path = At(&list, k);
            let key = super::text::normalize(alias);
            if key.is_empty() {
                c.push(path, "must contain a letter or digit");
                continue;
            }
            match owner.get(&key) {
                Some(&(j, is_alias)) if j != i => {
                    let what = if is_alias { "an alias" } else { "the id" };
                    c.push(
                        path,
                        format!("alias \"{alias}\" collides with {what} of {name}[{j}]"),
                    );
                }
                Some(_) => {}
                None => {
                    owner.insert(key, (i, true));
                }
            }
        }
    }
}

fn validate(
    doc: &CatalogueDocument,
    raw: &HashMap<&'static str, HashSet<String>>,
    problems: &mut Vec<Problem>,
) {
    let mut c = Checker { problems };
    let sources = ids(
        &mut c,
        "sources",
        doc.sources.iter().map(|s| s.id.as_str()),
        raw.get("sources"),
    );
    let equipment = ids(
        &mut c,
        "equipment",
        doc.equipment.iter().map(|e| e.id.as_str()),
        raw.get("equipment"),
    );
    let muscles = ids(
        &mut c,
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
        &mut c,
        "exercises",
        doc.exercises.iter().map(|e| e.id.as_str()),
        raw.get("exercises"),
    );
    let _ = ids(
        &mut c,
        "routines",
        doc.routines.iter().map(|r| r.id.as_str()),
        raw.get("routines"),
    );
    let conditions = ids(
        &mut c,
        "conditions",
        doc.conditions.iter().map(|e| e.id.as_str()),
        raw.get("conditions"),
    );
    let groups = Ids {
        set: doc
            .muscles
            .iter()
            .filter(|m| m.kind == MuscleKind::Group)
            .map(|m| m.id.clone())
            .collect(),
        ..Ids::default()
    }
    .with_names(
        doc.muscles
            .iter()
            .filter(|m| m.kind == MuscleKind::Group)
            .map(|m| {
                let mut names = vec![m.id.as_str(), m.name.as_str(), m.common_name.as_str()];
                names.extend(m.aliases.iter().map(String::as_str));
                (m.id.as_str(), names)
            }),
    );

    for (i, s) in doc.sources.iter().enumerate() {
        let p = At(&"sources", i);
        c.text(format_args!("{p}.name"), &s.name);
        c.text(format_args!("{p}.usage"), &s.usage);
        if !(s.url.starts_with("https://") || s.url.starts_with("http://"))
            || s.url.contains(char::is_whitespace)
        {
            c.push(
                format_args!("{p}.url"),
                format!("\"{}\" is not an http(s) URL", s.url),
            );
        }
    }
    for (i, e) in doc.equipment.iter().enumerate() {
        c.text(format_args!("equipment[{i}].name"), &e.name);
        c.text(format_args!("equipment[{i}].description"), &e.description);
    }
    for (i, m) in doc.muscles.iter().enumerate() {
        let p = At(&"muscles", i);
        c.text(format_args!("{p}.name"), &m.name);
        c.text(format_args!("{p}.common_name"), &m.common_name);
        c.text(format_args!("{p}.description"), &m.description);
        c.refs(
            format_args!("{p}.groups"),
            &m.groups,
            "muscle group",
            &groups,
            false,
        );
        if m.groups.contains(&m.id) {
            c.push(format_args!("{p}.groups"), "a group cannot contain itself");
        }
        c.reference(format_args!("{p}.source"), &m.source, "source", &sources);
    }
    aliases(
        &mut c,
        "muscles",
        doc.muscles
            .iter()
            .map(|m| (m.id.as_str(), m.aliases.as_slice())),
    );
    for g in &groups.set {
        if !doc.muscles.iter().any(|m| m.groups.contains(g)) {
            let i = doc
                .muscles
                .iter()
                .position(|m| &m.id == g)
                .unwrap_or_default();
            c.push(
                format!("muscles[{i}]"),
                format!("group \"{g}\" has no members"),
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

    for (i, e) in doc.exercises.iter().enumerate() {
        let p = At(&"exercises", i);
        c.text(format_args!("{p}.name"), &e.name);
        c.texts(format_args!("{p}.aliases"), &e.aliases, false);
        c.text(format_args!("{p}.targets.summary"), &e.targets.summary);
        c.refs(
            format_args!("{p}.targets.primary"),
            &e.targets.primary,
            "muscle",
            &muscles,
            true,
        );
        c.refs(
            format_args!("{p}.targets.secondary"),
            &e.targets.secondary,
            "muscle",
            &muscles,
            false,
        );
        for (k, m) in e.targets.secondary.iter().enumerate() {
            if e.targets.primary.contains(m) {
                c.push(
                    format_args!("{p}.targets.secondary[{k}]"),
                    format!("\"{m}\" is already a primary target"),
                );
            }
        }
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
            &equipment,
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
            &conditions,
            false,
        );
        c.refs(
            format_args!("{p}.progressions"),
            &e.progressions,
            "exercise",
            &exercises,
            false,
        );
        c.refs(
            format_args!("{p}.regressions"),
            &e.regressions,
            "exercise",
            &exercises,
            false,
        );
        for (field, list) in [
            ("progressions", &e.progressions),
            ("regressions", &e.regressions),
        ] {
            if list.contains(&e.id) {
                c.push(
                    format_args!("{p}.{field}"),
                    "an exercise cannot progress or regress to itself",
                );
            }
        }
        c.texts(format_args!("{p}.cautions"), &e.cautions, false);
        c.reference(format_args!("{p}.source"), &e.source, "source", &sources);
        c.opt_text(format_args!("{p}.attribution"), &e.attribution);
    }
    aliases(
        &mut c,
        "exercises",
        doc.exercises
            .iter()
            .map(|e| (e.id.as_str(), e.aliases.as_slice())),
    );
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

    for (i, r) in doc.routines.iter().enumerate() {
        let p = At(&"routines", i);
        c.text(format_args!("{p}.name"), &r.name);
        c.text(format_args!("{p}.purpose"), &r.purpose);
        c.text(format_args!("{p}.description"), &r.description);
        c.refs(
            format_args!("{p}.conditions"),
            &r.conditions,
            "condition",
            &conditions,
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
                &exercises,
            );
            if let Some(d) = &item.dose {
                c.dose(format_args!("{ip}.dose"), d);
            }
            c.opt_text(format_args!("{ip}.note"), &item.note);
        }
        c.reference(format_args!("{p}.source"), &r.source, "source", &sources);
    }
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
        c.reference(format_args!("{p}.source"), &cond.source, "source", &sources);
    }
    aliases(
        &mut c,
        "conditions",
        doc.conditions
            .iter()
            .map(|e| (e.id.as_str(), e.aliases.as_slice())),
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
    fn cycles_are_found_and_dags_pass() {
        let dag = vec![(0, vec![1, 2]), (1, vec![2]), (2, vec![])];
        assert!(cycles(&dag).is_empty());
        let cyclic = vec![(0, vec![1]), (1, vec![2]), (2, vec![0])];
        assert_eq!(cycles(&cyclic), vec![vec![0, 1, 2, 0]]);
    }

    #[test]
    fn path_keys_sort_numerically() {
        let mut paths = vec!["x[10].a", "x[9].b", "x[9].a"];
        paths.sort_by_key(|p| path_key(p));
        assert_eq!(paths, vec!["x[9].a", "x[9].b", "x[10].a"]);
    }
}
