//! End to end in real headless Chromium: the page loads an example into its
//! text area, submits it, and the report with the ladder diagram and the
//! root cause appears. Needs `chromium` (Debian package); `.ci/run` installs
//! it and runs this test with `--ignored`.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

fn chromium() -> Option<String> {
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .find(|p| std::path::Path::new(p).exists())
    .map(|p| p.to_string())
}

fn chrome_args(profile: &std::path::Path) -> Vec<String> {
    [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--virtual-time-budget=15000",
    ]
    .iter()
    .map(|s| s.to_string())
    .chain(std::iter::once(format!(
        "--user-data-dir={}",
        profile.display()
    )))
    .collect()
}

#[test]
#[ignore = "needs Debian's chromium; run by .ci/run"]
fn pasted_example_shows_ladder_and_root_cause_in_chromium() {
    let browser = chromium().expect("chromium is not installed (apt-get install chromium)");
    let mut server = Command::new(env!("CARGO_BIN_EXE_ipsec-doctor"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(server.stderr.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .split("http://")
        .nth(1)
        .and_then(|s| s.split('/').next())
        .unwrap()
        .to_string();
    let url = format!("http://{addr}/?example=ios-psk-mismatch-initiator&run=1");
    let out_dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"));
    let profile = out_dir.join("chromium-profile");

    let dom = Command::new(&browser)
        .args(chrome_args(&profile))
        .arg("--dump-dom")
        .arg(&url)
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&dom.stdout);
    let report = dom.split("id=\"report\"").nth(1).unwrap_or("");
    assert!(
        report.contains("psk-mismatch"),
        "root cause missing from the page:\n{dom}"
    );
    assert!(
        report.contains("<svg"),
        "ladder diagram missing from the page"
    );
    assert!(report.contains("step failing"), "failing step not marked");

    let shot = out_dir.join("serve-report.png");
    let _ = std::fs::remove_file(&shot);
    let status = Command::new(&browser)
        .args(chrome_args(&profile))
        .arg("--window-size=1200,1800")
        .arg(format!("--screenshot={}", shot.display()))
        .arg(&url)
        .status()
        .unwrap();
    let _ = server.kill();
    let _ = server.wait();
    assert!(status.success());
    assert!(
        std::fs::metadata(&shot)
            .map(|m| m.len() > 10_000)
            .unwrap_or(false),
        "no screenshot at {}",
        shot.display()
    );
    eprintln!("screenshot: {}", shot.display());
}
