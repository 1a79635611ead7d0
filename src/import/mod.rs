//! Importers: turn other projects' exercise data into catalogue documents that the validator
//! accepts and that layer over the embedded catalogue without clashing. One file per source;
//! the vocabulary tables are in `mapping.rs`.
//!
//! An imported document carries the embedded catalogue's muscles (the targets' graph) and the
//! equipment its exercises use, so it is valid on its own; layered over the embedded catalogue
//! those entries are identical and change nothing.

pub mod free_exercise_db;
pub mod mapping;
pub mod wger;

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;

use crate::catalogue::index::EMBEDDED;
use crate::catalogue::load::is_slug;
use crate::catalogue::model::{CatalogueDocument, Equipment, Exercise, Source};
use crate::catalogue::text::normalize;
use crate::catalogue::validate::Ancestors;

/// Why an import failed: the input cannot be read as the source's format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError(pub String);

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ImportError {}

/// What an import could not map, by kind and value, with how often each occurred.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// (kind, value) → count, e.g. ("muscle", "forearm") → 3.
    pub unmapped: BTreeMap<(String, String), usize>,
    /// Notes with counts, e.g. "ids suffixed to avoid the embedded catalogue" → 2.
    pub notes: BTreeMap<String, usize>,
}

impl Report {
    pub fn unmapped(&mut self, kind: &str, value: &str) {
        *self
            .unmapped
            .entry((kind.to_owned(), value.to_owned()))
            .or_default() += 1;
    }

    pub fn note(&mut self, what: &str) {
        *self.notes.entry(what.to_owned()).or_default() += 1;
    }

    /// Total unmappable values.
    pub fn unmapped_total(&self) -> usize {
        self.unmapped.values().sum()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for ((kind, value), n) in &self.unmapped {
            writeln!(f, "unmapped {kind} \"{value}\": {n}")?;
        }
        for (note, n) in &self.notes {
            writeln!(f, "{note}: {n}")?;
        }
        Ok(())
    }
}

/// A finished import: the document and what could not be mapped.
pub struct Imported {
    pub document: CatalogueDocument,
    pub report: Report,
}

/// The embedded catalogue's document, unvalidated (it is validated by its own tests).
pub(crate) fn embedded_document() -> CatalogueDocument {
    serde_json::from_str(EMBEDDED).expect("the embedded catalogue parses")
}

