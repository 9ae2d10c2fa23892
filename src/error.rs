//! Error types of the library: problems in input files, with where they are.
//!
//! Validation collects every problem it finds in a file ([`Problem`]) rather than
//! stopping at the first; [`LoadError`] carries them together with the file text, so
//! the command line can show `FILE:LINE:COL` and the offending line.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// One mistake in an input file.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// What is wrong, in lowercase, without a trailing period.
    pub message: String,
    /// Byte range of the offending text in the file, when known.
    pub span: Option<Range<usize>>,
    /// How to fix it, when there is something useful to say.
    pub help: Option<String>,
}

impl Problem {
    /// A problem at `span`.
    pub fn at(span: Range<usize>, message: impl Into<String>) -> Problem {
        Problem {
            message: message.into(),
            span: Some(span),
            help: None,
        }
    }

    /// A problem that concerns the file as a whole.
    pub fn whole(message: impl Into<String>) -> Problem {
        Problem {
            message: message.into(),
            span: None,
            help: None,
        }
    }

    /// Adds advice on how to fix the problem.
    pub fn help(mut self, help: impl Into<String>) -> Problem {
        self.help = Some(help.into());
        self
    }
}

/// The problems found in one file, with the file's text.
#[derive(Clone, Debug)]
pub struct FileProblems {
    /// The file, as given by the user.
    pub path: PathBuf,
    /// The file's text.
    pub text: String,
    /// Every problem found, in file order where possible.
    pub problems: Vec<Problem>,
}

impl FileProblems {
    /// One-based line and column (in characters) of byte `offset`.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col(&self.text, offset)
    }

    /// `FILE:LINE:COL` (or just `FILE`) for a problem.
    pub fn location(&self, problem: &Problem) -> String {
        match &problem.span {
            Some(span) => {
                let (line, col) = self.line_col(span.start);
                format!("{}:{line}:{col}", self.path.display())
            }
            None => self.path.display().to_string(),
        }
    }
}

/// One-based line and column (in characters) of byte `offset` in `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

impl fmt::Display for FileProblems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{}: {}", self.location(p), p.message)?;
            if let Some(help) = &p.help {
                write!(f, "\n  help: {help}")?;
            }
        }
        Ok(())
    }
}

/// Why a network or scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A file could not be read.
    #[error("cannot read {}: {source}{}", path.display(), help.as_deref().map(|h| format!("\n  help: {h}")).unwrap_or_default())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's reason.
        source: std::io::Error,
        /// A suggestion, e.g. the nearest existing file name.
        help: Option<String>,
    },
    /// One or more files hold mistakes.
    #[error("{}", display_all(.0))]
    Invalid(Vec<FileProblems>),
}

fn display_all(files: &[FileProblems]) -> String {
    files
        .iter()
        .map(|f| f.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

impl LoadError {
    /// A read error, with a suggestion (e.g. the nearest existing file name) that the
    /// caller found: this module does no I/O.
    pub fn io(path: &Path, source: std::io::Error, help: Option<String>) -> LoadError {
        LoadError::Io {
            path: path.to_path_buf(),
            source,
            help,
        }
    }

    /// Number of problems (1 for a read error).
    pub fn count(&self) -> usize {
        match self {
            LoadError::Io { .. } => 1,
            LoadError::Invalid(files) => files.iter().map(|f| f.problems.len()).sum(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one_in_characters() {
        let text = "a = 1\nnäme = \"x\"\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 6), (2, 1));
        let x = text.find('"').unwrap();
        assert_eq!(line_col(text, x), (2, 8));
    }
}
