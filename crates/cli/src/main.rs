//! `ipsec-doctor`: diagnose Cisco IPsec VPNs from what the devices print.

mod explain;
mod input;

use clap::{Parser, Subcommand, ValueEnum};
use ipsec_doctor_logs::LogAnalyzer;
use ipsec_doctor_report::{render_json, render_text, TextOptions};
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
        Command::Explain { text } => explain::run(&text.join(" ")),
    }
}

fn diagnose(paths: &[String], format: Format, color: ColorChoice, brief: bool) -> ExitCode {
    let inputs = match input::expand(paths) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("ipsec-doctor: {e}");
            return ExitCode::from(2);
        }
    };
    let mut analyzer = LogAnalyzer::new();
    for inp in &inputs {
        let reader = match input::open(inp) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("ipsec-doctor: {e}");
                return ExitCode::from(2);
            }
        };
        if let Err(e) = analyzer.add_reader(&inp.display, reader) {
            eprintln!("ipsec-doctor: cannot read {}: {e}", inp.display);
            return ExitCode::from(2);
        }
    }
    let report = analyzer.finish();
    let out = match format {
        Format::Json => render_json(&report),
        Format::Text => {
            let color = match color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                }
            };
            render_text(
                &report,
                TextOptions {
                    color,
                    verbose: !brief,
                    ..TextOptions::default()
                },
            )
        }
    };
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(out.as_bytes())
        .and_then(|_| stdout.flush())
        .is_err()
    {
        // Broken pipe (e.g. `| head`): nothing more to say.
        return ExitCode::from(if report.has_problem() { 1 } else { 0 });
    }
    ExitCode::from(if report.has_problem() { 1 } else { 0 })
}
