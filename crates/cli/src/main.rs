//! `ipsec-doctor`: diagnose Cisco IPsec VPNs from what the devices print.

mod explain;
mod fleet;
mod gather;
mod input;
mod serve;

use clap::{Parser, Subcommand, ValueEnum};
use ipsec_doctor_report::{render_html, render_json, render_mermaid, render_text, TextOptions};
use std::io::{IsTerminal, Write};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "ipsec-doctor", version, about = "Diagnose Cisco IOS / IOS-XE / PIX / ASA IPsec VPN failures from debug output, syslog and show output", long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    /// One self-contained HTML page with ladder diagrams.
    Html,
    /// Mermaid sequence diagrams to paste into a wiki.
    Mermaid,
}

#[derive(Clone, Copy, ValueEnum)]
enum FleetFormat {
    Text,
    Json,
    Csv,
}

/// What `parse` prints: JSON only (the option is there so that scripts can
/// say so).
#[derive(Clone, Copy, ValueEnum)]
enum ParseFormat {
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// Diagnose every tunnel in the given logs (files, directories, .gz, or - for stdin).
    Diagnose {
        /// Inputs; `-` reads standard input.
        #[arg(required = true)]
        paths: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Colour the text output.
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
        /// Show only problems (hide healthy tunnels and recovered transients).
        #[arg(long, short)]
        brief: bool,
    },
    /// Simulate the IKE/IPsec negotiation between device configurations (IOS, ASA, PIX).
    Simulate {
        /// Configuration files (two or more; a directory reads every file in it).
        #[arg(required = true, num_args = 1..)]
        paths: Vec<String>,
        /// Also print the debug lines each side would log.
        #[arg(long)]
        trace: bool,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Colour the text output.
        #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
        color: ColorChoice,
    },
    /// Every tunnel of a fleet: read every configuration under the directories, pair peers, simulate each tunnel.
    Fleet {
        /// Directories (or files) of configurations.
        #[arg(required = true, num_args = 1..)]
        paths: Vec<String>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = FleetFormat::Text)]
        format: FleetFormat,
    },
    /// A local web page: paste text or drop files from both ends, see the report.
    Serve {
        /// Address to listen on (loopback by default; port 0 picks a free one).
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
    },
    /// Print what a configuration or show output parses to, as JSON.
    Parse {
        /// Output format (JSON, the schema in crates/show/README.md and
        /// crates/model for configurations).
        #[arg(long, value_enum, default_value = "json")]
        format: ParseFormat,
        /// A configuration or show output file (`-` for stdin).
        path: String,
    },
    /// Explain a log message, a root-cause code or an ISAKMP state.
    Explain {
        /// A message as a device prints it, a code such as `psk-mismatch`, or a state such as `MM_WAIT_MSG4`.
        #[arg(required = true, num_args = 1..)]
        text: Vec<String>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Diagnose {
            paths,
            format,
            color,
            brief,
        } => diagnose(&paths, format, color, brief),
        Command::Simulate {
            paths,
            trace,
            format,
            color,
        } => simulate(&paths, trace, format, color),
        Command::Parse {
            format: ParseFormat::Json,
            path,
        } => parse(&path),
        Command::Serve { listen } => match serve::run(listen) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("ipsec-doctor: {e}");
                ExitCode::from(2)
            }
        },
        Command::Fleet { paths, format } => fleet_cmd(&paths, format),
        Command::Explain { text } => explain::run(&text.join(" ")),
    }
}

fn use_color(color: ColorChoice) -> bool {
    match color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::io::stdout().is_terminal()
                && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        }
    }
}

fn emit(out: &str) {
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`| head`) is not an error worth reporting.
    let _ = stdout
        .write_all(out.as_bytes())
        .and_then(|_| stdout.flush());
}

fn gathered(paths: &[String]) -> Result<gather::Gathered, ExitCode> {
    let inputs = input::expand(paths).map_err(|e| {
        eprintln!("ipsec-doctor: {e}");
        ExitCode::from(2)
    })?;
    gather::gather(&inputs).map_err(|e| {
        eprintln!("ipsec-doctor: {e}");
        ExitCode::from(2)
    })
}

fn render(
    report: &ipsec_doctor_model::Report,
    format: Format,
    color: ColorChoice,
    brief: bool,
) -> String {
    match format {
        Format::Json => render_json(report),
        Format::Html => render_html(report),
        Format::Mermaid => render_mermaid(report),
        Format::Text => render_text(
            report,
            TextOptions {
                color: use_color(color),
                verbose: !brief,
                ..TextOptions::default()
            },
        ),
    }
}

