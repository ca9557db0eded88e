//! What a finished response looks like on the wire.
//!
//! The `id` is made on the device when the person presses "submit" and never
//! changes, so every retry of the same response carries the same id and the
//! server can recognise a resend (the `Idempotency-Key` header repeats it).

use crate::json::{Fields, FromJson, ToJson, Writer};
use serde_json::{Map, Value};

#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct Submission {
    pub id: String,
    pub form: FormRef,
    pub started_at: String,
    pub completed_at: String,
    pub answers: Map<String, Value>,
    pub meta: Meta,
}

#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct FormRef {
    pub id: String,
    pub version: String,
}

#[derive(Clone, Debug, PartialEq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "camelCase"))]
pub struct Meta {
    pub locale: String,
    pub app_version: String,
    /// The id of a failed submission this one corrects and replaces.
    #[cfg_attr(feature = "serde", serde(default, skip_serializing_if = "Option::is_none"))]
    pub replaces: Option<String>,
}

/// Formats 16 random bytes as a version 4 UUID. The caller brings the
/// randomness (`crypto.getRandomValues` on the phone), which keeps this crate
/// free of platform code and works outside secure contexts too.
pub fn uuid_v4(mut b: [u8; 16]) -> String {
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &hex[0..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..32])
}

/// The form id the app uses when a definition has no `phieu.id`: its file name
/// without `.json`, so `forms/phan-anh-du-luan.json` is `phan-anh-du-luan`.
pub fn form_id_from_url(url: &str) -> String {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let file = path.trim_end_matches('/').rsplit('/').next().unwrap_or(path);
    file.strip_suffix(".json").unwrap_or(file).to_string()
}

/// Whether a secret (the access token) may travel to an address with this
/// scheme (`https:`, as `URL.protocol` gives it) and host name (`URL.hostname`):
/// over https, or over plain http only to this very machine (loopback),
/// where it crosses no network.
pub fn may_carry_secret(protocol: &str, hostname: &str) -> bool {
    let loopback_v4 = hostname
        .strip_prefix("127.")
        .is_some_and(|rest| rest.split('.').count() == 3 && rest.bytes().all(|b| b.is_ascii_digit() || b == b'.'));
    protocol == "https:" || (protocol == "http:" && (hostname == "localhost" || hostname == "[::1]" || loopback_v4))
}

impl ToJson for Submission {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.field("id", &self.id);
        w.field("form", &self.form);
        w.field("startedAt", &self.started_at);
        w.field("completedAt", &self.completed_at);
        w.field("answers", &self.answers);
        w.field("meta", &self.meta);
        w.end_object();
    }
}

impl FromJson for Submission {
    fn from_json(v: &Value) -> Result<Self, String> {
        let f = Fields::of(v, "submission")?;
        Ok(Submission {
            id: f.get("id")?,
            form: f.get("form")?,
            started_at: f.get("startedAt")?,
            completed_at: f.get("completedAt")?,
            answers: f.get("answers")?,
            meta: f.get("meta")?,
        })
    }
}

impl ToJson for FormRef {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.field("id", &self.id);
        w.field("version", &self.version);
        w.end_object();
    }
}

impl FromJson for FormRef {
    fn from_json(v: &Value) -> Result<Self, String> {
        let f = Fields::of(v, "form")?;
        Ok(FormRef { id: f.get("id")?, version: f.get("version")? })
    }
}

impl ToJson for Meta {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.field("locale", &self.locale);
        w.field("appVersion", &self.app_version);
        w.field_some("replaces", &self.replaces);
        w.end_object();
    }
}

impl FromJson for Meta {
    fn from_json(v: &Value) -> Result<Self, String> {
        let f = Fields::of(v, "meta")?;
        Ok(Meta { locale: f.get("locale")?, app_version: f.get("appVersion")?, replaces: f.or_default("replaces")? })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_goes_encrypted_or_stays_on_this_machine() {
        // (protocol, hostname) as the browser's URL parser gives them.
        for ok in [("https:", "mttq.hanoi.vn"), ("http:", "127.0.0.1"), ("http:", "127.1.2.3"), ("http:", "localhost"), ("http:", "[::1]")]
        {
            assert!(may_carry_secret(ok.0, ok.1), "{ok:?}");
        }
        for refused in [
            ("http:", "192.168.1.10"),
            ("http:", "mttq.hanoi.vn"),
            ("http:", "127.0.0.1.evil.vn"),
            ("http:", "localhost.evil.vn"),
            ("http:", "127.0.0"),
            ("ftp:", "127.0.0.1"),
            ("", ""),
        ] {
            assert!(!may_carry_secret(refused.0, refused.1), "{refused:?}");
        }
    }

    #[test]
    fn uuid_has_version_and_variant_bits() {
        let id = uuid_v4([0xff; 16]);
        assert_eq!(id, "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
    }

    #[test]
    fn form_id_is_the_file_name() {
        assert_eq!(form_id_from_url("forms/phan-anh-du-luan.json"), "phan-anh-du-luan");
        assert_eq!(form_id_from_url("https://x.org/a/b.json?v=2#top"), "b");
        assert_eq!(form_id_from_url("survey"), "survey");
    }

    #[test]
    fn wire_names_are_camel_case() {
        let s = Submission {
            id: "i".into(),
            form: FormRef { id: "f".into(), version: "1".into() },
            started_at: "a".into(),
            completed_at: "b".into(),
            answers: Map::new(),
            meta: Meta { locale: "vi".into(), app_version: "0.1.0".into(), replaces: None },
        };
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"id": "i", "form": {"id": "f", "version": "1"}, "startedAt": "a", "completedAt": "b",
                "answers": {}, "meta": {"locale": "vi", "appVersion": "0.1.0"}})
        );
    }
}
