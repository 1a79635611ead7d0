//! Cross-cutting HTTP: prepared (pre-serialized, pre-compressed) bodies with strong ETags,
//! conditional requests, content negotiation, and the per-worker response memo.

pub mod memo;
pub mod prepared;

pub use prepared::{CachePolicy, Cached, Prepared};