fn diagnose(paths: &[String], format: Format, color: ColorChoice, brief: bool) -> ExitCode {
    let g = match gathered(paths) {
        Ok(g) => g,
        Err(code) => return code,
    };
    let report = gather::conclude(g);
    emit(&render(&report, format, color, brief));
    ExitCode::from(if report.has_problem() { 1 } else { 0 })
}

fn simulate(paths: &[String], trace: bool, format: Format, color: ColorChoice) -> ExitCode {
    let g = match gathered(paths) {
        Ok(g) => g,
        Err(code) => return code,
    };
    if g.configs.len() < 2 || !g.shows.is_empty() {
        eprintln!("ipsec-doctor: simulate needs two or more configurations (IOS, ASA or PIX); {} of the inputs are configurations", g.configs.len());
        return ExitCode::from(2);
    }
    let results = ipsec_doctor_sim::simulate(&g.configs);
    let mut traces = Vec::new();
    if trace {
        for t in &results {
            for o in std::iter::once(&t.forward).chain(t.reverse.as_ref()) {
                let lines = ipsec_doctor_sim::trace(&g.configs, o);
                let who = g.configs[o.initiator].name().to_string();
                traces.push((
                    format!("{who} initiates toward {} ({})", o.peer_addr, o.code),
                    lines,
                ));
            }
        }
    }
    let report = gather::conclude(g);
    let mut out = String::new();
    match format {
        Format::Json => {
            let mut v: serde_json::Value =
                serde_json::from_str(&render_json(&report)).unwrap_or(serde_json::Value::Null);
            if trace {
                let t: Vec<serde_json::Value> = traces
                    .iter()
                    .map(|(title, lines)| serde_json::json!({"negotiation": title, "lines": lines.iter().map(|l| serde_json::json!({"device": l.device, "text": l.text})).collect::<Vec<_>>()}))
                    .collect();
                v["traces"] = serde_json::Value::Array(t);
            }
            out = serde_json::to_string_pretty(&v).unwrap_or_default();
            out.push('\n');
        }
        Format::Text | Format::Html | Format::Mermaid => {
            for (title, lines) in traces.iter().filter(|_| matches!(format, Format::Text)) {
                out.push_str(&format!("--- trace: {title}\n"));
                for l in lines {
                    out.push_str(&format!("[{}] {}\n", l.device, l.text));
                }
            }
            if !traces.is_empty() {
                out.push('\n');
            }
            out.push_str(&render(&report, format, color, false));
        }
    }
    emit(&out);
    ExitCode::from(if report.has_problem() { 1 } else { 0 })
}

fn fleet_cmd(paths: &[String], format: FleetFormat) -> ExitCode {
    let fleet::Read {
        configs,
        skipped,
        not_simulated,
    } = match fleet::load(paths) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("ipsec-doctor: {e}");
            return ExitCode::from(2);
        }
    };
    if configs.is_empty() {
        eprintln!(
            "ipsec-doctor: no configuration found under {}",
            paths.join(", ")
        );
        return ExitCode::from(2);
    }
    let mut f = ipsec_doctor_sim::fleet(&configs, skipped);
    f.not_simulated = not_simulated;
    let out = match format {
        FleetFormat::Text => fleet::text(&f),
        FleetFormat::Csv => fleet::csv(&f),
        FleetFormat::Json => serde_json::to_string_pretty(&f)
            .map(|s| s + "\n")
            .unwrap_or_default(),
    };
    emit(&out);
    let problem = f
        .tunnels
        .iter()
        .any(|r| r.status != "tunnel-up" && r.status != "peer-config-missing");
    ExitCode::from(if problem { 1 } else { 0 })
}

fn parse(path: &str) -> ExitCode {
    let read = input::expand(&[path.to_string()]).and_then(|inputs| gather::gather_whole(&inputs));
    let (configs, shows) = match read {
        Ok(found) => found,
        Err(e) => {
            eprintln!("ipsec-doctor: {e}");
            return ExitCode::from(2);
        }
    };
    // Written as it is serialised: a large show output gives over 100 MB
    // of JSON, which a `serde_json::Value` and a string of it held twice
    // over (1 GB for 60 MB of input).
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let written = if let Some(c) = configs.first() {
        serde_json::to_writer_pretty(&mut out, c)
    } else if let Some(s) = shows.first() {
        serde_json::to_writer_pretty(&mut out, s)
    } else {
        eprintln!("ipsec-doctor: {path} is neither a configuration nor show output; `diagnose` reads logs");
        return ExitCode::from(2);
    };
    let done = written
        .map_err(std::io::Error::from)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush());
    match done {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`| head`) is not an error worth reporting.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ipsec-doctor: {e}");
            ExitCode::from(2)
        }
    }
}
