//! Cross-cutting HTTP: prepared (pre-serialized, pre-compressed) bodies with strong ETags,
//! conditional requests, content negotiation, and the per-worker response memo.

pub mod conn;
pub mod cors;
pub mod edge;
pub mod fast;
pub mod known;
pub mod language;
pub mod limits;
pub mod memo;
pub mod metrics;
pub mod prepared;
pub mod problem;
pub mod rate_limit;
pub mod request_id;
pub mod security;

pub use prepared::{CachePolicy, Cached, Prepared};
