//! The AWS region: a name, and what a builder's `region(..)` accepts. Its own module because
//! both the configuration and the credential chain (which reads the region from the profile)
//! need it, and neither should need the other.

use std::borrow::Cow;
use std::fmt;

/// An AWS region name, e.g. `us-east-1`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Region(Cow<'static, str>);

impl Region {
    /// A region by name.
    pub fn new(name: impl Into<Cow<'static, str>>) -> Self {
        Region(name.into())
    }

    /// Its name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Region {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<&'static str> for Region {
    fn from(s: &'static str) -> Self {
        Region::new(s)
    }
}

impl From<String> for Region {
    fn from(s: String) -> Self {
        Region::new(s)
    }
}

/// What [`Builder::region`](crate::client::config::Builder::region) takes: a [`Region`], `Some(region)` or `None` (the AWS SDK's
/// `impl Into<Option<Region>>`, so that `.region(sdk_config.region().cloned())` moves across),
/// or a region name.
pub trait IntoRegion {
    /// The region, or `None` to leave it to the environment.
    fn into_region(self) -> Option<Region>;
}

impl IntoRegion for Region {
    fn into_region(self) -> Option<Region> {
        Some(self)
    }
}

impl IntoRegion for Option<Region> {
    fn into_region(self) -> Option<Region> {
        self
    }
}

impl IntoRegion for &'static str {
    fn into_region(self) -> Option<Region> {
        Some(Region::new(self))
    }
}

impl IntoRegion for String {
    fn into_region(self) -> Option<Region> {
        Some(Region::new(self))
    }
}

/// aws-config's region (feature `aws-config`), so that `.region(aws_config::Region::new(..))`
/// moves across as written. (Not `Option<aws_config::Region>`: a second `Option` would leave
/// `.region(None)` without a type.)
#[cfg(feature = "aws-config")]
impl From<aws_types::region::Region> for Region {
    fn from(region: aws_types::region::Region) -> Self {
        Region::new(region.as_ref().to_owned())
    }
}

#[cfg(feature = "aws-config")]
impl IntoRegion for aws_types::region::Region {
    fn into_region(self) -> Option<Region> {
        Some(self.into())
    }
}
