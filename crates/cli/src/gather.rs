//! Reads every input, decides what it is (configuration, `show` output, or
//! logs), and combines the analyses into one report.

use crate::input::{self, Input};
use ipsec_doctor_logs::LogAnalyzer;
use ipsec_doctor_model::config::DeviceConfig;
use ipsec_doctor_model::{Code, Finding, InputSummary, Report, Severity};
use ipsec_doctor_show::ShowOutput;
use std::collections::{HashMap, HashSet};
use std::io::{self, BufRead, Read};

/// Bytes at the head of an input that decide what it is.
const SNIFF: usize = 64 * 1024;

/// Whole-file analyses (configurations, show output) read at most this much.
const MAX_WHOLE: u64 = 64 * 1024 * 1024;

/// What was read, before the analyses are combined.
pub struct Gathered {
    /// Logs, streamed.
    pub logs: LogAnalyzer,
    /// Configurations.
    pub configs: Vec<DeviceConfig>,
    /// Lines skipped per configuration.
    pub config_skipped: Vec<Vec<u64>>,
    /// Per configuration: what it holds that is not simulated (IKEv2, VTI).
    pub config_not_simulated: Vec<Option<String>>,
    /// Show outputs.
    pub shows: Vec<ShowOutput>,
}

/// Reads every input: configurations and show output whole, logs (and show
/// output, which often sits in a console session) streamed through one
/// analyser pass so that many small files use every core.
pub fn gather(inputs: &[Input]) -> Result<Gathered, String> {
    let mut configs = Vec::new();
    let mut config_skipped = Vec::new();
    let mut config_not_simulated = Vec::new();
    let mut shows = Vec::new();
    let streams = inputs.iter().filter_map(|inp| {
        let opened = open_and_sort(inp);
        let (text, is_config) = match opened {
            Err(e) => return Some(Err(io::Error::other(e))),
            Ok(Opened::Log(reader)) => return Some(Ok((inp.display.clone(), reader))),
            Ok(Opened::Whole { text, is_config }) => (text, is_config),
        };
        if is_config {
            let (cfg, skipped) = config_of(&inp.display, &text);
            configs.push(cfg);
            config_skipped.push(skipped);
            config_not_simulated.push(ipsec_doctor_config::not_simulated_summary(&text));
            None
        } else {
            shows.push(ipsec_doctor_show::parse(&inp.display, &text));
            // Show output often sits in a console session with debug
            // lines: the log analyser reads the same text.
            let bytes: Box<dyn BufRead + Send> = Box::new(io::Cursor::new(text.into_bytes()));
            Some(Ok((inp.display.clone(), bytes)))
        }
    });
    let mut logs = LogAnalyzer::new();
    logs.add_readers(streams).map_err(|e| e.to_string())?;
    Ok(Gathered {
        logs,
        configs,
        config_skipped,
        config_not_simulated,
        shows,
    })
}

/// What `parse` prints: the configurations and show output among the
/// inputs, read whole, without the log analysis [`gather`] also runs over
/// show output (inputs that are logs give neither).
pub fn gather_whole(inputs: &[Input]) -> Result<(Vec<DeviceConfig>, Vec<ShowOutput>), String> {
    let mut configs = Vec::new();
    let mut shows = Vec::new();
    for inp in inputs {
        if let Opened::Whole { text, is_config } = open_and_sort(inp)? {
            if is_config {
                configs.push(config_of(&inp.display, &text).0);
            } else {
                shows.push(ipsec_doctor_show::parse(&inp.display, &text));
            }
        }
    }
    Ok((configs, shows))
}

/// An input opened and sniffed.
enum Opened {
    /// Logs, to stream.
    Log(Box<dyn BufRead + Send>),
    /// A configuration or show output, read whole.
    Whole { text: String, is_config: bool },
}

fn open_and_sort(inp: &Input) -> Result<Opened, String> {
    let mut reader = input::open(inp)?;
    let head = reader
        .fill_buf()
        .map_err(|e| format!("cannot read {}: {e}", inp.display))?;
    if head.is_empty() {
        return Err(format!(
            "{}: empty input; give debug/syslog output, show output or a configuration",
            inp.display
        ));
    }
    // What a file is shows in its first lines; sniffing a whole buffer of
    // each of thousands of small log files cost more than analysing them.
    let head = &head[..head.len().min(SNIFF)];
    let sample = match std::str::from_utf8(head) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(e) if e.error_len().is_none() => {
            // Cut inside a character at the end of the sample.
            std::borrow::Cow::Borrowed(std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or(""))
        }
        Err(_) => String::from_utf8_lossy(head),
    };
    let is_config = ipsec_doctor_config::looks_like_config(&sample);
    let is_show = !is_config && ipsec_doctor_show::looks_like_show(&sample);
    drop(sample);
    if !is_config && !is_show {
        return Ok(Opened::Log(reader));
    }
    let mut bytes = Vec::new();
    reader
        .by_ref()
        .take(MAX_WHOLE + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {}: {e}", inp.display))?;
    if bytes.len() as u64 > MAX_WHOLE {
        if is_config {
            return Err(format!(
                "{}: larger than {} MiB; configurations are read whole — split the file",
                inp.display,
                MAX_WHOLE >> 20
            ));
        }
        // A console session that starts with show output and runs on for
        // gigabytes: stream it as a log (the log analyser reads show
        // counters too) rather than refuse it.
        let rest: Box<dyn BufRead + Send> = Box::new(io::Cursor::new(bytes).chain(reader));
        return Ok(Opened::Log(rest));
    }
    // Valid UTF-8 keeps its buffer; only other bytes are copied, replaced.
    let text = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    Ok(Opened::Whole { text, is_config })
}

