//! What guards the files of `--dist`, and the headers every answer carries.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::SystemTime;

pub struct Statics {
    /// `--dist`, with every symlink resolved.
    dist: PathBuf,
    index: PathBuf,
    /// The policy and the index.html modification time it was made from.
    csp: Mutex<(Option<SystemTime>, HeaderValue)>,
}

impl Statics {
    pub fn new(dist: &Path) -> Statics {
        let dist = dist.canonicalize().unwrap_or_else(|_| dist.to_path_buf());
        let index = dist.join("index.html");
        let statics = Statics { csp: Mutex::new((None, HeaderValue::from_static(""))), index, dist };
        statics.csp();
        statics
    }

    /// The policy for the page as it is now: a rebuild (Trunk's watch) changes
    /// the inline scripts, so it is made again when index.html changes.
    fn csp(&self) -> HeaderValue {
        let modified = std::fs::metadata(&self.index).and_then(|m| m.modified()).ok();
        let mut cached = self.csp.lock().unwrap_or_else(|p| p.into_inner());
        if cached.0 != modified || cached.1.is_empty() {
            let html = std::fs::read_to_string(&self.index).unwrap_or_default();
            let policy = csp(&inline_script_hashes(&html));
            *cached = (modified, HeaderValue::from_str(&policy).unwrap_or(HeaderValue::from_static("default-src 'none'")));
        }
        cached.1.clone()
    }

    /// Whether every file the file server might send for these segments
    /// (the file, a directory's index.html, their .br and .gz) stays inside
    /// `--dist` once symlinks are followed.
    fn inside(&self, segments: &[String]) -> bool {
        let path: PathBuf = segments.iter().fold(self.dist.clone(), |p, s| p.join(s));
        let index = path.join("index.html");
        let candidates = [&path, &index].map(|p| {
            ["", ".br", ".gz"].map(|ext| {
                let mut name = p.as_os_str().to_owned();
                name.push(ext);
                PathBuf::from(name)
            })
        });
        candidates.iter().flatten().all(|candidate| match candidate.canonicalize() {
            Ok(real) => real.starts_with(&self.dist),
            // Missing: the file server answers 404 itself.
            Err(_) => true,
        })
    }
}

/// The policy: scripts only from this origin and the page's own inline
/// scripts by hash; wasm compiled (`wasm-unsafe-eval`); inline styles allowed
/// (the CSS is inline, and Leptos sets `style` attributes); `fetch` to any
/// http(s) origin, because the endpoint, a form's own webhook and a form
/// opened by address may live elsewhere; never framed.
pub fn csp(script_hashes: &[String]) -> String {
    let hashes: String = script_hashes.iter().map(|h| format!(" 'sha256-{h}'")).collect();
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: blob:; connect-src 'self' http: https:; worker-src 'self'; manifest-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The base64 SHA-256 of each inline `<script>` (one without `src`) in a
/// page, as a CSP names it. The text hashed is exactly what lies between the
/// tags, as the browser hashes it; the page may be minified (unquoted attributes).
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = lower[at..].find("<script") {
        let start = at + found + "<script".len();
        // `<scripts>` or `<script-x>` is another element.
        if !lower[start..].starts_with(|c: char| c == '>' || c == '/' || c.is_ascii_whitespace()) {
            at = start;
            continue;
        }
        let Some(tag_end) = tag_end(&lower, start) else { break };
        let attrs = &lower[start..tag_end];
        let body_start = tag_end + 1;
        let Some(close) = lower[body_start..].find("</script") else { break };
        let body_end = body_start + close;
        if !has_attr(attrs, "src") {
            out.push(base64(&Sha256::digest(&html.as_bytes()[body_start..body_end])));
        }
        at = body_end;
    }
    out
}

/// The `>` that ends a start tag, skipping quoted attribute values.
fn tag_end(lower: &str, from: usize) -> Option<usize> {
    let mut quote = None;
    for (i, c) in lower[from..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(from + i),
            _ => {}
        }
    }
    None
}

