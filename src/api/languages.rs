//! Languages: the catalogue in every language it is translated into, the language chosen for
//! a request (`lang=`, then `Accept-Language`), `Content-Language` and `Vary` on every answer,
//! and `/v1/languages` with each language's completeness.

use std::future::{Ready, ready};
use std::sync::{Arc, OnceLock};

use actix_web::body::MessageBody;
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use super::AppState;
use super::error::{ApiError, ProblemDetails};
use super::query::Params;
use super::store::Store;
use crate::catalogue::Catalogue;
use crate::catalogue::i18n::{Completeness, Translation};
use crate::http::Cached;
use crate::http::language::{Chosen, lang_param, negotiate};

/// One of the embedded catalogue's translations, and the catalogue made from it. Nothing but
/// the tag is read at start-up: the translation file is parsed and checked, and the catalogue
/// and its bodies made, in a background thread after the server starts or on first use.
pub struct Localized {
    /// BCP 47 tag (the translation file's name).
    pub tag: String,
    /// `tag` as a `Content-Language` value.
    pub header: HeaderValue,
    english: Arc<Catalogue>,
    /// The translation file's name and text.
    file: &'static str,
    text: &'static str,
    /// The translation, parsed and checked against the English catalogue, with its
    /// completeness.
    read: OnceLock<Arc<(Translation, Completeness)>>,
    /// The catalogue in this language with its bodies prepared, made once: by
    /// [`Localized::prepare_all`] in the background after the server starts, or by the first request
    /// in this language if that comes first (which makes its own rather than wait for the
    /// low-priority thread).
    made: OnceLock<Local>,
}

impl Localized {
    /// The embedded translation `file` (its text `text`) of `english`.
    pub fn embedded(english: Arc<Catalogue>, file: &'static str, text: &'static str) -> Self {
        let tag = crate::catalogue::i18n::embedded_tag(file).to_owned();
        Localized {
            header: HeaderValue::from_str(&tag).unwrap_or(HeaderValue::from_static("en")),
            tag,
            english,
            file,
            text,
            read: OnceLock::new(),
            made: OnceLock::new(),
        }
    }

    /// The translation and its completeness, read now if it was not yet.
    fn read(&self) -> Arc<(Translation, Completeness)> {
        crate::background::get_or_make(&self.read, || {
            let doc = self.english.document();
            match crate::catalogue::i18n::read(self.file, self.text, &doc) {
                Ok(read) => Arc::new(read),
                Err(problems) => {
                    // The embedded translations are checked by the tests: a build defect.
                    let list: Vec<String> = problems.iter().map(ToString::to_string).collect();
                    panic!("the embedded translations are invalid: {}", list.join("; "))
                }
            }
        })
    }

    /// How much of the catalogue this language translates.
    pub fn completeness(&self) -> Completeness {
        self.read().1.clone()
    }

    /// The catalogue in this language, with its bodies prepared: made now if it was not yet.
    pub fn local(&self) -> Local {
        crate::background::get_or_make(&self.made, || {
            let catalogue = Arc::new(self.english.localized(&self.read().0));
            let store = Arc::new(Store::build(&catalogue, true));
            Local { catalogue, store }
        })
    }

    /// Makes every language now (called from the background thread after start-up).
    pub fn prepare_all(languages: &[Arc<Localized>]) {
        for l in languages {
            let _ = l.local();
        }
    }
}

impl AppState {
    /// The tags a request may choose from, English first.
    pub fn language_tags(&self) -> Vec<&str> {
        std::iter::once("en")
            .chain(self.languages.iter().map(|l| l.tag.as_str()))
            .collect()
    }

    /// The language chosen for `req`, or the problem with its `lang` parameter.
    pub fn choose(&self, req: &HttpRequest) -> Result<Chosen, String> {
        let accept = req.headers().get(header::ACCEPT_LANGUAGE);
        let lang = lang_param(req.query_string());
        if accept.is_none() && lang.is_none() {
            // Most requests: nothing to negotiate, nothing to remember.
            return Ok(Chosen(0));
        }
        if let Some(chosen) = req.extensions().get::<Chosen>() {
            return Ok(*chosen);
        }
        let chosen = negotiate(
            lang.as_deref(),
            accept.and_then(|v| v.to_str().ok()),
            &self.language_tags(),
        )?;
        req.extensions_mut().insert(chosen);
        Ok(chosen)
    }

