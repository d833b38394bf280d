//! What the client does to a request body after serialising it and before signing it, as the
//! operation's traits ask: `@requestCompression` (gzip, above a minimum size, with
//! `Content-Encoding`; feature `request-compression`) and `@httpChecksumRequired`
//! (`Content-MD5`), and Glacier's checksums (an AWS SDK customisation; feature `checksums`).
//! The generated client crate turns on the features its model needs.

#[cfg(feature = "checksums")]
use http::HeaderValue;
#[cfg(feature = "checksums")]
use http::header::HeaderName;

use super::{Config, HttpRequest, OperationInfo};

/// The body (and its headers) as `operation` asks: compressed, then checksummed. The
/// generated crate turns on the features its operations need.
#[cfg_attr(not(feature = "request-compression"), allow(unused_variables, clippy::unnecessary_wraps))]
#[cfg_attr(not(any(feature = "checksums", feature = "request-compression")), allow(unused_mut))]
pub(super) fn prepare(
    mut request: HttpRequest,
    operation: &OperationInfo,
    config: &Config,
) -> Result<HttpRequest, std::io::Error> {
    #[cfg(feature = "request-compression")]
    compress(&mut request, operation.request_compression, config)?;
    #[cfg(feature = "checksums")]
    {
        if operation.checksum_required {
            content_md5(&mut request);
        }
        if operation.tree_hash_checksums {
            tree_hash_checksums(&mut request);
        }
    }
    Ok(request)
}

/// The smallest body compressed by default, as in the AWS SDKs.
pub const DEFAULT_MIN_COMPRESSION_SIZE: u32 = 10_240;
/// The largest minimum size the SDKs accept: 10 MiB.
pub const MAX_MIN_COMPRESSION_SIZE: u32 = 10_485_760;

/// Compresses the body with the first encoding of `encodings` this runtime knows (gzip), when
/// the config allows it and the body is at least the minimum size; the encoding is appended
/// to `Content-Encoding` (after any the caller set).
#[cfg(feature = "request-compression")]
pub fn compress(request: &mut HttpRequest, encodings: &[&str], config: &Config) -> Result<(), std::io::Error> {
    use std::io::Write as _;

    use http::HeaderValue;
    use http::header::CONTENT_ENCODING;
    if config.disable_request_compression()
        || !encodings.contains(&"gzip")
        || request.body().len() < config.request_min_compression_size_bytes() as usize
    {
        return Ok(());
    }
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(request.body())?;
    *request.body_mut() = bytes::Bytes::from(encoder.finish()?);
    let encoding = match request.headers().get(CONTENT_ENCODING).and_then(|v| v.to_str().ok()) {
        Some(existing) if !existing.trim().is_empty() => format!("{existing}, gzip"),
        _ => "gzip".to_owned(),
    };
    if let Ok(v) = HeaderValue::from_str(&encoding) {
        request.headers_mut().insert(CONTENT_ENCODING, v);
    }
    Ok(())
}

/// Sets `Content-MD5` to the base64 MD5 of the body, unless the caller set it.
#[cfg(feature = "checksums")]
pub fn content_md5(request: &mut HttpRequest) {
    use base64::Engine as _;
    use md5::Digest as _;
    const CONTENT_MD5: HeaderName = HeaderName::from_static("content-md5");
    if request.headers().contains_key(CONTENT_MD5) {
        return;
    }
    let digest = md5::Md5::digest(request.body());
    let text = base64::engine::general_purpose::STANDARD.encode(digest);
    if let Ok(v) = HeaderValue::from_str(&text) {
        request.headers_mut().insert(CONTENT_MD5, v);
    }
}

