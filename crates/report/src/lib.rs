//! Renders reports: text for people, JSON for pipelines, a self-contained
//! HTML page with ladder diagrams, and Mermaid sequence diagrams.

mod html;
mod json;
mod text;

pub use html::{escape, ladder_svg, render_html, render_mermaid};
pub use json::render_json;
pub use text::{render_text, TextOptions};
