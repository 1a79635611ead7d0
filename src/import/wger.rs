//! wger's `/api/v2/exerciseinfo/` JSON (one page `{count, next, results}` or a list of results)
//! into a catalogue document: the English translation is the text; each entry's licence and
//! author go into its attribution and into one source per licence.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::mapping::{self, lookup};
use super::{IdAllocator, ImportError, Imported, Report, not_given, slugify};
use crate::catalogue::model::*;
use crate::catalogue::validate::{Ancestors, muscle_ancestors};

const NAME: &str = "wger";
const TAG: &str = "wger";
/// wger's language id of English.
const ENGLISH: u64 = 2;

#[derive(Debug, Deserialize)]
struct Page<'a> {
    #[serde(borrow)]
    results: Vec<&'a RawValue>,
}

#[derive(Debug, Deserialize)]
struct Info {
    id: u64,
    #[serde(default)]
    uuid: Option<String>,
    category: Named,
    muscles: Vec<WgerMuscle>,
    muscles_secondary: Vec<WgerMuscle>,
    equipment: Vec<Named>,
    license: Licence,
    #[serde(default)]
    license_author: Option<String>,
    #[serde(default)]
    images: Vec<Image>,
    translations: Vec<Translation>,
}

#[derive(Debug, Deserialize)]
struct Named {
    name: String,
}

#[derive(Debug, Deserialize)]
struct WgerMuscle {
    name: String,
}

