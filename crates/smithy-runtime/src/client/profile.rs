//! The AWS shared `config` and `credentials` files: where they are, how they parse, which
//! profile is selected.
//!
//! - **Where**: `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE`, by default
//!   `~/.aws/config` and `~/.aws/credentials` (home from `HOME`, or `USERPROFILE` /
//!   `HOMEDRIVE` + `HOMEPATH` on Windows; a leading `~/` in the variables is expanded too). A
//!   missing file is no error, an unreadable or malformed one is.
//! - **Which profile**: `AWS_PROFILE`, else `default`.
//! - **Sections**: in `config`, `[default]` and `[profile name]` (`[profile default]` wins over
//!   `[default]`; other sections such as `[sso-session x]` or `[services x]` are not profiles);
//!   in `credentials`, `[name]`. A section with an invalid name (allowed: letters, digits and
//!   `_-/.%@:+`), or of the wrong form for its file, is skipped, and remembered so that a
//!   "profile not found" error can point at it. Sections of the same name merge; a profile in
//!   both files merges too, the `credentials` file winning key by key.
//! - **Lines**: `name = value`; `#` or `;` starts a comment at the start of a line, at any
//!   point after a section header, and after whitespace in a value (`region = us-east-1 # x`);
//!   an indented line continues the previous value (`value\nmore`), or, under a property with
//!   an empty value, is a sub-property `name = value`. Blank lines are ignored, CRLF is fine.
//!
//! Values are secrets (`aws_secret_access_key`, `aws_session_token`): no error or `Debug`
//! here shows one; a parse error names the file and line, never its text.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use super::env::Env;

/// Which of the two shared files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// `~/.aws/config`: `[default]`, `[profile name]`.
    Config,
    /// `~/.aws/credentials`: `[name]`.
    Credentials,
}

impl FileKind {
    fn describe(self) -> &'static str {
        match self {
            FileKind::Config => "config",
            FileKind::Credentials => "credentials",
        }
    }
}

/// A line of a shared file that does not parse. Names the line, not its text (which may hold a
/// secret).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// The line, from 1.
    pub line: usize,
    /// What is wrong.
    pub reason: &'static str,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

impl std::error::Error for ParseError {}

/// One profile: its properties and sub-properties. `Debug` lists property names, never values.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Profile {
    name: String,
    properties: BTreeMap<String, String>,
    sub_properties: BTreeMap<String, BTreeMap<String, String>>,
}

impl Profile {
    /// The profile's name (`dev` for `[profile dev]`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A property's value (property names are case-sensitive, as in the AWS SDKs).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.properties.get(key).map(String::as_str)
    }

    /// A sub-property (`s3 =` then an indented `max_concurrent_requests = 20`).
    pub fn sub_property(&self, key: &str, sub: &str) -> Option<&str> {
        self.sub_properties.get(key)?.get(sub).map(String::as_str)
    }

    /// The names of the properties set.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.properties.keys().map(String::as_str)
    }

    fn merge(&mut self, other: Profile) {
        self.properties.extend(other.properties);
        for (k, subs) in other.sub_properties {
            self.sub_properties.entry(k).or_default().extend(subs);
        }
    }
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile")
            .field("name", &self.name)
            .field("properties", &self.properties.keys().collect::<Vec<_>>())
            .field("sub_properties", &self.sub_properties.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The profiles of one or both files, plus the sections that were skipped (with why).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Profiles {
    profiles: BTreeMap<String, Profile>,
    skipped: Vec<String>,
}

impl Profiles {
    /// A profile by name.
    pub fn get(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// The profile names, sorted.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys().map(String::as_str)
    }

    /// Why sections were skipped (`[foo]` in the config file, say), one sentence each.
    pub fn skipped(&self) -> &[String] {
        &self.skipped
    }

    /// Adds `other`'s profiles, its values winning.
    fn merge(&mut self, other: Profiles) {
        for (name, profile) in other.profiles {
            match self.profiles.get_mut(&name) {
                Some(p) => p.merge(profile),
                None => {
                    self.profiles.insert(name, profile);
                }
            }
        }
        self.skipped.extend(other.skipped);
    }
}

/// A property as written: name, value (continuation lines joined) and sub-properties.
type RawProperty<'a> = (&'a str, String, Vec<(&'a str, &'a str)>);

