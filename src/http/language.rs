//! Language negotiation: a `lang=` query parameter wins over `Accept-Language` (q-values,
//! `*`, region subtags falling back to their language: es-MX → es → en). Pure functions; the
//! API decides what to do with the answer.

/// Longest `Accept-Language` value read; the rest is ignored (a header is at most 8 KiB).
const MAX_HEADER: usize = 512;
/// Most language ranges read from one header.
const MAX_RANGES: usize = 20;

/// The language to answer in: an index into the available tags (0 is the default, English).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chosen(pub usize);

/// The first value of `lang` in a query string, percent-decoded (`None` when absent).
pub fn lang_param(query: &str) -> Option<String> {
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "lang")
        .map(|(_, v)| v.into_owned())
}

/// The available tag a requested tag maps to: itself, or its language without the region.
fn matching(tag: &str, available: &[&str]) -> Option<usize> {
    let tag = tag.trim();
    if let Some(i) = available.iter().position(|a| a.eq_ignore_ascii_case(tag)) {
        return Some(i);
    }
    let primary = tag.split('-').next().unwrap_or("");
    available
        .iter()
        .position(|a| a.eq_ignore_ascii_case(primary))
}

/// Chooses the language: `lang` (an error naming the allowed tags when it matches none) or the
/// best `Accept-Language` range with q > 0 that matches, `*` meaning the default; otherwise the
/// default (index 0).
pub fn negotiate(
    lang: Option<&str>,
    accept: Option<&str>,
    available: &[&str],
) -> Result<Chosen, String> {
    if let Some(lang) = lang {
        return matching(lang, available).map(Chosen).ok_or_else(|| {
            let shown: String = lang.chars().take(40).collect();
            format!(
                "unknown language \"{shown}\"; allowed: {}",
                available.join(", ")
            )
        });
    }
    let Some(accept) = accept else {
        return Ok(Chosen(0));
    };
    let mut ranges: Vec<(u16, usize, &str)> = accept
        .get(..accept.len().min(MAX_HEADER))
        .unwrap_or("")
        .split(',')
        .take(MAX_RANGES)
        .enumerate()
        .filter_map(|(order, part)| {
            let mut pieces = part.split(';');
            let tag = pieces.next()?.trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .map_or(Some(1000), quality)?;
            (!tag.is_empty() && q > 0).then_some((q, order, tag))
        })
        .collect();
    // Highest q first; equal q in the order given.
    ranges.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, _, tag) in ranges {
        if tag == "*" {
            return Ok(Chosen(0));
        }
        if let Some(i) = matching(tag, available) {
            return Ok(Chosen(i));
        }
    }
    Ok(Chosen(0))
}

/// A q-value in thousandths (`0.8` → 800); `None` when malformed, which drops the range.
fn quality(q: &str) -> Option<u16> {
    let v: f32 = q.trim().parse().ok()?;
    (0.0..=1.0)
        .contains(&v)
        .then(|| (v * 1000.0).round() as u16)
}

#[cfg(test)]
mod tests {
    use super::*;

    const AVAILABLE: [&str; 3] = ["en", "es", "de"];

    fn pick(lang: Option<&str>, accept: Option<&str>) -> Result<usize, String> {
        negotiate(lang, accept, &AVAILABLE).map(|c| c.0)
    }

    #[test]
    fn the_header_is_read_with_q_values_regions_and_wildcards() {
        for (accept, want) in [
            (None, 0),
            (Some("es"), 1),
            (Some("es-MX"), 1),
            (Some("de-AT, en;q=0.5"), 2),
            (Some("fr, de;q=0.8, es;q=0.9"), 1),
            (Some("fr"), 0),
            (Some("*"), 0),
            (Some("fr, *;q=0.5, es;q=0.1"), 0),
            (Some("es;q=0, de;q=0.1"), 2),
            (Some("es;q=0"), 0),
            (Some("es;q=abc, de"), 2),
            (Some("ES"), 1),
            (Some(""), 0),
            (Some(",,,;q=1"), 0),
        ] {
            assert_eq!(pick(None, accept), Ok(want), "{accept:?}");
        }
    }

    #[test]
    fn lang_wins_over_the_header_and_unknown_values_are_errors() {
        assert_eq!(pick(Some("de"), Some("es")), Ok(2));
        assert_eq!(pick(Some("es-MX"), None), Ok(1));
        assert_eq!(pick(Some("en"), Some("de")), Ok(0));
        let e = pick(Some("fr"), Some("es")).unwrap_err();
        assert!(e.contains("allowed: en, es, de"), "{e}");
        assert_eq!(lang_param("a=1&lang=es&lang=de").as_deref(), Some("es"));
        assert_eq!(lang_param("a=1"), None);
    }
}
