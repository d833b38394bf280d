//! The AWS extension of the rules engine: `aws.partition`, `aws.parseArn` and
//! `aws.isVirtualHostableS3Bucket`.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use super::partitions::{Partition, partition_of};
use super::value::Val;

/// `aws.partition`: the record of the partition `region` belongs to.
pub(crate) fn partition(region: &str) -> Val {
    partition_record(partition_of(region))
}

fn partition_record(p: &Partition) -> Val {
    Val::Object(BTreeMap::from([
        ("name".to_owned(), Val::Str(p.name.to_owned())),
        ("dnsSuffix".to_owned(), Val::Str(p.dns_suffix.to_owned())),
        ("dualStackDnsSuffix".to_owned(), Val::Str(p.dual_stack_dns_suffix.to_owned())),
        ("supportsFIPS".to_owned(), Val::Bool(p.supports_fips)),
        ("supportsDualStack".to_owned(), Val::Bool(p.supports_dual_stack)),
        ("implicitGlobalRegion".to_owned(), Val::Str(p.implicit_global_region.to_owned())),
    ]))
}

/// The parts of an ARN.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Arn {
    pub partition: String,
    pub service: String,
    pub region: String,
    pub account_id: String,
    /// The resource, split at every `:` and `/`.
    pub resource_id: Vec<String>,
}

impl Arn {
    /// The record the rules see.
    pub fn into_val(self) -> Val {
        Val::Object(BTreeMap::from([
            ("partition".to_owned(), Val::Str(self.partition)),
            ("service".to_owned(), Val::Str(self.service)),
            ("region".to_owned(), Val::Str(self.region)),
            ("accountId".to_owned(), Val::Str(self.account_id)),
            ("resourceId".to_owned(), Val::Array(self.resource_id.into_iter().map(Val::Str).collect())),
        ]))
    }
}

/// `aws.parseArn`: `arn:partition:service:region:account:resource`, where partition, service
/// and resource must not be empty (region and account may be); unset otherwise.
pub(crate) fn parse_arn(value: &str) -> Option<Arn> {
    let mut fields = value.splitn(6, ':');
    let (prefix, partition, service, region, account, resource) =
        (fields.next()?, fields.next()?, fields.next()?, fields.next()?, fields.next()?, fields.next()?);
    if prefix != "arn" || partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    Some(Arn {
        partition: partition.to_owned(),
        service: service.to_owned(),
        region: region.to_owned(),
        account_id: account.to_owned(),
        resource_id: resource.split([':', '/']).map(str::to_owned).collect(),
    })
}

/// `aws.isVirtualHostableS3Bucket`: whether a bucket name can be the first label of an S3
/// host name. The name is 3 to 63 characters of lower-case letters, digits and hyphens that
/// start and end with a letter or a digit; with `allow_sub_domains`, dots may join such labels
/// (each non-empty) as long as the whole is not shaped like an IPv4 address.
pub(crate) fn is_virtual_hostable_s3_bucket(value: &str, allow_sub_domains: bool) -> bool {
    fn label(l: &str) -> bool {
        let bytes = l.as_bytes();
        let edge = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
        match (bytes.first(), bytes.last()) {
            (Some(&first), Some(&last)) => edge(first) && edge(last) && bytes.iter().all(|&b| edge(b) || b == b'-'),
            _ => false,
        }
    }
    if !(3..=63).contains(&value.len()) {
        return false;
    }
    if allow_sub_domains { value.split('.').all(label) && value.parse::<Ipv4Addr>().is_err() } else { label(value) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(v: &Val, name: &str) -> Val {
        let Val::Object(fields) = v else { panic!("{v:?}") };
        fields[name].clone()
    }

    #[test]
    fn partition_records_carry_every_fact() {
        let p = partition("us-gov-west-1");
        assert_eq!(field(&p, "name"), Val::Str("aws-us-gov".into()));
        assert_eq!(field(&p, "dnsSuffix"), Val::Str("amazonaws.com".into()));
        assert_eq!(field(&p, "dualStackDnsSuffix"), Val::Str("api.aws".into()));
        assert_eq!(field(&p, "supportsFIPS"), Val::Bool(true));
        assert_eq!(field(&p, "supportsDualStack"), Val::Bool(true));
        assert_eq!(field(&p, "implicitGlobalRegion"), Val::Str("us-gov-west-1".into()));
        assert_eq!(field(&partition("us-isob-east-1"), "supportsDualStack"), Val::Bool(false));
        assert_eq!(field(&partition("nowhere"), "name"), Val::Str("aws".into()));
    }

    #[test]
    fn arns_split_into_their_parts() {
        let arn = parse_arn("arn:aws:s3:us-west-2:123456789012:accesspoint/my-ap:extra").unwrap();
        assert_eq!(
            arn,
            Arn {
                partition: "aws".into(),
                service: "s3".into(),
                region: "us-west-2".into(),
                account_id: "123456789012".into(),
                resource_id: vec!["accesspoint".into(), "my-ap".into(), "extra".into()],
            }
        );
        let arn = parse_arn("arn:aws:iam:::role/x").unwrap();
        assert_eq!((arn.region.as_str(), arn.account_id.as_str()), ("", ""));
        assert_eq!(arn.resource_id, ["role", "x"]);
    }

    #[test]
    fn malformed_arns_are_unset() {
        for bad in [
            "",
            "arn",
            "arn:aws:s3:r:a",
            "arn:aws:s3:r:a:",
            "arn::s3:r:a:res",
            "arn:aws::r:a:res",
            "urn:aws:s3:r:a:res",
        ] {
            assert_eq!(parse_arn(bad), None, "{bad}");
        }
    }

    #[test]
    fn virtual_hostable_buckets() {
        for good in ["abc", "my-bucket", "123", &"a".repeat(63)] {
            assert!(is_virtual_hostable_s3_bucket(good, false), "{good}");
        }
        for bad in ["ab", "-abc", "abc-", "ABC", "a_b", "a.b.c", &"a".repeat(64), "my..bucket"] {
            assert!(!is_virtual_hostable_s3_bucket(bad, false), "{bad}");
        }
        assert!(is_virtual_hostable_s3_bucket("a.b.c", true));
        assert!(is_virtual_hostable_s3_bucket("my.bucket-1", true));
        for bad in ["a..b", "a.-b", "192.168.0.1", ".abc", "abc."] {
            assert!(!is_virtual_hostable_s3_bucket(bad, true), "{bad}");
        }
    }
}
