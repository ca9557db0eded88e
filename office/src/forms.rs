//! The form definitions, for labels instead of codes. The API gives no
//! definitions (docs/office.md), so, as the phone does, they come from the
//! site's own `forms/`: its `index.json`, then each form it lists.

use crate::api;
use leptos::prelude::*;
use phieu_core::{Element, Form, Kind};
use std::cell::RefCell;
use std::rc::Rc;

thread_local! {
    static FORMS: RefCell<Vec<(String, Rc<Form>)>> = const { RefCell::new(Vec::new()) };
}

/// Bumped when the definitions have arrived; read it to follow them.
#[derive(Clone, Copy)]
pub struct Loaded(pub RwSignal<u32>);

pub fn loaded() -> RwSignal<u32> {
    expect_context::<Loaded>().0
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    /// `RegExp(pattern, flags)`: throws on a bad pattern, hence `catch`.
    #[wasm_bindgen(catch, js_name = RegExp)]
    fn make_regexp(pattern: &str, flags: &str) -> Result<js_sys::RegExp, wasm_bindgen::JsValue>;
}

/// Reading a form checks its `regex` validators' patterns: with the
/// browser's own `RegExp`, as the phone does, so a form the phone opens opens here.
pub fn browser_regex(pattern: &str, case_insensitive: bool, text: &str) -> Result<bool, String> {
    let re = make_regexp(pattern, if case_insensitive { "i" } else { "" }).map_err(|e| format!("{e:?}"))?;
    Ok(re.test(text))
}

/// Loads every listed form; one that fails is left out (its reports show codes).
pub async fn load_all(loaded: RwSignal<u32>) {
    let Ok(list) = api::get("../forms/index.json").await else { return };
    let urls: Vec<String> =
        list.as_array().map(|a| a.iter().map(|f| api::text(f, "url")).filter(|u| !u.is_empty()).collect()).unwrap_or_default();
    for url in urls {
        let Ok(text) = fetch_text(&format!("../{url}")).await else { continue };
        let mut loaded = phieu_core::load(&text);
        if !loaded.lists.is_empty() {
            // Its lists (`choicesByUrl`), beside it, as the phone fetches them.
            let dir = &url[..url.rfind('/').map_or(0, |i| i + 1)];
            let mut lists = Vec::new();
            for name in &loaded.lists {
                lists.push((name.clone(), fetch_text(&format!("../{dir}{name}")).await.map_err(|()| "not fetched".to_string())));
            }
            loaded = phieu_core::load_with(&text, &lists);
        }
        if let Some(form) = loaded.form {
            let id = form.id.clone().unwrap_or_else(|| phieu_core::submission::form_id_from_url(&url));
            FORMS.with(|f| f.borrow_mut().push((id, Rc::new(form))));
        }
    }
    loaded.update(|n| *n += 1);
}

async fn fetch_text(url: &str) -> Result<String, ()> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let window = web_sys::window().ok_or(())?;
    let resp: web_sys::Response = JsFuture::from(window.fetch_with_str(url)).await.ok().and_then(|r| r.dyn_into().ok()).ok_or(())?;
    if !resp.ok() {
        return Err(());
    }
    JsFuture::from(resp.text().map_err(|_| ())?).await.ok().and_then(|t| t.as_string()).ok_or(())
}

/// The definition of a form by id.
pub fn get(id: &str) -> Option<Rc<Form>> {
    FORMS.with(|f| f.borrow().iter().find(|(i, _)| i == id).map(|(_, f)| f.clone()))
}

/// Every form: (id, title in `locale`).
pub fn list(locale: &str) -> Vec<(String, String)> {
    FORMS.with(|f| f.borrow().iter().map(|(id, form)| (id.clone(), form.title.get(locale).to_string())).collect())
}

/// The title of a form, or its id when its definition is not here.
pub fn title(id: &str, locale: &str) -> String {
    get(id).map_or_else(|| id.to_string(), |f| f.title.get(locale).to_string())
}

/// The questions a summary can count: those with a fixed list of answers.
pub fn choice_questions(form: &Form) -> Vec<Element> {
    form.elements()
        .into_iter()
        .filter(|e| {
            matches!(
                e.kind,
                Kind::RadioGroup(_) | Kind::Dropdown(_) | Kind::Checkbox(_) | Kind::Tagbox(_) | Kind::Boolean { .. } | Kind::Rating { .. }
            )
        })
        .cloned()
        .collect()
}
