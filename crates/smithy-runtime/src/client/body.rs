//! What the client does to a request body after serialising it and before signing it, as the
//! operation's traits ask: `@requestCompression` (gzip, above a minimum size, with
//! `Content-Encoding`) and `@httpChecksumRequired` (`Content-MD5`).

use std::io::Write as _;

use bytes::Bytes;
use http::HeaderValue;
use http::header::{CONTENT_ENCODING, HeaderName};
use md5::Digest as _;

use super::{Config, HttpRequest};

/// The smallest body compressed by default, as in the AWS SDKs.
pub const DEFAULT_MIN_COMPRESSION_SIZE: u32 = 10_240;
/// The largest minimum size the SDKs accept: 10 MiB.
pub const MAX_MIN_COMPRESSION_SIZE: u32 = 10_485_760;

/// The `Content-MD5` header.
const CONTENT_MD5: HeaderName = HeaderName::from_static("content-md5");

/// Compresses the body with the first encoding of `encodings` this runtime knows (gzip), when
/// the config allows it and the body is at least the minimum size; the encoding is appended
/// to `Content-Encoding` (after any the caller set).
pub fn compress(request: &mut HttpRequest, encodings: &[&str], config: &Config) -> Result<(), std::io::Error> {
    if config.disable_request_compression()
        || !encodings.contains(&"gzip")
        || request.body().len() < config.request_min_compression_size_bytes() as usize
    {
        return Ok(());
    }
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(request.body())?;
    *request.body_mut() = Bytes::from(encoder.finish()?);
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
pub fn content_md5(request: &mut HttpRequest) {
    if request.headers().contains_key(CONTENT_MD5) {
        return;
    }
    use base64::Engine as _;
    let digest = md5::Md5::digest(request.body());
    let text = base64::engine::general_purpose::STANDARD.encode(digest);
    if let Ok(v) = HeaderValue::from_str(&text) {
        request.headers_mut().insert(CONTENT_MD5, v);
    }
}

#[cfg(test)]
mod tests {
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
