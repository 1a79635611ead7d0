//! Text search: an inverted index over normalized words, with field weights, prefix matches
//! and typo tolerance. Built once at load; a query touches only the words it matches.

use std::collections::{BTreeMap, HashMap};

use super::text::{normalize, tokens};

/// A field of a document and how much a match in it counts.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub weight: f32,
}

/// How well a query word matched an indexed word.
const EXACT: f32 = 1.0;
const PREFIX: f32 = 0.7;
const TYPO: f32 = 0.5;
/// Added when the whole query appears in, or equals, a document's first field (its name).
const PHRASE_BONUS: f32 = 5.0;
const EQUALS_BONUS: f32 = 10.0;

/// Builds a [`SearchIndex`]: add documents in order, each as (field, text) pairs.
#[derive(Default)]
pub struct SearchIndexBuilder {
    postings: BTreeMap<String, Vec<(u32, f32)>>,
    names: Vec<String>,
}

impl SearchIndexBuilder {
    /// Adds document number `doc` (documents must be added in increasing order).
    pub fn add<'a>(&mut self, doc: u32, fields: impl IntoIterator<Item = (Field, &'a str)>) {
        let mut name = None;
        for (field, text) in fields {
            if name.is_none() {
                name = Some(normalize(text));
            }
            for token in tokens(text) {
                let list = self.postings.entry(token).or_default();
                match list.last_mut() {
                    Some((d, w)) if *d == doc => *w = w.max(field.weight),
                    _ => list.push((doc, field.weight)),
                }
            }
        }
        debug_assert_eq!(self.names.len(), doc as usize);
        self.names.push(name.unwrap_or_default());
    }

    pub fn build(self) -> SearchIndex {
        let by_len = {
            let mut m: HashMap<usize, Vec<String>> = HashMap::new();
            for w in self.postings.keys() {
                m.entry(w.chars().count()).or_default().push(w.clone());
            }
            m
        };
        SearchIndex {
            postings: self.postings,
            by_len,
            names: self.names,
        }
    }
}

/// The inverted index: word → (document, best field weight) postings, sorted by document.
pub struct SearchIndex {
    postings: BTreeMap<String, Vec<(u32, f32)>>,
    by_len: HashMap<usize, Vec<String>>,
    names: Vec<String>,
}

/// How many edits a query word of this length may be away from an indexed word.
pub fn allowed_typos(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

impl SearchIndex {
    /// Documents matching every word of `query`, with scores; unordered. None when the query
    /// has no words.
    pub fn search(&self, query: &str) -> Option<Vec<(u32, f32)>> {
        let words = tokens(query);
        if words.is_empty() {
            return None;
        }
        let mut total: Option<HashMap<u32, f32>> = None;
        for word in &words {
            let hits = self.word_hits(word);
            total = Some(match total {
                None => hits,
                Some(prev) => prev
                    .into_iter()
                    .filter_map(|(doc, s)| hits.get(&doc).map(|h| (doc, s + h)))
                    .collect(),
            });
            if total.as_ref().is_some_and(HashMap::is_empty) {
                return Some(Vec::new());
            }
        }
        let phrase = normalize(query);
        Some(
            total
                .unwrap_or_default()
                .into_iter()
                .map(|(doc, s)| {
                    let name = &self.names[doc as usize];
                    let bonus = if *name == phrase {
                        EQUALS_BONUS
                    } else if name.contains(&phrase) {
                        PHRASE_BONUS
                    } else {
                        0.0
                    };
                    (doc, s + bonus)
                })
                .collect(),
        )
    }

    /// Best score per document for one query word: exact, prefix, or within the typo budget.
    fn word_hits(&self, word: &str) -> HashMap<u32, f32> {
        let mut hits: HashMap<u32, f32> = HashMap::new();
        let mut add = |list: &[(u32, f32)], quality: f32| {
            for &(doc, weight) in list {
                let s = weight * quality;
                let e = hits.entry(doc).or_insert(0.0);
                if s > *e {
                    *e = s;
                }
            }
        };
        if let Some(list) = self.postings.get(word) {
            add(list, EXACT);
        }
        if word.len() >= 2 {
            for (w, list) in self.postings.range(word.to_owned()..) {
                if !w.starts_with(word) {
                    break;
                }
                if w != word {
                    add(list, PREFIX);
                }
            }
        }
        let budget = allowed_typos(word.chars().count());
        if budget > 0 {
            let len = word.chars().count();
            for l in len.saturating_sub(budget)..=len + budget {
                for w in self.by_len.get(&l).into_iter().flatten() {
                    if w != word && strsim::osa_distance(word, w) <= budget {
                        add(&self.postings[w], TYPO);
                    }
                }
            }
        }
        hits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index() -> SearchIndex {
        let mut b = SearchIndexBuilder::default();
        let name = Field { weight: 10.0 };
        let body = Field { weight: 1.0 };
        b.add(
            0,
            [
                (name, "Clamshells"),
                (body, "Side-lying hip rotation with a band"),
            ],
        );
        b.add(
            1,
            [
                (name, "Hamstring stretch"),
                (body, "Lengthens the back of the thigh"),
            ],
        );
        b.add(
            2,
            [
                (name, "Side steps"),
                (body, "Band around the shins; step to the side"),
            ],
        );
        b.build()
    }

    fn ids(mut hits: Vec<(u32, f32)>) -> Vec<u32> {
        hits.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        hits.into_iter().map(|(d, _)| d).collect()
    }

    #[test]
    fn exact_prefix_and_typo_matches() {
        let i = index();
        assert_eq!(ids(i.search("clamshells").unwrap()), vec![0]);
        assert_eq!(ids(i.search("clam").unwrap()), vec![0]);
        assert_eq!(ids(i.search("clamshel").unwrap()), vec![0]);
        assert_eq!(ids(i.search("hamstirng").unwrap()), vec![1]);
        assert_eq!(ids(i.search("CLAMSHELLS!").unwrap()), vec![0]);
    }

    #[test]
    fn all_words_must_match_and_names_outrank_bodies() {
        let i = index();
        assert_eq!(ids(i.search("side band").unwrap()), vec![2, 0]);
        assert!(i.search("clamshells hamstring").unwrap().is_empty());
        assert!(i.search("   ").is_none());
    }

    #[test]
    fn short_words_get_no_typo_budget() {
        assert_eq!(allowed_typos(3), 0);
        assert_eq!(allowed_typos(4), 1);
        assert_eq!(allowed_typos(8), 2);
        assert!(index().search("bnd").unwrap().is_empty());
    }
}