/// Whether a start tag's attributes (lower case) name `name`.
fn has_attr(attrs: &str, name: &str) -> bool {
    let b = attrs.as_bytes();
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
            i += 1;
        }
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'/') {
            i += 1;
        }
        if start < i && &b[start..i] == name.as_bytes() {
            return true;
        }
        while i < b.len() && b[i].is_ascii_whitespace() {
            i += 1;
        }
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            if i < b.len() && matches!(b[i], b'"' | b'\'') {
                let q = b[i];
                i += 1;
                while i < b.len() && b[i] != q {
                    i += 1;
                }
                i += 1;
            } else {
                while i < b.len() && !b[i].is_ascii_whitespace() {
                    i += 1;
                }
            }
        } else if start == i {
            i += 1;
        }
    }
    false
}

fn base64(bytes: &[u8]) -> String {
    const ABC: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ABC[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The path's segments as the file server will read them, or `None` when it
/// must not be served: a segment that starts with `.` (dotfiles, `..`), holds
/// `\` or NUL, or is not valid percent-encoded UTF-8.
pub fn segments(path: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for raw in path.split('/').filter(|s| !s.is_empty()) {
        let seg = percent_decode(raw)?;
        if seg.is_empty() || seg.starts_with('.') || seg.contains(['\\', '\0', '/']) {
            return None;
        }
        out.push(seg);
    }
    Some(out)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// In front of the file server: no dotfiles, nothing outside `--dist`.
pub async fn guard(State(st): State<Arc<Statics>>, req: Request, next: Next) -> Response {
    let ok = segments(req.uri().path()).is_some_and(|s| st.inside(&s));
    if !ok {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    next.run(req).await
}

/// On every answer, the API's too.
pub async fn headers(State(st): State<Arc<Statics>>, req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    // A handler's own, stricter policy stays (a file sent back: `files.rs`).
    if !h.contains_key(header::CONTENT_SECURITY_POLICY) {
        h.insert(header::CONTENT_SECURITY_POLICY, st.csp());
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    // For browsers older than frame-ancestors.
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn hashes_inline_scripts_only() {
        let page = r#"<html><head><script>alert(1)</script><SCRIPT type=module>import init from '/a.js';init()</SCRIPT>
            <script src=/x.js></script><script defer src="/y.js"></script><scripts>no</scripts><script data-x=">">a</script></head></html>"#;
        let hashes = inline_script_hashes(page);
        // sha256("alert(1)"), as `printf 'alert(1)' | openssl dgst -sha256 -binary | base64` gives it.
        assert_eq!(hashes[0], "bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI=");
        assert_eq!(hashes.len(), 3, "{hashes:?}");
        assert_eq!(hashes[2], base64(&Sha256::digest(b"a")));
    }

    #[test]
    fn base64_pads() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foob"), "Zm9vYg==");
    }

    #[test]
    fn dot_segments_and_bad_encodings_are_refused() {
        assert_eq!(segments("/a/b.js"), Some(vec!["a".into(), "b.js".into()]));
        assert_eq!(segments("/"), Some(vec![]));
        for bad in ["/.env", "/a/.git/config", "/%2e%2e/etc/passwd", "/..", "/a%2fb", "/a%5cb", "/%ff", "/%2", "/a%00"] {
            assert_eq!(segments(bad), None, "{bad}");
        }
    }

    proptest! {
        #[test]
        fn any_path_is_refused_or_plain_segments(path in any::<String>()) {
            if let Some(segs) = segments(&path) {
                for s in segs {
                    prop_assert!(!s.is_empty() && !s.starts_with('.') && !s.contains(['/', '\\', '\0']));
                }
            }
        }

        #[test]
        fn any_encoded_dot_segment_is_refused(prefix in "[a-z/]{0,8}", dots in prop::sample::select(vec![".", "%2e", "%2E"]), rest in "[a-z.]{0,6}") {
            let path = format!("/{prefix}/{dots}{rest}");
            prop_assert_eq!(segments(&path), None);
        }

        #[test]
        fn any_page_is_read_without_panic(html in any::<String>()) {
            let _ = inline_script_hashes(&html);
        }

        #[test]
        fn any_scripts_in_a_page_are_each_hashed(bodies in proptest::collection::vec("[^<]{0,40}", 0..4)) {
            let page: String = bodies.iter().map(|b| format!("<p>x</p><script>{b}</script>")).collect();
            let expected: Vec<String> = bodies.iter().map(|b| base64(&Sha256::digest(b.as_bytes()))).collect();
            prop_assert_eq!(inline_script_hashes(&page), expected);
        }
    }
}
