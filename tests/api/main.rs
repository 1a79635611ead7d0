//! Integration tests against the real App with the embedded catalogue. Modules mirror `src/api/`.

mod caching;
mod catalogue_cli;
mod conditions;
mod content;
mod errors;
mod exercises;
mod fhir;
mod filters;
mod generate;
mod helpers;
mod i18n;
mod languages;
mod layers;
mod maps;
mod meta;
mod model_v2;
mod muscles;
mod openapi;
mod routines;
mod search;
mod seed;
