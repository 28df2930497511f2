//! Printing reports and listings: a closed pipe (`| head`) ends the
//! command quietly instead of panicking as `println!` does.

use std::io::Write;

pub fn line(text: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(e) = out.write_fmt(text).and_then(|_| out.write_all(b"\n")) {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
    }
}

/// `println!` for command output.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::out::line(format_args!($($arg)*))
    };
}
pub(crate) use outln;

/// The line of a delivered file the ingest did not try (sidecar or
/// ignored), the same in the ortho and vector reports; None for the others.
pub fn other_file(
    status: &str,
    path: &str,
    kind: Option<&str>,
    of: Option<&str>,
) -> Option<String> {
    let kind = kind.unwrap_or("?");
    match status {
        "sidecar" => Some(format!("  ANNEXE  {path}  {kind} de {}", of.unwrap_or("?"))),
        "ignored" => Some(format!("  IGNORÉ  {path}  {kind}")),
        _ => None,
    }
}

/// A name taken from a delivered file, for a terminal: control characters
/// (an escape sequence in a field name) are shown escaped, not sent.
pub fn shown(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let esc: Vec<char> = if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            esc
        })
        .collect()
}