/// Parses a configuration of whichever platform it is.
fn config_of(name: &str, text: &str) -> (DeviceConfig, Vec<u64>) {
    let platform =
        ipsec_doctor_config::detect(text).unwrap_or(ipsec_doctor_model::config::Platform::Ios);
    ipsec_doctor_config::parse_with_skipped(name, text, platform)
}

/// Adds a configuration or show output held in memory.
fn add_whole(g: &mut Gathered, name: &str, text: &str, is_config: bool) {
    if is_config {
        let (cfg, skipped) = config_of(name, text);
        g.configs.push(cfg);
        g.config_skipped.push(skipped);
        g.config_not_simulated
            .push(ipsec_doctor_config::not_simulated_summary(text));
    } else {
        g.shows.push(ipsec_doctor_show::parse(name, text));
        // Show output often sits in a console session with debug lines:
        // the log analyser reads the same text.
        g.logs.add_text(name, text);
    }
}

/// Reads inputs held in memory (name, text), e.g. pasted into the web page.
pub fn gather_texts(items: &[(String, String)]) -> Gathered {
    let mut g = Gathered {
        logs: LogAnalyzer::new(),
        configs: Vec::new(),
        config_skipped: Vec::new(),
        config_not_simulated: Vec::new(),
        shows: Vec::new(),
    };
    for (name, text) in items {
        if ipsec_doctor_config::looks_like_config(text) {
            add_whole(&mut g, name, text, true);
        } else if ipsec_doctor_show::looks_like_show(text) {
            add_whole(&mut g, name, text, false);
        } else {
            g.logs.add_text(name, text);
        }
    }
    g
}