    /// The `Content-Language` value of language `i` (0 is English).
    fn content_language(&self, i: usize) -> HeaderValue {
        match i.checked_sub(1).and_then(|j| self.languages.get(j)) {
            Some(l) => l.header.clone(),
            None => HeaderValue::from_static("en"),
        }
    }

    /// The catalogue and prepared bodies in the chosen language (English when `lang` is bad:
    /// the parameter check reports it).
    pub fn local(&self, req: &HttpRequest) -> Local {
        match self.choose(req) {
            Ok(Chosen(i)) if i > 0 => self.languages[i - 1].local(),
            _ => Local {
                catalogue: self.catalogue.clone(),
                store: self.store.clone(),
            },
        }
    }
}

/// The catalogue and prepared bodies in the request's language: what content handlers read.
#[derive(Clone)]
pub struct Local {
    pub catalogue: Arc<Catalogue>,
    pub store: Arc<Store>,
}

impl FromRequest for Local {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(
            req.app_data::<web::Data<AppState>>()
                .map(|state| state.local(req))
                .ok_or(ApiError::Internal),
        )
    }
}

/// Adds `Content-Language` (the language of the answer's texts) and `Vary: Accept-Language`
/// to every answer, memoized or not.
pub async fn language_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let language = req
        .app_data::<web::Data<AppState>>()
        .map(|state| state.content_language(state.choose(req.request()).map_or(0, |c| c.0)))
        .unwrap_or(HeaderValue::from_static("en"));
    let mut res = next.call(req).await?;
    let headers = res.headers_mut();
    headers.insert(header::CONTENT_LANGUAGE, language);
    // Prepared answers say `Vary: Accept-Encoding, Accept-Language` already.
    let vary = headers.get(header::VARY).map(HeaderValue::as_bytes);
    let has = vary.is_some_and(|v| {
        v.windows(15)
            .any(|w| w.eq_ignore_ascii_case(b"accept-language"))
    });
    if !has {
        let value = match vary {
            Some(v) => {
                let mut joined = v.to_vec();
                joined.extend_from_slice(b", Accept-Language");
                HeaderValue::from_bytes(&joined).ok()
            }
            None => Some(HeaderValue::from_static("Accept-Language")),
        };
        if let Some(v) = value {
            headers.insert(header::VARY, v);
        }
    }
    Ok(res)
}

/// One language of the catalogue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LanguageInfo {
    /// BCP 47 tag, for `lang=` and `Accept-Language`.
    #[schema(example = "es")]
    pub tag: String,
    /// The language's name for itself.
    #[schema(example = "Español")]
    pub name: String,
    /// Share of the catalogue's texts in this language, 0–100; the rest is served in English.
    #[schema(example = 100.0)]
    pub completeness: f64,
    /// Texts translated.
    pub translated: usize,
    /// Texts to translate.
    pub total: usize,
}

/// The languages of the catalogue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LanguageList {
    pub data: Vec<LanguageInfo>,
}

/// List languages.
///
/// Every language the catalogue is served in, with its completeness. Choose one with `lang=`
/// on any operation, or with `Accept-Language` (q-values and region subtags are honoured:
/// es-MX is served in es); answers carry `Content-Language`. Problem messages stay English.
#[utoipa::path(
    tag = "meta",
    operation_id = "listLanguages",
    responses(
        (status = 200, description = "The languages, English first.", body = LanguageList),
        (status = 400, description = "A query parameter was given; this operation takes none.", body = ProblemDetails, content_type = "application/problem+json"),
    )
)]
#[get("/languages")]
pub async fn list_languages(state: web::Data<AppState>, _: Params<super::NoParams>) -> Cached {
    let others: Vec<_> = state
        .languages
        .iter()
        .map(|l| (l.tag.clone(), l.completeness()))
        .collect();
    let english_total = others.first().map_or(0, |(_, c)| c.total);
    let mut data = vec![LanguageInfo {
        tag: "en".into(),
        name: "English".into(),
        completeness: 100.0,
        translated: english_total,
        total: english_total,
    }];
    data.extend(others.into_iter().map(|(tag, c)| LanguageInfo {
        tag,
        name: c.name,
        completeness: c.percent,
        translated: c.translated,
        total: c.total,
    }));
    Cached::json(&LanguageList { data })
}
