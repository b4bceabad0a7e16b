//! Renders reports: text for people, JSON for pipelines.

mod json;
mod text;

pub use json::render_json;
pub use text::{render_text, TextOptions};