/// A section as written, with its properties in order.
struct RawSection<'a> {
    header: &'a str,
    properties: Vec<RawProperty<'a>>,
}

fn is_identifier(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "_-/.%@:+".contains(c))
}

/// Cuts a comment: `#` or `;` anywhere (`anywhere`), or only after whitespace.
fn strip_comment(line: &str, anywhere: bool) -> &str {
    let mut prev_space = false;
    for (i, c) in line.char_indices() {
        if (c == '#' || c == ';') && (anywhere || prev_space) {
            return &line[..i];
        }
        prev_space = c.is_whitespace();
    }
    line
}

fn property(line: &str, number: usize) -> Result<(&str, &str), ParseError> {
    let line = strip_comment(line.trim(), false).trim();
    let (key, value) = line.split_once('=').ok_or(ParseError { line: number, reason: "expected `name = value`" })?;
    let key = key.trim();
    if key.is_empty() {
        return Err(ParseError { line: number, reason: "a property needs a name before `=`" });
    }
    Ok((key, value.trim()))
}

fn parse_raw(text: &str) -> Result<Vec<RawSection<'_>>, ParseError> {
    let mut sections: Vec<RawSection<'_>> = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        let number = i + 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with(['#', ';']) {
            continue;
        }
        if trimmed.starts_with('[') {
            let header = strip_comment(trimmed, true).trim();
            let name = header
                .strip_prefix('[')
                .and_then(|h| h.strip_suffix(']'))
                .ok_or(ParseError { line: number, reason: "a section header must end with `]`" })?;
            sections.push(RawSection { header: name.trim(), properties: Vec::new() });
            continue;
        }
        let section = sections
            .last_mut()
            .ok_or(ParseError { line: number, reason: "a property must come after a `[section]` header" })?;
        if line.starts_with([' ', '\t']) {
            let (_, value, subs) = section.properties.last_mut().ok_or(ParseError {
                line: number,
                reason: "an indented line continues a property, but there is none before it",
            })?;
            if value.is_empty() || !subs.is_empty() {
                subs.push(property(trimmed, number)?);
            } else {
                value.push('\n');
                value.push_str(trimmed);
            }
            continue;
        }
        let (key, value) = property(line, number)?;
        section.properties.push((key, value.to_owned(), Vec::new()));
    }
    Ok(sections)
}

/// Parses one file's text. Malformed lines are errors; sections that are not profiles of this
/// kind of file are skipped (see [`Profiles::skipped`]).
pub fn parse(text: &str, kind: FileKind) -> Result<Profiles, ParseError> {
    let mut out = Profiles::default();
    let mut prefixed_default = Profile::default();
    let mut has_prefixed_default = false;
    for raw in parse_raw(text)? {
        let (prefix, name) = match raw.header.split_once([' ', '\t']) {
            Some((prefix, name)) => (Some(prefix), name.trim()),
            None => (None, raw.header),
        };
        let name = match (kind, prefix) {
            (FileKind::Config, Some("profile")) | (FileKind::Credentials, None) => name,
            (FileKind::Config, None) if name == "default" => name,
            (FileKind::Config, None) => {
                out.skipped
                    .push(format!("the config file has `[{name}]`, which must be written `[profile {name}]` there"));
                continue;
            }
            (FileKind::Config, Some(_)) => continue, // `[sso-session x]`, `[services x]`: not profiles
            (FileKind::Credentials, Some(prefix)) => {
                out.skipped.push(format!(
                    "the credentials file has `[{prefix} {name}]`, which must be written `[{name}]` there"
                ));
                continue;
            }
        };
        if !is_identifier(name) {
            out.skipped.push(format!(
                "the {} file has a section whose name is not valid (letters, digits and `_-/.%@:+` only)",
                kind.describe()
            ));
            continue;
        }
        let mut profile = Profile { name: name.to_owned(), ..Profile::default() };
        for (key, value, subs) in raw.properties {
            if !is_identifier(key) {
                continue;
            }
            if !subs.is_empty() {
                let entry = profile.sub_properties.entry(key.to_owned()).or_default();
                for (k, v) in subs {
                    entry.insert(k.to_owned(), v.to_owned());
                }
            }
            profile.properties.insert(key.to_owned(), value);
        }
        if prefix == Some("profile") && name == "default" {
            has_prefixed_default = true;
            prefixed_default.merge(profile);
        } else {
            out.merge(Profiles { profiles: BTreeMap::from([(name.to_owned(), profile)]), skipped: Vec::new() });
        }
    }
    if has_prefixed_default {
        // `[profile default]` replaces `[default]` in the config file.
        prefixed_default.name = "default".to_owned();
        out.profiles.insert("default".to_owned(), prefixed_default);
    }
    Ok(out)
}