#[derive(Debug, Deserialize)]
struct Licence {
    short_name: String,
    #[serde(default)]
    full_name: Option<String>,
    #[serde(default)]
    url: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Image {
    image: String,
    #[serde(default)]
    license_author: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Translation {
    name: String,
    #[serde(default)]
    description: String,
    language: u64,
    #[serde(default)]
    aliases: Vec<Alias>,
    #[serde(default)]
    license_author: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Alias {
    alias: String,
}

/// Imports `bytes`: a page of `/api/v2/exerciseinfo/` or a list of its results.
pub fn import(bytes: &[u8]) -> Result<Imported, ImportError> {
    let mut infos = parse(bytes)?;
    infos.sort_by_key(|i| i.id);
    let embedded = super::embedded_document();
    let ancestors = muscle_ancestors(&embedded);
    let mut ids = IdAllocator::new(&embedded, TAG);
    let mut report = Report::default();
    let mut sources: BTreeMap<String, Source> = BTreeMap::new();
    let mut exercises = Vec::new();
    for info in &infos {
        if let Some(e) = exercise(info, &ancestors, &mut ids, &mut sources, &mut report) {
            exercises.push(e);
        }
    }
    exercises.sort_by(|a, b| a.id.cmp(&b.id));
    let mut sources = sources.into_values();
    let first = sources.next().unwrap_or_else(|| {
        licence_source(&Licence {
            short_name: "unknown licence".into(),
            full_name: None,
            url: None,
        })
    });
    let mut document = super::assemble(&embedded, first, exercises);
    document.sources.extend(sources);
    Ok(Imported { document, report })
}

fn parse(bytes: &[u8]) -> Result<Vec<Info>, ImportError> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| ImportError(format!("wger input is not valid JSON: not UTF-8 ({e})")))?;
    let value: &RawValue = serde_json::from_str(text)
        .map_err(|e| ImportError(format!("wger input is not valid JSON: {e}")))?;
    let (items, prefix): (Vec<&RawValue>, &str) = if value.get().trim_start().starts_with('[') {
        (
            serde_json::from_str(value.get()).map_err(|e| ImportError(e.to_string()))?,
            "",
        )
    } else {
        let page: Page = serde_json::from_str(value.get()).map_err(|e| {
            ImportError(format!(
                "wger input must be a page {{count, next, results}} or a list of results: {}",
                e.to_string().split(" at line ").next().unwrap_or_default()
            ))
        })?;
        (page.results, "results")
    };
    super::parse_entries("wger", prefix, &items, |_: &Info| None)
}

/// The source entry of one licence.
fn licence_source(l: &Licence) -> Source {
    let full = l.full_name.as_deref().unwrap_or(&l.short_name);
    Source {
        id: format!("wger-{}", slugify(&l.short_name, 40))
            .trim_end_matches('-')
            .to_owned(),
        name: format!("wger ({})", l.short_name),
        url: l
            .url
            .clone()
            .filter(|u| u.starts_with("http"))
            .unwrap_or_else(|| "https://wger.de".into()),
        usage: format!(
            "wger exercises licensed {full}; each entry's attribution names its author(s)."
        ),
    }
}

fn exercise(
    info: &Info,
    ancestors: &Ancestors,
    ids: &mut IdAllocator,
    sources: &mut BTreeMap<String, Source>,
    report: &mut Report,
) -> Option<Exercise> {
    let others = info
        .translations
        .iter()
        .filter(|t| t.language != ENGLISH)
        .count();
    for _ in 0..others {
        report.note("translations in other languages not kept (the model has no languages yet)");
    }
    let Some(en) = info
        .translations
        .iter()
        .find(|t| t.language == ENGLISH && !t.name.trim().is_empty())
    else {
        report.note("exercises skipped: no English translation");
        return None;
    };
    let map = |list: &[WgerMuscle], report: &mut Report| -> Vec<String> {
        let mut out = Vec::new();
        for m in list {
            match lookup(mapping::WGER_MUSCLES, m.name.to_lowercase().as_str()) {
                Some(ids) => out.extend(ids.iter().map(|s| (*s).to_owned())),
                None => report.unmapped("muscle", &m.name),
            }
        }
        out
    };
    let primary = map(&info.muscles, report);
    let secondary = map(&info.muscles_secondary, report);
    let (primary, secondary) = super::reduce_targets(primary, secondary, ancestors);
    if primary.is_empty() {
        report.note("exercises skipped: no mappable primary muscle");
        return None;
    }
    let source = licence_source(&info.license);
    let source_id = source.id.clone();
    sources.entry(source_id.clone()).or_insert(source);
    let name = en.name.trim().to_owned();
    let id = ids.allocate(&name, report);
    let aliases = aliases(en, &id, ids, report);
    let paragraphs = html_paragraphs(&en.description);
    let category = lookup(
        mapping::WGER_CATEGORIES,
        info.category.name.to_lowercase().as_str(),
    )
    .unwrap_or_else(|| {
        report.unmapped("category", &info.category.name);
        Category::Strength
    });
    let author = en
        .license_author
        .clone()
        .or_else(|| info.license_author.clone())
        .filter(|a| !a.trim().is_empty())
        .unwrap_or_else(|| "an unnamed author".into());
    report.note("difficulty not given (intermediate assumed)");
    let position = mapping::keyword(
        mapping::POSITION_KEYWORDS,
        &format!(
            "{name} {}",
            paragraphs.first().map(String::as_str).unwrap_or("")
        ),
    )
    .unwrap_or_else(|| {
        report.note("position not stated (standing assumed)");
        Position::Standing
    });
    Some(Exercise {
        id,
        former_ids: Vec::new(),
        name: ids.name(&name, "wger", report),
        aliases,
        category,
        targets: Targets {
            summary: target_summary(info),
            primary,
            secondary,
            role: None,
            roles: Default::default(),
        },
        regions: Vec::new(),
        joints: Vec::new(),
        force: None,
        mechanic: None,
        movement_pattern: None,
        kinetic_chain: None,
        contraction: None,
        purpose: not_given(NAME),
        description: paragraphs
            .first()
            .cloned()
            .unwrap_or_else(|| not_given(NAME)),
        steps: if paragraphs.is_empty() {
            vec![not_given(NAME)]
        } else {
            paragraphs
        },
        feel: not_given(NAME),
        common_mistakes: vec![not_given(NAME)],
        equipment: equipment(info, report),
        position,
        laterality: mapping::keyword(mapping::LATERALITY_KEYWORDS, &name)
            .unwrap_or(Laterality::Bilateral),
        difficulty: Difficulty::Intermediate,
        dose: Dose {
            sets: Some(3),
            reps: Some(10),
            note: Some(format!(
                "{NAME} gives no dose; this is a generic placeholder, not a prescription."
            )),
            ..Dose::default()
        },
        conditions: Vec::new(),
        progressions: Vec::new(),
        regressions: Vec::new(),
        variations: Vec::new(),
        cautions: vec![not_given(NAME)],
        contraindications: Vec::new(),
        media: media(info, &name, &author),
        source: source_id,
        attribution: Some(format!(
            "wger exercise {}{} by {author}, licensed {}: name, description, steps, muscles, \
             equipment and images from wger, mapped onto this catalogue's vocabularies; the \
             difficulty (intermediate), position and dose are assumed; the other texts say the \
             source gives none.",
            info.id,
            info.uuid
                .as_deref()
                .map(|u| format!(" ({u})"))
                .unwrap_or_default(),
            info.license.short_name,
        )),
    })
}

/// The English aliases that collide with nothing; colliding ones are dropped and counted.
fn aliases(en: &Translation, id: &str, ids: &mut IdAllocator, report: &mut Report) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for a in &en.aliases {
        let alias = a.alias.trim();
        let key = crate::catalogue::text::normalize(alias);
        if key.is_empty() {
            continue;
        }
        let own = crate::catalogue::text::normalize(id) == key
            || out
                .iter()
                .any(|o| crate::catalogue::text::normalize(o) == key);
        if own || !ids.claim_alias(alias) {
            report.note("aliases dropped: they collide with an id or alias");
            continue;
        }
        out.push(alias.to_owned());
    }
    out
}