/// Sets `X-Amz-Content-Sha256` (the body's SHA-256) and `X-Amz-Sha256-Tree-Hash` (the
/// SHA-256 tree hash of its 1 MiB chunks, as Glacier defines it), in lower-case hex, unless the
/// caller set them.
#[cfg(feature = "checksums")]
pub fn tree_hash_checksums(request: &mut HttpRequest) {
    use sha2::{Digest as _, Sha256};
    let hex = |bytes: &[u8]| bytes.iter().map(|b| format!("{b:02x}")).collect::<String>();
    let body = request.body().clone();
    let mut level: Vec<[u8; 32]> = body.chunks(1024 * 1024).map(|c| Sha256::digest(c).into()).collect();
    if level.is_empty() {
        level.push(Sha256::digest(b"").into());
    }
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| match pair {
                [a, b] => Sha256::new().chain_update(a).chain_update(b).finalize().into(),
                [a, ..] => *a,
                [] => [0; 32],
            })
            .collect();
    }
    let whole = hex(&Sha256::digest(&body));
    let tree = hex(&level[0]);
    for (name, value) in [("x-amz-content-sha256", whole), ("x-amz-sha256-tree-hash", tree)] {
        if !request.headers().contains_key(name)
            && let Ok(v) = HeaderValue::from_str(&value)
        {
            request.headers_mut().insert(HeaderName::from_static(name), v);
        }
    }
}

#[cfg(all(test, feature = "checksums", feature = "request-compression"))]
mod tests {
    use bytes::Bytes;
    use http::HeaderValue;
    use http::header::CONTENT_ENCODING;

    use super::*;

    fn request(body: &str) -> HttpRequest {
        http::Request::builder().uri("/").body(Bytes::copy_from_slice(body.as_bytes())).unwrap()
    }

    #[test]
    fn md5_of_the_body() {
        let mut r = request(r#"{"foo":"base64 encoded md5 checksum"}"#);
        content_md5(&mut r);
        assert_eq!(r.headers()["content-md5"], "iB0/3YSo7maijL0IGOgA9g==");
    }

    #[test]
    fn glacier_tree_hashes() {
        let mut small = request("hello world");
        tree_hash_checksums(&mut small);
        let sha = "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9";
        assert_eq!(small.headers()["x-amz-content-sha256"], sha);
        assert_eq!(small.headers()["x-amz-sha256-tree-hash"], sha);
        // Three chunks: the tree pairs the first two and carries the third up.
        let body = vec![b'a'; 2 * 1024 * 1024 + 1];
        let mut big = http::Request::builder().uri("/").body(Bytes::from(body.clone())).unwrap();
        tree_hash_checksums(&mut big);
        use sha2::{Digest as _, Sha256};
        let chunk = |c: &[u8]| -> [u8; 32] { Sha256::digest(c).into() };
        let (a, b, c) = (chunk(&body[..1 << 20]), chunk(&body[1 << 20..2 << 20]), chunk(&body[2 << 20..]));
        let ab: [u8; 32] = Sha256::new().chain_update(a).chain_update(b).finalize().into();
        let root: [u8; 32] = Sha256::new().chain_update(ab).chain_update(c).finalize().into();
        let hex: String = root.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(big.headers()["x-amz-sha256-tree-hash"], hex.as_str());
        assert_ne!(big.headers()["x-amz-content-sha256"], hex.as_str());
    }

    #[test]
    fn compression_above_the_minimum_size() {
        let config = Config::builder().request_min_compression_size_bytes(10).build();
        let mut small = request("tiny");
        compress(&mut small, &["gzip"], &config).unwrap();
        assert!(!small.headers().contains_key(CONTENT_ENCODING));
        let text = "compress me please, again and again and again";
        let mut big = request(text);
        big.headers_mut().insert(CONTENT_ENCODING, HeaderValue::from_static("custom"));
        compress(&mut big, &["gzip"], &config).unwrap();
        assert_eq!(big.headers()[CONTENT_ENCODING], "custom, gzip");
        let mut decoded = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&big.body()[..]), &mut decoded).unwrap();
        assert_eq!(decoded, text);
        let off = Config::builder().request_min_compression_size_bytes(10).disable_request_compression(true).build();
        let mut untouched = request(text);
        compress(&mut untouched, &["gzip"], &off).unwrap();
        assert_eq!(untouched.body().as_ref(), text.as_bytes());
    }
}