/// What happened to one of the two files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileStatus {
    /// Read and parsed.
    Read,
    /// Not there (fine: both files are optional).
    Missing,
    /// No path: the home directory is unknown and no variable names the file.
    NoPath,
}

/// One of the two files, as looked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// Which file.
    pub kind: FileKind,
    /// Where it was looked for.
    pub path: Option<PathBuf>,
    /// What was found.
    pub status: FileStatus,
}

impl fmt::Display for SourceFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.path, &self.status) {
            (Some(p), FileStatus::Read) => write!(f, "{}", p.display()),
            (Some(p), _) => write!(f, "{} (no such file)", p.display()),
            (None, _) => write!(
                f,
                "no {} file (no home directory: HOME is not set, nor {})",
                self.kind.describe(),
                match self.kind {
                    FileKind::Config => "AWS_CONFIG_FILE",
                    FileKind::Credentials => "AWS_SHARED_CREDENTIALS_FILE",
                }
            ),
        }
    }
}

/// A shared file that could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LoadError {
    /// It exists but could not be read.
    Read {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        error: String,
    },
    /// It does not parse.
    Parse {
        /// The file.
        path: PathBuf,
        /// Where and why.
        error: ParseError,
    },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Read { path, error } => write!(f, "cannot read {}: {error}", path.display()),
            LoadError::Parse { path, error } => write!(f, "{} does not parse: {error}", path.display()),
        }
    }
}

impl std::error::Error for LoadError {}

/// Both files, loaded, and the profile selected.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileSet {
    profiles: Profiles,
    selected: String,
    selected_explicitly: bool,
    files: Vec<SourceFile>,
}

/// The home directory, as the AWS SDKs find it.
fn home_dir(env: &Env) -> Option<PathBuf> {
    if let Some(home) = env.get("HOME").or_else(|| env.get("USERPROFILE")) {
        return Some(PathBuf::from(home));
    }
    match (env.get("HOMEDRIVE"), env.get("HOMEPATH")) {
        (Some(drive), Some(path)) => Some(PathBuf::from(format!("{drive}{path}"))),
        _ => None,
    }
}

/// The path of a file: its variable (with `~` expanded) or the default under the home.
fn file_path(env: &Env, variable: &str, default: &str) -> Option<PathBuf> {
    let home = home_dir(env);
    match env.get(variable) {
        Some(path) => {
            let rest = if path == "~" { Some("") } else { path.strip_prefix("~/").or(path.strip_prefix("~\\")) };
            match (rest, home) {
                (Some(rest), Some(home)) => Some(home.join(rest)),
                _ => Some(PathBuf::from(path)),
            }
        }
        None => Some(home?.join(".aws").join(default)),
    }
}

fn read(path: &Path) -> Result<Option<String>, LoadError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(String::from_utf8_lossy(&bytes).into_owned())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(LoadError::Read { path: path.to_owned(), error: e.to_string() }),
    }
}

impl ProfileSet {
    /// Reads both files as `env` says, selecting `AWS_PROFILE` (or `default`).
    pub fn load(env: &Env) -> Result<ProfileSet, LoadError> {
        let selected = env.get("AWS_PROFILE");
        let mut set = ProfileSet {
            profiles: Profiles::default(),
            selected_explicitly: selected.is_some(),
            selected: selected.map(|s| s.trim().to_owned()).unwrap_or_else(|| "default".to_owned()),
            files: Vec::new(),
        };
        // The config file first: the credentials file wins where both set a key.
        for (kind, variable, default) in [
            (FileKind::Config, "AWS_CONFIG_FILE", "config"),
            (FileKind::Credentials, "AWS_SHARED_CREDENTIALS_FILE", "credentials"),
        ] {
            let path = file_path(env, variable, default);
            let status = match &path {
                None => FileStatus::NoPath,
                Some(path) => match read(path)? {
                    None => FileStatus::Missing,
                    Some(text) => {
                        let parsed =
                            parse(&text, kind).map_err(|error| LoadError::Parse { path: path.clone(), error })?;
                        set.profiles.merge(parsed);
                        FileStatus::Read
                    }
                },
            };
            set.files.push(SourceFile { kind, path, status });
        }
        Ok(set)
    }

