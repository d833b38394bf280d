//! Shared pieces of the benchmark tools: the answer both servers give, and reading the
//! process's CPU time.

use std::time::Duration;

/// The JSON body of a GetFederationToken success, as the mock answers it (same fields, same
/// token sizes): what the bare axum peer returns, byte for byte every time.
pub const ANSWER: &str = concat!(
    r#"{"Credentials":{"AccessToken":"Ax3Wbsfhwyx+L3fDOHX0ynX7bME3ysglufcLx99RSRYsl1fH9hndhc1qbef"#,
    r#"MEvVd","AccessTokenExpiration":1795851159.8960927,"RefreshToken":"wcvbKpVgFo5mgUM3nJkz3a43"#,
    r#"nM+GMpVUqT5PDxuxdjn/vix0ulixejec2rbLOLvx","RefreshTokenExpiration":1795890759.8960927},"Si"#,
    r#"gnInUrl":"https://i-1.my.connect.aws/auth/sign-in?token=iMS/KsWz1CSSOtVtVkXIknL0lPq1P4783d"#,
    r#"LUElGTe5S+W5XIjyPUWYCUjyOPWyG+","UserArn":"arn:aws:connect:us-east-1:123456789012:instance"#,
    r#"/i-1/agent/f8f75b48-a38b-125e-3015-696fab2da8c5","UserId":"f8f75b48-a38b-125e-3015-696fab2"#,
    r#"da8c5"}"#,
);

/// CPU time (user + system, all threads) this process has used so far, from `/proc/self/stat`
/// (clock ticks of 10 ms); `None` where there is no procfs.
pub fn process_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis
    // start at field 3, so utime and stime (fields 14 and 15) are the 12th and 13th there.
    let rest = &stat[stat.rfind(')')? + 2..];
    let mut fields = rest.split_whitespace().skip(11);
    let utime: u64 = fields.next()?.parse().ok()?;
    let stime: u64 = fields.next()?.parse().ok()?;
    const TICKS_PER_SECOND: u64 = 100;
    Some(Duration::from_millis((utime + stime) * 1000 / TICKS_PER_SECOND))
}

/// A latency sample set: the percentile `p` (0..=100) in microseconds.
pub fn percentile(sorted_micros: &[u32], p: f64) -> u32 {
    if sorted_micros.is_empty() {
        return 0;
    }
    let rank = ((p / 100.0) * (sorted_micros.len() - 1) as f64).round() as usize;
    sorted_micros[rank.min(sorted_micros.len() - 1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_answer_is_json() {
        let v: serde_json::Value = serde_json::from_str(ANSWER).unwrap();
        assert_eq!(v["UserId"], "f8f75b48-a38b-125e-3015-696fab2da8c5");
        assert_eq!(ANSWER.len(), 547);
    }

    #[test]
    fn percentiles() {
        let s: Vec<u32> = (1..=100).collect();
        assert_eq!(percentile(&s, 50.0), 51);
        assert_eq!(percentile(&s, 99.0), 99);
        assert_eq!(percentile(&[], 50.0), 0);
    }

    #[test]
    fn cpu_time_is_read() {
        if std::path::Path::new("/proc/self/stat").exists() {
            assert!(process_cpu_time().is_some());
        }
    }
}