fn target_summary(info: &Info) -> String {
    let names = |l: &[WgerMuscle]| {
        l.iter()
            .map(|m| m.name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut s = names(&info.muscles);
    if !info.muscles_secondary.is_empty() {
        s.push_str("; also ");
        s.push_str(&names(&info.muscles_secondary));
    }
    if s.trim().is_empty() {
        not_given(NAME)
    } else {
        s
    }
}

fn equipment(info: &Info, report: &mut Report) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for e in &info.equipment {
        let id =
            lookup(mapping::WGER_EQUIPMENT, e.name.to_lowercase().as_str()).unwrap_or_else(|| {
                report.unmapped("equipment", &e.name);
                "unspecified-equipment"
            });
        if !out.iter().any(|o| o == id) {
            out.push(id.to_owned());
        }
    }
    if out.len() > 1 {
        out.retain(|e| e != "none");
    }
    if out.is_empty() {
        out.push("none".into());
    }
    out
}

fn media(info: &Info, name: &str, author: &str) -> Vec<Media> {
    let n = info.images.len();
    info.images
        .iter()
        .filter(|i| i.image.starts_with("http") && !i.image.contains(char::is_whitespace))
        .enumerate()
        .map(|(k, i)| Media {
            kind: MediaKind::Image,
            url: i.image.clone(),
            caption: format!("{name}, image {} of {n}", k + 1),
            licence: format!(
                "{} (the exercise's licence on wger)",
                info.license.short_name
            ),
            author: i
                .license_author
                .clone()
                .filter(|a| !a.trim().is_empty())
                .unwrap_or_else(|| author.to_owned()),
            start_seconds: None,
            end_seconds: None,
        })
        .collect()
}

/// Plain-text paragraphs of an HTML description (paragraphs, list items and line breaks
/// split; tags dropped; the common entities decoded).
pub fn html_paragraphs(html: &str) -> Vec<String> {
    let mut text = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        text.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            rest = "";
            break;
        };
        let tag = rest[start + 1..start + end]
            .trim_start_matches('/')
            .to_ascii_lowercase();
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        if matches!(
            name.as_str(),
            "p" | "li" | "br" | "div" | "ol" | "ul" | "h1" | "h2" | "h3"
        ) {
            text.push('\n');
        }
        rest = &rest[start + end + 1..];
    }
    text.push_str(rest);
    let text = text
        .replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&");
    text.lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_paragraphs() {
        assert_eq!(
            html_paragraphs(
                "<p>Lie down.</p><ol><li>Lift&nbsp;the hips.</li><li>Lower &amp; repeat</li></ol>"
            ),
            vec!["Lie down.", "Lift the hips.", "Lower & repeat"]
        );
        assert!(html_paragraphs("  ").is_empty());
    }
}
