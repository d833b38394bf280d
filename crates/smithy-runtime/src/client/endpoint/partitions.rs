//! The AWS partitions, as `aws.partition` reports them.
//!
//! A partition is a group of regions that share a DNS suffix and a set of supported features.
//! The table below states AWS's published facts for each one (the partition data the AWS SDKs
//! ship, as of the Connect model in `shared/models`, April 2025): the pattern its region names
//! follow, the region names it lists explicitly, its DNS suffixes, whether it has FIPS and
//! dual-stack endpoints, and the region that stands for its global endpoints.
//!
//! Lookup follows the rules-engine specification: an exact region name first (any partition),
//! then the first partition whose pattern matches, else the `aws` partition, so that a region
//! AWS opens tomorrow resolves to something sensible today.
//!
//! Region patterns are all of one shape, `^<prefix>-\w+-\d+$` (e.g. `^us-gov-\w+-\d+$`), and
//! are matched by [`RegionPattern::matches`] without a regex engine.

/// One partition.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Partition {
    /// The partition id, e.g. `aws-cn`.
    pub name: &'static str,
    /// The pattern its region names follow.
    pub pattern: RegionPattern,
    /// Region names it lists explicitly (global pseudo-regions included).
    pub regions: &'static [&'static str],
    /// The DNS suffix of its endpoints, e.g. `amazonaws.com.cn`.
    pub dns_suffix: &'static str,
    /// The DNS suffix of its dual-stack (IPv4 and IPv6) endpoints.
    pub dual_stack_dns_suffix: &'static str,
    /// Whether it has FIPS endpoints.
    pub supports_fips: bool,
    /// Whether it has dual-stack endpoints.
    pub supports_dual_stack: bool,
    /// The region that global endpoints of the partition are signed for.
    pub implicit_global_region: &'static str,
}

/// A region-name pattern `^<prefix>-\w+-\d+$` for one of several prefixes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegionPattern {
    /// The allowed prefixes, e.g. `["us", "eu", …]` or `["us-gov"]`.
    pub prefixes: &'static [&'static str],
}

impl RegionPattern {
    /// Whether `region` is `<prefix>-<word>-<digits>` for one of the prefixes, where a word is
    /// one or more ASCII letters, digits or underscores (regex `\w`) and digits are ASCII.
    pub fn matches(&self, region: &str) -> bool {
        self.prefixes.iter().any(|prefix| {
            let Some(rest) = region.strip_prefix(prefix).and_then(|r| r.strip_prefix('-')) else {
                return false;
            };
            let Some((word, number)) = rest.split_once('-') else { return false };
            !word.is_empty()
                && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                && !number.is_empty()
                && number.bytes().all(|b| b.is_ascii_digit())
        })
    }
}

/// Every partition, in lookup order.
pub const PARTITIONS: &[Partition] = &[
    Partition {
        name: "aws",
        pattern: RegionPattern { prefixes: &["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"] },
        regions: &[
            "af-south-1",
            "ap-east-1",
            "ap-northeast-1",
            "ap-northeast-2",
            "ap-northeast-3",
            "ap-south-1",
            "ap-south-2",
            "ap-southeast-1",
            "ap-southeast-2",
            "ap-southeast-3",
            "ap-southeast-4",
            "ap-southeast-5",
            "ap-southeast-7",
            "aws-global",
            "ca-central-1",
            "ca-west-1",
            "eu-central-1",
            "eu-central-2",
            "eu-north-1",
            "eu-south-1",
            "eu-south-2",
            "eu-west-1",
            "eu-west-2",
            "eu-west-3",
            "il-central-1",
            "me-central-1",
            "me-south-1",
            "mx-central-1",
            "sa-east-1",
            "us-east-1",
            "us-east-2",
            "us-west-1",
            "us-west-2",
        ],
        dns_suffix: "amazonaws.com",
        dual_stack_dns_suffix: "api.aws",
        supports_fips: true,
        supports_dual_stack: true,
        implicit_global_region: "us-east-1",
    },
    Partition {
        name: "aws-cn",
        pattern: RegionPattern { prefixes: &["cn"] },
        regions: &["aws-cn-global", "cn-north-1", "cn-northwest-1"],
        dns_suffix: "amazonaws.com.cn",
        dual_stack_dns_suffix: "api.amazonwebservices.com.cn",
        supports_fips: true,
        supports_dual_stack: true,
        implicit_global_region: "cn-northwest-1",
    },
    Partition {
        name: "aws-us-gov",
        pattern: RegionPattern { prefixes: &["us-gov"] },
        regions: &["aws-us-gov-global", "us-gov-east-1", "us-gov-west-1"],
        dns_suffix: "amazonaws.com",
        dual_stack_dns_suffix: "api.aws",
        supports_fips: true,
        supports_dual_stack: true,
        implicit_global_region: "us-gov-west-1",
    },
    Partition {
        name: "aws-iso",
        pattern: RegionPattern { prefixes: &["us-iso"] },
        regions: &["aws-iso-global", "us-iso-east-1", "us-iso-west-1"],
        dns_suffix: "c2s.ic.gov",
        dual_stack_dns_suffix: "c2s.ic.gov",
        supports_fips: true,
        supports_dual_stack: false,
        implicit_global_region: "us-iso-east-1",
    },
    Partition {
        name: "aws-iso-b",
        pattern: RegionPattern { prefixes: &["us-isob"] },
        regions: &["aws-iso-b-global", "us-isob-east-1"],
        dns_suffix: "sc2s.sgov.gov",
        dual_stack_dns_suffix: "sc2s.sgov.gov",
        supports_fips: true,
        supports_dual_stack: false,
        implicit_global_region: "us-isob-east-1",
    },
    Partition {
        name: "aws-iso-e",
        pattern: RegionPattern { prefixes: &["eu-isoe"] },
        regions: &["aws-iso-e-global", "eu-isoe-west-1"],
        dns_suffix: "cloud.adc-e.uk",
        dual_stack_dns_suffix: "cloud.adc-e.uk",
        supports_fips: true,
        supports_dual_stack: false,
        implicit_global_region: "eu-isoe-west-1",
    },
    Partition {
        name: "aws-iso-f",
        pattern: RegionPattern { prefixes: &["us-isof"] },
        regions: &["aws-iso-f-global", "us-isof-east-1", "us-isof-south-1"],
        dns_suffix: "csp.hci.ic.gov",
        dual_stack_dns_suffix: "csp.hci.ic.gov",
        supports_fips: true,
        supports_dual_stack: false,
        implicit_global_region: "us-isof-south-1",
    },
    Partition {
        name: "aws-eusc",
        pattern: RegionPattern { prefixes: &["eusc-de"] },
        regions: &["eusc-de-east-1"],
        dns_suffix: "amazonaws.eu",
        dual_stack_dns_suffix: "amazonaws.eu",
        supports_fips: true,
        supports_dual_stack: false,
        implicit_global_region: "eusc-de-east-1",
    },
];

