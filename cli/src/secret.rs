//! Secrets: tokens, sign-in links and sessions. Each is 32 random bytes in
//! base64url, shown once; only its SHA-256 is stored, and digests are
//! compared in constant time.

use sha2::{Digest, Sha256};

/// A new secret: 256 random bits from the operating system, 43 characters.
pub fn new_secret() -> Result<String, String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| format!("the system gave no random numbers: {e}"))?;
    Ok(base64url(&bytes))
}

/// A new account id: `a_` and 16 hex digits.
pub fn new_id() -> Result<String, String> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| format!("the system gave no random numbers: {e}"))?;
    Ok(format!("a_{}", crate::files::hex(&bytes)))
}

pub fn digest(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

/// Equal digests, in time that does not depend on where they differ.
pub fn same_digest(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

/// The CSRF value of a session: derived from its secret, so nothing more is
/// stored, and useless without the cookie it goes with.
pub fn csrf_of(session: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"phieu-csrf\0");
    h.update(session.as_bytes());
    base64url(&h.finalize())
}

/// Base64url without padding (RFC 4648, 5).
pub fn base64url(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(ABC[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_long_random_and_url_safe() {
        assert_eq!(base64url(b""), "");
        assert_eq!(base64url(b"f"), "Zg");
        assert_eq!(base64url(b"fo"), "Zm8");
        assert_eq!(base64url(b"foo"), "Zm9v");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
        let (a, b) = (new_secret().unwrap(), new_secret().unwrap());
        assert_eq!(a.len(), 43);
        assert_ne!(a, b);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        let id = new_id().unwrap();
        assert!(id.len() == 18 && id.starts_with("a_"), "{id}");
        assert!(same_digest(&digest("x"), &digest("x")));
        assert!(!same_digest(&digest("x"), &digest("y")));
        assert_ne!(csrf_of("s"), csrf_of("t"));
    }
}