/// A slug of `s`: ASCII lowercase letters and digits, single hyphens, at most `max` chars.
pub fn slugify(s: &str, max: usize) -> String {
    let words = normalize(s);
    let mut out = String::new();
    for word in words.split(' ').filter(|w| !w.is_empty()) {
        let extra = usize::from(!out.is_empty()) + word.len();
        if out.len() + extra > max {
            if out.is_empty() {
                out.push_str(&word[..max]);
            }
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    out
}

/// Hands out exercise ids: stable slugs of the source's ids, suffixed with the source's tag
/// where they clash with the embedded catalogue's ids, aliases or former ids, and numbered
/// (`-2`, `-3`, in input order) where two source entries slug alike.
pub(crate) struct IdAllocator {
    reserved: HashSet<String>,
    /// The embedded catalogue's exercise aliases: an imported name equal to one would name
    /// two entries when layered (the loader refuses that).
    embedded_aliases: HashSet<String>,
    taken: HashSet<String>,
    tag: &'static str,
}

impl IdAllocator {
    pub fn new(embedded: &CatalogueDocument, tag: &'static str) -> Self {
        let mut reserved = HashSet::new();
        let mut embedded_aliases = HashSet::new();
        for e in &embedded.exercises {
            reserved.insert(normalize(&e.id));
            reserved.extend(e.aliases.iter().map(|a| normalize(a)));
            reserved.extend(e.former_ids.iter().map(|a| normalize(a)));
            embedded_aliases.extend(e.aliases.iter().map(|a| normalize(a)));
        }
        IdAllocator {
            reserved,
            embedded_aliases,
            taken: HashSet::new(),
            tag,
        }
    }

    /// True when `key` (an alias, say) would collide with the embedded catalogue or an id
    /// already given out.
    pub fn collides(&self, key: &str) -> bool {
        let n = normalize(key);
        self.reserved.contains(&n) || self.taken.iter().any(|t| normalize(t) == n)
    }

    /// Claims `alias` for an imported entry: false (and nothing claimed) when it would
    /// collide with the embedded catalogue, an id given out, or an alias claimed before.
    pub fn claim_alias(&mut self, alias: &str) -> bool {
        if self.collides(alias) {
            return false;
        }
        self.reserved.insert(normalize(alias));
        true
    }

    /// The name for an imported entry: the source's, with the source named after it when it
    /// equals an alias of an embedded exercise (a name must not be another entry's alias).
    pub fn name(&self, name: &str, source: &str, report: &mut Report) -> String {
        if self.embedded_aliases.contains(&normalize(name)) {
            report.note(
                "names qualified with the source (an embedded exercise has them as an alias)",
            );
            format!("{name} ({source})")
        } else {
            name.to_owned()
        }
    }

    /// The id for a source entry whose own id or name is `raw`.
    pub fn allocate(&mut self, raw: &str, report: &mut Report) -> String {
        let room = 64 - self.tag.len() - 4;
        let mut base = slugify(raw, room);
        if base.len() < 2 {
            base = format!("{}-exercise", self.tag);
        }
        if self.reserved.contains(&normalize(&base)) {
            report.note("ids suffixed to avoid the embedded catalogue");
            base = format!("{base}-{}", self.tag);
        }
        let mut id = base.clone();
        let mut n = 2;
        while self.taken.contains(&id) || self.reserved.contains(&normalize(&id)) {
            id = format!("{base}-{n}");
            n += 1;
        }
        if n > 2 {
            report.note("duplicate ids numbered");
        }
        debug_assert!(is_slug(&id), "{id}");
        self.taken.insert(id.clone());
        id
    }
}

/// Targets reduced to what the validator accepts: each id once, a secondary that is also
/// primary dropped, and no target together with a group that contains it (the group stays).
pub(crate) fn reduce_targets(
    primary: Vec<String>,
    secondary: Vec<String>,
    ancestors: &Ancestors,
) -> (Vec<String>, Vec<String>) {
    let covered = |id: &str, others: &[String]| {
        ancestors
            .get(id)
            .is_some_and(|up| others.iter().any(|o| up.contains(o.as_str())))
    };
    let mut p: Vec<String> = Vec::new();
    for m in primary {
        if !p.contains(&m) {
            p.push(m);
        }
    }
    let p: Vec<String> = p.iter().filter(|m| !covered(m, &p)).cloned().collect();
    let mut s: Vec<String> = Vec::new();
    for m in secondary {
        if !p.contains(&m) && !s.contains(&m) && !covered(&m, &p) {
            s.push(m);
        }
    }
    // A secondary group containing a primary target would make that primary a target twice.
    let s: Vec<String> = s
        .iter()
        .filter(|g| !covered(g, &s) && !p.iter().any(|m| covered(m, std::slice::from_ref(g))))
        .cloned()
        .collect();
    (p, s)
}

/// Each of `items` (the entries of `source`'s input, at `prefix` in it) parsed as a `T`. Every
/// entry that does not parse, or that `check` refuses (with the field and the reason), is
/// reported with its position and field path, all in one error.
pub(crate) fn parse_entries<T: serde::de::DeserializeOwned>(
    source: &str,
    prefix: &str,
    items: &[&serde_json::value::RawValue],
    check: impl Fn(&T) -> Option<(&'static str, &'static str)>,
) -> Result<Vec<T>, ImportError> {
    let mut out = Vec::with_capacity(items.len());
    let mut problems = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let mut de = serde_json::Deserializer::from_str(item.get());
        match serde_path_to_error::deserialize::<_, T>(&mut de) {
            Ok(entry) => match check(&entry) {
                Some((field, reason)) => problems.push(format!("{prefix}[{i}].{field}: {reason}")),
                None => out.push(entry),
            },
            Err(err) => {
                let path = err.path().to_string();
                let msg = err.into_inner().to_string();
                let msg = msg.split(" at line ").next().unwrap_or_default();
                let at = if path == "." {
                    String::new()
                } else {
                    format!(".{path}")
                };
                problems.push(format!("{prefix}[{i}]{at}: {msg}"));
            }
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(ImportError(format!(
            "{source} input has {} bad entr{}:\n  {}",
            problems.len(),
            if problems.len() == 1 { "y" } else { "ies" },
            problems.join("\n  ")
        )))
    }
}

/// The document around imported exercises: the source, the embedded catalogue's muscles and
/// sources they cite, and the equipment the exercises use (the embedded entry where there is
/// one, otherwise the importers' own from `mapping::NEW_EQUIPMENT`).
pub(crate) fn assemble(
    embedded: &CatalogueDocument,
    source: Source,
    exercises: Vec<Exercise>,
) -> CatalogueDocument {
    let used: BTreeSet<&str> = exercises
        .iter()
        .flat_map(|e| e.equipment.iter().map(String::as_str))
        .collect();
    let mut equipment: Vec<Equipment> = embedded
        .equipment
        .iter()
        .filter(|e| used.contains(e.id.as_str()))
        .cloned()
        .collect();
    for (id, name, description) in mapping::NEW_EQUIPMENT {
        if used.contains(id) && !equipment.iter().any(|e| e.id == *id) {
            equipment.push(Equipment {
                id: (*id).to_owned(),
                name: (*name).to_owned(),
                description: (*description).to_owned(),
                former_ids: Vec::new(),
            });
        }
    }
    let muscle_sources: BTreeSet<&str> =
        embedded.muscles.iter().map(|m| m.source.as_str()).collect();
    let mut sources: Vec<Source> = embedded
        .sources
        .iter()
        .filter(|s| muscle_sources.contains(s.id.as_str()))
        .cloned()
        .collect();
    sources.push(source);
    CatalogueDocument {
        schema: None,
        sources,
        equipment,
        muscles: embedded.muscles.clone(),
        exercises,
        routines: Vec::new(),
        conditions: Vec::new(),
        pain_monitoring: None,
    }
}

/// The text for a required field a source does not give.
pub(crate) fn not_given(source_name: &str) -> String {
    format!("Not given by {source_name}.")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_slugs_and_bounded() {
        assert_eq!(slugify("3/4 Sit-Up", 64), "3-4-sit-up");
        assert_eq!(
            slugify("Alternate_Incline Dumbbell Curl", 64),
            "alternate-incline-dumbbell-curl"
        );
        assert_eq!(slugify("Pédale", 64), "pedale");
        assert!(slugify(&"word ".repeat(40), 20).len() <= 20);
    }

    #[test]
    fn clashing_and_duplicate_ids_are_resolved_in_order() {
        let doc = embedded_document();
        let mut ids = IdAllocator::new(&doc, "fedb");
        let mut report = Report::default();
        assert_eq!(ids.allocate("Clamshells", &mut report), "clamshells-fedb");
        assert_eq!(ids.allocate("Foo_Bar", &mut report), "foo-bar");
        assert_eq!(ids.allocate("Foo Bar", &mut report), "foo-bar-2");
        assert_eq!(report.notes.len(), 2);
    }

    #[test]
    fn targets_are_reduced_to_what_validation_accepts() {
        let doc = embedded_document();
        let up = crate::catalogue::validate::muscle_ancestors(&doc);
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let (p, sec) = reduce_targets(
            s(&["trapezius", "middle-trapezius", "rhomboids"]),
            s(&["rhomboids", "upper-trapezius", "calf", "gastrocnemius"]),
            &up,
        );
        assert_eq!(p, s(&["trapezius", "rhomboids"]));
        assert_eq!(sec, s(&["calf"]));
    }
}