/// Combines every analysis into one report.
pub fn conclude(mut g: Gathered) -> Report {
    ipsec_doctor_model::config::disambiguate_names(&mut g.configs);
    let mut report = g.logs.finish();
    // Show inputs were also read as logs; their summary says "show", with
    // the counts of whichever reader understood more of the file: the show
    // parser for plain show output, the log analyser for a console session
    // that is mostly debug output. "Not recognised" is then an upper bound
    // of the lines neither understood.
    for s in &g.shows {
        if let Some(i) = report.inputs.iter_mut().find(|i| i.source == s.source) {
            i.kind = "show".to_string();
            if s.skipped < i.skipped {
                i.lines = s.lines;
                i.ignored = s.blank;
                i.skipped = s.skipped;
                i.used = s.lines.saturating_sub(s.blank + s.skipped);
                i.skipped_lines = s.skipped_lines.clone();
            }
        }
    }
    if !g.configs.is_empty() {
        let results = ipsec_doctor_sim::simulate(&g.configs);
        let (rows, findings) = ipsec_doctor_sim::findings(&g.configs, &results);
        report.tunnels.extend(rows);
        report.findings.extend(findings);
        for ((c, skipped), not_simulated) in g
            .configs
            .iter()
            .zip(&g.config_skipped)
            .zip(&g.config_not_simulated)
        {
            report.findings.extend(ipsec_doctor_sim::check(c));
            report.inputs.push(InputSummary {
                source: c.source.clone(),
                kind: "config".to_string(),
                lines: c.lines,
                used: c.lines.saturating_sub(c.skipped),
                ignored: 0,
                skipped: c.skipped,
                truncated: 0,
                skipped_lines: skipped.iter().take(20).copied().collect(),
                stopped: None,
                not_simulated: not_simulated.clone(),
            });
        }
    }
    if !g.shows.is_empty() {
        let mut shown = ipsec_doctor_show::diagnose(&g.shows);
        // The log analyser read the show inputs too. What it concluded from
        // lines of show output alone gives way to the show diagnosis, which
        // read them as the tables they are: exact evidence lines, the peer
        // of every row, fixes built from the parsed identities. What it
        // read in debug lines around the show output stays.
        // A line is show output when it lies in a recognised section and
        // the show parser did not skip it (only the first skipped lines are
        // known: past them, a line is not claimed).
        let in_show = |source: &str, line: u64| {
            g.shows.iter().any(|s| {
                let skipped_known = s.skipped_lines.len() as u64 == s.skipped
                    || s.skipped_lines.last().is_some_and(|&l| line < l);
                s.source == source
                    && skipped_known
                    && !s.skipped_lines.contains(&line)
                    && s.sections.iter().any(|sec| {
                        sec.kind != ipsec_doctor_show::SectionKind::Other
                            && (sec.line..=sec.end_line).contains(&line)
                    })
            })
        };
        report.findings.retain(|h| {
            h.evidence.is_empty() || !h.evidence.iter().all(|e| in_show(&e.source, e.line))
        });
        // The tunnel table likewise: the show parser's rows replace the log
        // analyser's rows read from show output.
        let mut rows = ipsec_doctor_show::tunnels(&g.shows, &shown);
        unname_inputs(&g.shows, &mut shown, &mut rows);
        // A log row does not always carry its lines (counters read from
        // show text give none): one for a device and peer the show rows
        // have, from the same input, is the same tunnel.
        let shown_rows: HashSet<(&str, Option<&str>, Option<&str>)> = rows
            .iter()
            .map(|r| (r.source.as_str(), r.device.as_deref(), r.peer.as_deref()))
            .collect();
        report.tunnels.retain(|t| {
            let read_from_show = in_show(&t.source, t.lines[0]) && in_show(&t.source, t.lines[1]);
            let same_row =
                shown_rows.contains(&(t.source.as_str(), t.device.as_deref(), t.peer.as_deref()));
            !(read_from_show || same_row)
        });
        report.tunnels.extend(rows);
        // Findings by cause and peer, so that thousands of show findings
        // are each checked against their few namesakes, not all.
        let mut by_cause: HashMap<(Code, Option<String>), Vec<usize>> = HashMap::new();
        for (i, h) in report.findings.iter().enumerate() {
            by_cause
                .entry((h.code, h.peer.clone()))
                .or_default()
                .push(i);
        }
        for f in shown {
            let same = by_cause.entry((f.code, f.peer.clone())).or_default();
            match same
                .iter()
                .copied()
                .find(|&i| duplicate(&report.findings[i], &f))
            {
                // The show diagnosis read the cause more surely (both ends'
                // keys, not a state): its finding stands, with the other's
                // evidence after its own.
                Some(i) if f.confidence > report.findings[i].confidence => {
                    let old = std::mem::replace(&mut report.findings[i], f);
                    let kept = &mut report.findings[i];
                    for e in old.evidence {
                        if !kept.evidence.contains(&e) {
                            kept.evidence.push(e);
                        }
                    }
                }
                Some(_) => {}
                None => {
                    same.push(report.findings.len());
                    report.findings.push(f);
                }
            }
        }
    }
    report.findings.sort_by(Finding::rank_cmp);
    // Failing tunnels first, whichever analysis found them.
    report.tunnels.sort_by_key(|t| match t.status {
        Code::TunnelUp => 2,
        Code::WeakCrypto => 1,
        _ => 0,
    });
    report
}

/// `h` already reports `f`: the same cause for the same tunnel (show output
/// read both as show and as log).
fn duplicate(h: &Finding, f: &Finding) -> bool {
    h.code == f.code
        && h.peer == f.peer
        && (h.device == f.device || h.device.is_none() || f.device.is_none())
        && (h.severity == f.severity || f.severity != Severity::Error)
}

/// Output without a prompt names no device: the show diagnosis then
/// calls the device by its input's path. Say it as the log analyser does:
/// no device on the finding or tunnel, "this device (file)" in fixes.
fn unname_inputs(
    shows: &[ipsec_doctor_show::ShowOutput],
    findings: &mut [Finding],
    rows: &mut [ipsec_doctor_model::TunnelSummary],
) {
    let unnamed = |d: &Option<String>| {
        d.as_deref()
            .filter(|d| shows.iter().any(|s| s.source == *d))
            .map(str::to_string)
    };
    let this_device = |path: &str| {
        let file = std::path::Path::new(path)
            .file_name()
            .map_or_else(|| path.to_string(), |f| f.to_string_lossy().into_owned());
        format!("this device ({file})")
    };
    for f in findings.iter_mut() {
        if let Some(path) = unnamed(&f.device) {
            f.device = None;
            for fix in &mut f.fixes {
                if fix.device == path {
                    fix.device = this_device(&path);
                }
            }
        }
        if let Some(path) = unnamed(&f.peer) {
            f.peer = Some(this_device(&path));
        }
    }
    for r in rows.iter_mut() {
        if unnamed(&r.device).is_some() {
            r.device = None;
        }
    }
}
