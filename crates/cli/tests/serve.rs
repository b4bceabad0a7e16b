//! The local web UI: the page, the diagnosis endpoint, escaping and limits.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct Server {
    child: Child,
    addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start() -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ipsec-doctor"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut err = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    err.read_line(&mut line).unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap_or_else(|| panic!("no address in {line:?}"))
        .to_string();
    Server { child, addr }
}

/// A minimal HTTP/1.1 client: returns (status, headers, body).
fn http(addr: &str, method: &str, path: &str, body: &str) -> (u16, String, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let req = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
    s.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    (status, head.to_string(), rest.to_string())
}

fn json_input(name: &str, text: &str) -> String {
    serde_json::json!({"inputs": [{"name": name, "text": text}]}).to_string()
}

#[test]
fn page_and_script_are_served_with_a_strict_policy() {
    let s = start();
    let (code, head, body) = http(&s.addr, "GET", "/", "");
    assert_eq!(code, 200);
    assert!(body.contains("<textarea") && body.contains("/app.js"));
    assert!(head
        .to_ascii_lowercase()
        .contains("content-security-policy: default-src 'none'"));
    let (code, _, js) = http(&s.addr, "GET", "/app.js", "");
    assert_eq!(code, 200);
    assert!(js.contains("/api/diagnose"));
}

#[test]
fn pasted_log_gives_the_report_with_ladder_and_cause() {
    let s = start();
    let log = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/logs/ios-psk-mismatch-initiator.log"
    ))
    .unwrap();
    let (code, _, body) = http(
        &s.addr,
        "POST",
        "/api/diagnose",
        &json_input("r1.log", &log),
    );
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("psk-mismatch"));
    assert!(body.contains("<svg") && body.contains("class=\"step failing\""));
}

#[test]
fn device_text_is_escaped_and_secrets_redacted() {
    let s = start();
    let hostile = "<script>alert(1)</script> %CRYPTO-4-IKMP_BAD_MESSAGE: IKE message from 198.51.100.1 failed its sanity check or is malformed\nR1(config)#crypto isakmp key Sup3rSecret address 198.51.100.1\n";
    let (code, _, body) = http(
        &s.addr,
        "POST",
        "/api/diagnose",
        &json_input("<img src=x onerror=alert(2)>", hostile),
    );
    assert_eq!(code, 200);
    assert!(!body.contains("<script>alert") && !body.contains("<img src=x"));
    assert!(!body.contains("Sup3rSecret"));
}

#[test]
fn oversized_and_malformed_requests_are_refused() {
    let s = start();
    let big = "x".repeat(17 * 1024 * 1024);
    let (code, _, _) = http(&s.addr, "POST", "/api/diagnose", &json_input("big", &big));
    assert_eq!(code, 413);
    let (code, _, _) = http(&s.addr, "POST", "/api/diagnose", "{not json");
    assert!((400..500).contains(&code));
    let (code, _, _) = http(&s.addr, "POST", "/api/diagnose", "{\"inputs\": []}");
    assert_eq!(code, 400);
}