    /// Selects another profile than `AWS_PROFILE` says.
    pub fn with_selected(mut self, name: impl Into<String>) -> Self {
        self.selected = name.into();
        self.selected_explicitly = true;
        self
    }

    /// The selected profile's name.
    pub fn selected_name(&self) -> &str {
        &self.selected
    }

    /// `true` when the profile was chosen (`AWS_PROFILE`, [`with_selected`](Self::with_selected)),
    /// not `default` by default.
    pub fn selected_explicitly(&self) -> bool {
        self.selected_explicitly
    }

    /// The selected profile, when a file has it.
    pub fn selected(&self) -> Option<&Profile> {
        self.profiles.get(&self.selected)
    }

    /// All the profiles.
    pub fn profiles(&self) -> &Profiles {
        &self.profiles
    }

    /// The two files: where they were looked for and what was there.
    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    /// Where the profile was looked for, for messages: `/home/u/.aws/config (no such file) or
    /// /home/u/.aws/credentials`, plus any skipped section of that name.
    pub fn looked_in(&self) -> String {
        let files: Vec<String> = self.files.iter().map(ToString::to_string).collect();
        let mut out = files.join(" or ");
        for skipped in self.profiles.skipped() {
            if skipped.contains(&format!("[{}]", self.selected)) || skipped.contains(&format!(" {}]", self.selected)) {
                out.push_str(&format!("; {skipped}"));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> Profiles {
        parse(text, FileKind::Config).unwrap()
    }

    #[test]
    fn config_sections_are_default_and_profile_prefixed() {
        let p = config("[default]\nregion = us-east-1\n[profile dev]\nregion = eu-west-1\n[sso-session s]\nx = 1\n");
        assert_eq!(p.get("default").unwrap().get("region"), Some("us-east-1"));
        assert_eq!(p.get("dev").unwrap().get("region"), Some("eu-west-1"));
        assert_eq!(p.names().collect::<Vec<_>>(), ["default", "dev"]);
    }

    #[test]
    fn config_sections_without_the_prefix_are_skipped_and_remembered() {
        let p = config("[dev]\nregion = eu-west-1\n");
        assert!(p.get("dev").is_none());
        assert!(p.skipped()[0].contains("[profile dev]"), "{:?}", p.skipped());
    }

    #[test]
    fn credentials_sections_are_bare_names() {
        let p =
            parse("[dev]\naws_access_key_id = A\n[profile x]\naws_access_key_id = B\n", FileKind::Credentials).unwrap();
        assert_eq!(p.get("dev").unwrap().get("aws_access_key_id"), Some("A"));
        assert!(p.get("x").is_none() && p.get("profile x").is_none());
        assert_eq!(p.skipped().len(), 1);
    }

    #[test]
    fn profile_default_wins_over_default() {
        let p = config("[profile default]\nregion = a\n[default]\nregion = b\noutput = json\n");
        let d = p.get("default").unwrap();
        assert_eq!(d.get("region"), Some("a"));
        assert_eq!(d.get("output"), None);
    }

    #[test]
    fn comments_blank_lines_and_whitespace() {
        let text = "# top\n; also\n\n  [ profile   dev ]  # trailing\nregion=us-west-2 ; why\nname = a#b\n\
                    \tindented_comment_free = no\r\nkey = value;x\n";
        let p = config(text);
        let dev = p.get("dev").unwrap();
        assert_eq!(dev.get("region"), Some("us-west-2"));
        // A comment needs whitespace before it inside a value.
        assert_eq!(dev.get("name"), Some("a#b\nindented_comment_free = no"));
        assert_eq!(dev.get("key"), Some("value;x"));
    }

    #[test]
    fn continuation_lines_extend_the_value() {
        let p = config("[default]\nlong = first\n  second\n\n\tthird\nnext = n\n");
        let d = p.get("default").unwrap();
        assert_eq!(d.get("long"), Some("first\nsecond\nthird"));
        assert_eq!(d.get("next"), Some("n"));
    }

    #[test]
    fn an_empty_value_opens_sub_properties() {
        let p = config("[default]\ns3 =\n  max_concurrent_requests = 20\n  addressing_style=path\nregion = r\n");
        let d = p.get("default").unwrap();
        assert_eq!(d.get("s3"), Some(""));
        assert_eq!(d.sub_property("s3", "max_concurrent_requests"), Some("20"));
        assert_eq!(d.sub_property("s3", "addressing_style"), Some("path"));
        assert_eq!(d.get("region"), Some("r"));
    }

    #[test]
    fn repeated_sections_merge_and_later_keys_win() {
        let p = config("[default]\na = 1\nb = 1\n[profile x]\n[default]\nb = 2\n");
        let d = p.get("default").unwrap();
        assert_eq!((d.get("a"), d.get("b")), (Some("1"), Some("2")));
    }

    #[test]
    fn invalid_names_are_skipped() {
        let p = config("[profile bad!name]\na = 1\n[default]\nbad key = 1\ngood.key = 2\n");
        assert!(p.get("bad!name").is_none());
        let d = p.get("default").unwrap();
        assert_eq!(d.keys().collect::<Vec<_>>(), ["good.key"]);
    }

    #[test]
    fn malformed_lines_are_errors_naming_the_line_not_the_text() {
        let cases = [
            ("a = 1\n", 1, "after a `[section]`"),
            ("[default]\nno equals sign here\n", 2, "`name = value`"),
            ("[default\n", 1, "end with `]`"),
            ("[default]\n= secret\n", 2, "a name"),
            ("[default]\n  indented = first\n", 2, "continues a property"),
            ("[default]\ns3 =\n  not a sub property\n", 3, "`name = value`"),
        ];
        for (text, line, reason) in cases {
            let e = parse(text, FileKind::Config).unwrap_err();
            assert_eq!(e.line, line, "{text:?}");
            assert!(e.reason.contains(reason), "{text:?}: {e}");
            assert!(!e.to_string().contains("secret"));
        }
    }

    #[test]
    fn debug_shows_names_not_values() {
        let p = config("[default]\naws_secret_access_key = TOPSECRET\n");
        let debug = format!("{p:?}");
        assert!(debug.contains("aws_secret_access_key") && !debug.contains("TOPSECRET"), "{debug}");
    }

    #[test]
    fn files_are_found_through_variables_and_home() {
        let env = Env::from_slice(&[("HOME", "/h"), ("AWS_CONFIG_FILE", "~/c")]);
        assert_eq!(file_path(&env, "AWS_CONFIG_FILE", "config"), Some(PathBuf::from("/h/c")));
        assert_eq!(
            file_path(&env, "AWS_SHARED_CREDENTIALS_FILE", "credentials"),
            Some(PathBuf::from("/h/.aws/credentials"))
        );
        let windows = Env::from_slice(&[("HOMEDRIVE", "C:"), ("HOMEPATH", "\\Users\\u")]);
        assert_eq!(home_dir(&windows), Some(PathBuf::from("C:\\Users\\u")));
        assert_eq!(file_path(&Env::from_slice(&[]), "AWS_CONFIG_FILE", "config"), None);
    }

    proptest::proptest! {
        #[test]
        fn the_parser_never_panics(text in "(\\PC|[\\[\\]=#; \t\r\n])*") {
            let _ = parse(&text, FileKind::Config);
            let _ = parse(&text, FileKind::Credentials);
        }

        #[test]
        fn the_parser_never_panics_on_profile_shaped_text(
            lines in proptest::collection::vec(
                "(\\[(profile )?[a-z\\-]{0,6}\\]?|[ \t]*[a-z_]{0,8} ?= ?[^\\n]{0,10}|[ \t]+[^\\n]{0,8}|[#;][^\\n]{0,5}|)",
                0..20,
            )
        ) {
            let text = lines.join("\n");
            let _ = parse(&text, FileKind::Config);
            let _ = parse(&text, FileKind::Credentials);
        }
    }
}
