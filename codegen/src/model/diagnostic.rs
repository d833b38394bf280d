//! Diagnostics: what went wrong, on which shape, where in the model, and what to do.
//!
//! Passes collect diagnostics instead of stopping at the first problem, so a model with three
//! problems reports three. The library returns them as data; [`Diagnostics::render`] turns them
//! into text with the offending source lines, for the command-line front end.

use std::fmt;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, Config};

use crate::model::shape_id::ShapeId;
use crate::model::source::{Sources, Span};

/// How bad a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Worth knowing, but generation goes on.
    Warning,
    /// Generation cannot go on.
    Error,
}

/// One problem found in a model.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The shape (or member) concerned, when there is one.
    pub shape: Option<ShapeId>,
    /// Where in the model files, when known.
    pub span: Option<Span>,
    /// What is wrong, without a trailing period.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error with a message.
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, shape: None, span: None, message: message.into(), help: None }
    }

    /// A warning with a message.
    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(message) }
    }

    /// Names the shape concerned.
    pub fn with_shape(mut self, shape: &ShapeId) -> Self {
        self.shape = Some(shape.clone());
        self
    }

    /// Points at a place in the model.
    pub fn with_span(mut self, span: Option<Span>) -> Self {
        if span.is_some() {
            self.span = span;
        }
        self
    }

    /// Adds a line saying what to do.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// `true` for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level}: ")?;
        if let Some(shape) = &self.shape {
            write!(f, "{shape}: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, " (help: {help})")?;
        }
        Ok(())
    }
}

/// The diagnostics of a run, in the order they were found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// None yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    /// Adds all of another set.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    /// `true` when at least one is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// `true` when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The diagnostics, in order.
    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// Fails with all diagnostics when any is an error, else hands back `value` and the
    /// warnings: the check between two passes.
    pub fn into_result<T>(self, value: T) -> Result<(T, Diagnostics), Diagnostics> {
        if self.has_errors() { Err(self) } else { Ok((value, self)) }
    }

    /// Renders every diagnostic with the source lines it points at, `file:line:col` first.
    pub fn render(&self, sources: &Sources) -> String {
        let mut files = SimpleFiles::new();
        let ids: Vec<usize> = sources.iter().map(|(_, f)| files.add(f.name.clone(), f.text.clone())).collect();
        let mut out = String::new();
        let config = Config::default();
        for diagnostic in &self.0 {
            let mut cs = match diagnostic.severity {
                Severity::Error => CsDiagnostic::error(),
                Severity::Warning => CsDiagnostic::warning(),
            };
            let mut message = diagnostic.message.clone();
            if let Some(shape) = &diagnostic.shape {
                message = format!("{shape}: {message}");
            }
            cs = cs.with_message(message);
            if let Some(span) = diagnostic.span
                && let Some(&file) = ids.get(span.file.0 as usize)
            {
                cs = cs.with_labels(vec![Label::primary(file, span.start as usize..span.end as usize)]);
            }
            if let Some(help) = &diagnostic.help {
                cs = cs.with_notes(vec![format!("help: {help}")]);
            }
            let mut buffer = String::new();
            if term::emit_to_string(&mut buffer, &config, &files, &cs).is_err() {
                buffer = format!("{diagnostic}\n");
            }
            out.push_str(&buffer);
        }
        out
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}