/// The partition of `region`: by exact name, else by pattern, else `aws`.
pub fn partition_of(region: &str) -> &'static Partition {
    PARTITIONS
        .iter()
        .find(|p| p.regions.contains(&region))
        .or_else(|| PARTITIONS.iter().find(|p| p.pattern.matches(region)))
        .unwrap_or(&PARTITIONS[0])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(region: &str) -> &'static str {
        partition_of(region).name
    }

    #[test]
    fn regions_resolve_to_their_partitions() {
        for (region, partition) in [
            ("us-east-1", "aws"),
            ("il-central-1", "aws"),
            ("mx-central-1", "aws"),
            ("aws-global", "aws"),
            ("cn-north-1", "aws-cn"),
            ("aws-cn-global", "aws-cn"),
            ("us-gov-west-1", "aws-us-gov"),
            ("us-iso-east-1", "aws-iso"),
            ("us-isob-east-1", "aws-iso-b"),
            ("eu-isoe-west-1", "aws-iso-e"),
            ("us-isof-south-1", "aws-iso-f"),
            ("eusc-de-east-1", "aws-eusc"),
        ] {
            assert_eq!(name(region), partition, "{region}");
        }
    }

    #[test]
    fn unlisted_regions_resolve_by_pattern() {
        assert_eq!(name("ap-southeast-9"), "aws");
        assert_eq!(name("cn-south-7"), "aws-cn");
        assert_eq!(name("us-gov-north-2"), "aws-us-gov");
        assert_eq!(name("us-iso-north-3"), "aws-iso");
        assert_eq!(name("us-isob-west-4"), "aws-iso-b");
        assert_eq!(name("eu-isoe-north-5"), "aws-iso-e");
        assert_eq!(name("us-isof-east-6"), "aws-iso-f");
        assert_eq!(name("eusc-de-west-2"), "aws-eusc");
    }

    #[test]
    fn unknown_regions_fall_back_to_aws() {
        for region in ["", "mars-east-1", "local", "us-east", "us-east-1a", "US-EAST-1"] {
            assert_eq!(name(region), "aws", "{region}");
        }
    }

    #[test]
    fn patterns_need_a_word_and_a_number() {
        let gov = RegionPattern { prefixes: &["us-gov"] };
        assert!(gov.matches("us-gov-west-1"));
        assert!(gov.matches("us-gov-a_b-10"));
        assert!(!gov.matches("us-gov-west-"));
        assert!(!gov.matches("us-gov--1"));
        assert!(!gov.matches("us-gov-west-1a"));
        assert!(!gov.matches("us-gov-west-north-1"));
        assert!(!gov.matches("us-govwest-1"));
        let aws = &PARTITIONS[0].pattern;
        assert!(!aws.matches("us-gov-west-1"), "a hyphen is not a word character");
        assert!(!aws.matches("us-iso-east-1x"));
    }

    #[test]
    fn partition_facts() {
        let cn = partition_of("cn-north-1");
        assert_eq!((cn.dns_suffix, cn.dual_stack_dns_suffix), ("amazonaws.com.cn", "api.amazonwebservices.com.cn"));
        let iso = partition_of("us-iso-east-1");
        assert!(iso.supports_fips && !iso.supports_dual_stack);
        assert_eq!(partition_of("us-east-1").implicit_global_region, "us-east-1");
        assert_eq!(partition_of("us-gov-east-1").dual_stack_dns_suffix, "api.aws");
        let names: Vec<_> = PARTITIONS.iter().map(|p| p.name).collect();
        assert_eq!(
            names,
            ["aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"]
        );
    }
}
