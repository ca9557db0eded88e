//! Fault injection for tests: `phieu serve --faults "fail:0.3,drop:0.1,slow:2s,status:503,retry-after:2"`.
//!
//! A phone must cope with servers that fail, stall, and cut the connection
//! after storing a submission (the classic source of duplicates). Rather
//! than mocking `fetch` in the tests, the real server misbehaves on purpose:
//!
//! - `fail:P` — with probability P answer `status` without storing anything;
//! - `drop:P` — with probability P store the submission (or file), then cut the
//!   connection before the answer is written;
//! - `cut:P` — with probability P cut the connection of a file upload once
//!   about half its body has arrived (nothing may be stored under its hash);
//! - `slow:D` — wait D (e.g. `2s`, `300ms`) before answering;
//! - `status:N` — the status of a failure (default 503);
//! - `retry-after:S` — send `Retry-After: S` with failures;
//! - `seed:N` — the random seed, for a repeatable sequence.

use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

#[derive(Debug)]
pub struct Faults {
    pub fail: f64,
    pub drop: f64,
    pub cut: f64,
    pub slow: Duration,
    pub status: u16,
    pub retry_after: Option<u64>,
    rng: AtomicU64,
}

impl Faults {
    pub fn parse(spec: &str) -> Result<Faults, String> {
        let mut f = Faults {
            fail: 0.0,
            drop: 0.0,
            cut: 0.0,
            slow: Duration::ZERO,
            status: 503,
            retry_after: None,
            rng: AtomicU64::new(0x9e37_79b9_7f4a_7c15),
        };
        for part in spec.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once(':').ok_or_else(|| format!("'{part}' is not key:value"))?;
            let prob = |v: &str| {
                v.parse::<f64>()
                    .ok()
                    .filter(|p| (0.0..=1.0).contains(p))
                    .ok_or_else(|| format!("{key}: '{v}' is not a probability from 0 to 1"))
            };
            match key {
                "fail" => f.fail = prob(value)?,
                "drop" => f.drop = prob(value)?,
                "cut" => f.cut = prob(value)?,
                "slow" => f.slow = parse_duration(value).ok_or_else(|| format!("slow: '{value}' is not a duration like 2s or 300ms"))?,
                "status" => {
                    f.status = value
                        .parse()
                        .ok()
                        .filter(|s| (100..=599).contains(s))
                        .ok_or_else(|| format!("status: '{value}' is not an HTTP status"))?
                }
                "retry-after" => {
                    f.retry_after = Some(value.parse().map_err(|_| format!("retry-after: '{value}' is not a number of seconds"))?)
                }
                "seed" => f.rng = AtomicU64::new(value.parse::<u64>().map_err(|_| format!("seed: '{value}' is not a number"))?.max(1)),
                other => return Err(format!("unknown fault '{other}'; use fail, drop, cut, slow, status, retry-after or seed")),
            }
        }
        Ok(f)
    }

    /// Uniform in [0, 1) from a shared xorshift generator.
    pub fn roll(&self) -> f64 {
        let mut x = self.rng.load(Ordering::Relaxed);
        loop {
            let mut next = x;
            next ^= next << 13;
            next ^= next >> 7;
            next ^= next << 17;
            match self.rng.compare_exchange_weak(x, next, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => return (next >> 11) as f64 / (1u64 << 53) as f64,
                Err(current) => x = current,
            }
        }
    }
}

fn parse_duration(v: &str) -> Option<Duration> {
    if let Some(ms) = v.strip_suffix("ms") {
        return ms.parse().ok().map(Duration::from_millis);
    }
    v.strip_suffix('s').unwrap_or(v).parse::<f64>().ok().filter(|s| s.is_finite() && *s >= 0.0).map(Duration::from_secs_f64)
}

/// A switch the handler flips to cut its own connection.
#[derive(Clone, Default)]
pub struct Cut(pub Arc<AtomicBool>);

/// A connection whose writes fail once it has been cut, so the answer never
/// leaves the server and the client sees the connection drop.
pub struct Cuttable<S> {
    pub inner: S,
    pub cut: Cut,
}

impl<S> Cuttable<S> {
    fn is_cut(&self) -> bool {
        self.cut.0.load(Ordering::Relaxed)
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Cuttable<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        if self.is_cut() {
            return Poll::Ready(Err(io::ErrorKind::ConnectionReset.into()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Cuttable<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        if self.is_cut() {
            return Poll::Ready(Err(io::ErrorKind::ConnectionReset.into()));
        }
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_fault_spec() {
        let f = Faults::parse("fail:0.3, drop:0.1,cut:0.2,slow:250ms,status:429,retry-after:2,seed:7").unwrap();
        assert_eq!((f.fail, f.drop, f.cut, f.slow, f.status, f.retry_after), (0.3, 0.1, 0.2, Duration::from_millis(250), 429, Some(2)));
        assert!(Faults::parse("fail:2").is_err());
        assert!(Faults::parse("explode:1").unwrap_err().contains("unknown fault 'explode'"));
        let rolls: Vec<f64> = (0..1000).map(|_| f.roll()).collect();
        assert!(rolls.iter().all(|r| (0.0..1.0).contains(r)));
        let mean = rolls.iter().sum::<f64>() / 1000.0;
        assert!((0.4..0.6).contains(&mean), "{mean}");
    }
}
