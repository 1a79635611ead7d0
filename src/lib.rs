//! exercise-api: an exercise catalogue served as a JSON REST API documented with OpenAPI.

pub mod api;
pub mod background;
pub mod bodymap;
pub mod catalogue;
pub mod config;
pub mod healthcheck;
pub mod http;
pub mod import;
pub mod problem;
pub mod startup;
pub mod telemetry;
