//! The envelope of every record the app stores: `{"v": SCHEMA, "data": …}`.
//! A record written by an older app is upgraded as it is read; one that
//! cannot be understood is left for the caller to set aside, never guessed at.

use crate::json::{ToJson, Writer};
use serde_json::Value;

/// The version of every record written now.
pub const SCHEMA: u32 = 1;

/// `data` in its envelope, as text ready to store.
pub fn wrap(data: &dyn ToJson) -> String {
    crate::json::to_string(&Envelope(data))
}

struct Envelope<'a>(&'a dyn ToJson);

impl ToJson for Envelope<'_> {
    fn write_json(&self, w: &mut Writer) {
        w.begin_object();
        w.field("v", &SCHEMA);
        w.field("data", &self.0);
        w.end_object();
    }
}

/// The data of a stored record, brought up to [`SCHEMA`]; `None` when it is
/// not a record, or comes from a newer app.
pub fn unwrap(text: &str) -> Option<Value> {
    let mut v = crate::json::parse(text).ok()?;
    let version = v.get("v")?.as_u64()?;
    upgrade(version, v.get_mut("data")?.take())
}

/// One step per older schema, applied in turn.
fn upgrade(version: u64, data: Value) -> Option<Value> {
    match version {
        1 => Some(data),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn records_round_trip_and_strangers_are_refused() {
        let data = json!({"id": "d1", "answers": {"a": "Hà Nội"}});
        assert_eq!(unwrap(&wrap(&data)), Some(data));
        // Written by the first release, as it is on phones today.
        assert_eq!(unwrap(r#"{"v":1,"data":"text"}"#), Some(json!("text")));
        for stranger in [r#"{"v":2,"data":{}}"#, r#"{"data":{}}"#, r#"{"v":1}"#, "not json", r#"{"v":"1","data":1}"#] {
            assert_eq!(unwrap(stranger), None, "{stranger}");
        }
    }
}
