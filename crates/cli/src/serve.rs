//! `serve`: a local web page to paste text or drop files from both ends and
//! see the same report. Loopback by default; nothing is stored or sent
//! anywhere; every piece of device text is escaped by the HTML renderer, and
//! the page's content security policy allows no inline script.

use axum::extract::{DefaultBodyLimit, Path};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use std::net::SocketAddr;

/// Largest request accepted (all pasted texts and files together).
pub const MAX_REQUEST: usize = 16 * 1024 * 1024;

/// Examples the page can load.
const EXAMPLES: &[(&str, &str)] = &[
    (
        "ios-psk-mismatch-initiator",
        include_str!("../../../examples/logs/ios-psk-mismatch-initiator.log"),
    ),
    (
        "seed-main-mode-failed",
        include_str!("../../../examples/seed/08-main-mode-failed.log"),
    ),
    (
        "seed-no-cert-no-keys",
        include_str!("../../../examples/seed/11-no-cert-no-keys.log"),
    ),
    (
        "config-branch-r1-ios",
        include_str!("../../../examples/configs/branch-r1-ios.cfg"),
    ),
    (
        "config-hq-asa1",
        include_str!("../../../examples/configs/hq-asa1.cfg"),
    ),
];

const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'; frame-src 'none'; base-uri 'none'; form-action 'none'";

const PAGE: &str = r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>ipsec-doctor</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;margin:1.5rem;color:#1d1d1f}
textarea{width:100%;height:14rem;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem}
.row{margin:.5rem 0}button{padding:.4rem 1rem;font-size:1rem}
#report{border-top:1px solid #ddd;margin-top:1rem}
#status{color:#666;margin-left:1rem}
</style></head><body>
<h1>ipsec-doctor</h1>
<p>Paste debug output, syslog, <code>show crypto</code> output or configurations from either end, or drop files. Nothing leaves this machine.</p>
<div class="row"><textarea id="paste" placeholder="Paste here…"></textarea></div>
<div class="row"><input type="file" id="files" multiple> <select id="example"><option value="">load an example…</option></select></div>
<div class="row"><button id="go">Diagnose</button><span id="status"></span></div>
<div id="report"></div>
<script src="/app.js"></script>
</body></html>
"#;

const APP: &str = r#"
const $ = (id) => document.getElementById(id);
async function readFiles() {
  const out = [];
  for (const f of $("files").files) { out.push({ name: f.name, text: await f.text() }); }
  return out;
}
async function diagnose() {
  const inputs = await readFiles();
  const pasted = $("paste").value;
  if (pasted.trim()) inputs.unshift({ name: "pasted", text: pasted });
  if (!inputs.length) { $("status").textContent = "nothing to diagnose"; return; }
  $("status").textContent = "diagnosing…";
  const r = await fetch("/api/diagnose", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ inputs }) });
  const body = await r.text();
  if (!r.ok) { $("status").textContent = body; return; }
  // The report is rendered server-side with every device string escaped;
  // the page's policy forbids inline scripts, so nothing in it can run.
  const doc = new DOMParser().parseFromString(body, "text/html");
  const target = $("report");
  target.replaceChildren(...doc.head.querySelectorAll("style"), ...doc.body.childNodes);
  $("status").textContent = "done";
}
async function loadExample(name) {
  const r = await fetch("/api/example/" + encodeURIComponent(name));
  if (r.ok) $("paste").value = await r.text();
}
async function init() {
  const r = await fetch("/api/examples");
  for (const name of await r.json()) {
    const o = document.createElement("option"); o.value = name; o.textContent = name; $("example").appendChild(o);
  }
  $("example").addEventListener("change", (e) => loadExample(e.target.value));
  $("go").addEventListener("click", diagnose);
  const q = new URLSearchParams(location.search);
  if (q.get("example")) { await loadExample(q.get("example")); if (q.get("run")) await diagnose(); }
}
init();
"#;

#[derive(Deserialize)]
struct Input {
    name: String,
    text: String,
}

#[derive(Deserialize)]
struct Request {
    inputs: Vec<Input>,
}

fn with_headers(content_type: &'static str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "no-referrer"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response()
}

async fn page() -> Response {
    with_headers("text/html; charset=utf-8", PAGE.to_string())
}

async fn app_js() -> Response {
    with_headers("text/javascript; charset=utf-8", APP.to_string())
}

async fn examples() -> Response {
    let names: Vec<&str> = EXAMPLES.iter().map(|(n, _)| *n).collect();
    with_headers(
        "application/json",
        serde_json::to_string(&names).unwrap_or_else(|_| "[]".into()),
    )
}

async fn example(Path(name): Path<String>) -> Response {
    match EXAMPLES.iter().find(|(n, _)| *n == name) {
        Some((_, text)) => with_headers("text/plain; charset=utf-8", text.to_string()),
        None => (StatusCode::NOT_FOUND, "no such example").into_response(),
    }
}

async fn diagnose(Json(req): Json<Request>) -> Response {
    if req.inputs.is_empty() {
        return (StatusCode::BAD_REQUEST, "nothing to diagnose").into_response();
    }
    let items: Vec<(String, String)> = req
        .inputs
        .into_iter()
        .map(|i| {
            // The name only labels evidence; keep it short and plain.
            let name: String = i
                .name
                .chars()
                .filter(|c| !c.is_control())
                .take(100)
                .collect();
            (
                if name.is_empty() {
                    "input".to_string()
                } else {
                    name
                },
                i.text,
            )
        })
        .collect();
    // Analysis is CPU work: keep it off the async reactor.
    let report = tokio::task::spawn_blocking(move || {
        crate::gather::conclude(crate::gather::gather_texts(&items))
    })
    .await;
    match report {
        Ok(r) => with_headers(
            "text/html; charset=utf-8",
            ipsec_doctor_report::render_html(&r),
        ),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "analysis failed").into_response(),
    }
}

/// The application.
pub fn router() -> Router {
    Router::new()
        .route("/", get(page))
        .route("/app.js", get(app_js))
        .route("/api/examples", get(examples))
        .route("/api/example/{name}", get(example))
        .route("/api/diagnose", post(diagnose))
        .layer(DefaultBodyLimit::max(MAX_REQUEST))
}

/// Serves until interrupted.
pub fn run(listen: SocketAddr) -> Result<(), String> {
    if !listen.ip().is_loopback() {
        eprintln!("ipsec-doctor: warning: listening on {listen}, which is not a loopback address: anyone who can reach it can submit text");
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start: {e}"))?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen)
            .await
            .map_err(|e| format!("cannot listen on {listen}: {e}"))?;
        let addr = listener.local_addr().map_err(|e| e.to_string())?;
        eprintln!("ipsec-doctor: serving on http://{addr}/ (Ctrl-C to stop)");
        axum::serve(listener, router())
            .await
            .map_err(|e| format!("server error: {e}"))
    })
}
