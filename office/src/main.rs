//! phieu's office screen, served at `/office/`: the reports that came in,
//! their status and the reply to the collaborator, announcements and topics
//! to watch, a summary, exports and (for admins) accounts. A Leptos app of
//! its own, so the phone's download does not grow by a byte.

mod accounts;
mod announce;
mod api;
mod filter;
mod forms;
mod i18n;
mod list;
mod report;
mod summary;

use i18n::{w, Lang};
use leptos::prelude::*;
use serde_json::{json, Value};

/// What is on screen.
#[derive(Clone, Debug, PartialEq)]
pub enum Screen {
    Reports,
    Report(String),
    Announce,
    Summary,
    Accounts,
}

/// Shared by every screen.
#[derive(Clone, Copy)]
pub struct Office {
    /// The signed-in account (`{"id", "name", "role", "unit"}`), `Null` until known.
    pub me: RwSignal<Value>,
    pub screen: RwSignal<Screen>,
    pub filter: RwSignal<filter::Filter>,
}

pub fn office() -> Office {
    expect_context::<Office>()
}

impl Screen {
    /// The screen an address names: `?report=<id>`, `?view=announce|summary|accounts`, else the list.
    fn from_url() -> Screen {
        let search = web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default();
        let params = web_sys::UrlSearchParams::new_with_str(&search).expect("URLSearchParams");
        if let Some(id) = params.get("report").filter(|id| !id.is_empty()) {
            return Screen::Report(id);
        }
        match params.get("view").as_deref() {
            Some("announce") => Screen::Announce,
            Some("summary") => Screen::Summary,
            Some("accounts") => Screen::Accounts,
            _ => Screen::Reports,
        }
    }

    fn url(&self) -> String {
        match self {
            Screen::Reports => String::new(),
            Screen::Report(id) => format!("?report={}", api::segment(id)),
            Screen::Announce => "?view=announce".into(),
            Screen::Summary => "?view=summary".into(),
            Screen::Accounts => "?view=accounts".into(),
        }
    }
}

impl Office {
    /// Another screen, with an entry in the browser's history: Back returns,
    /// and the address can be kept or shared within the office.
    pub fn go(&self, to: Screen) {
        if self.screen.get_untracked() == to {
            return;
        }
        if let Some(w) = web_sys::window() {
            let path = w.location().pathname().unwrap_or_default();
            if let Ok(h) = w.history() {
                let _ = h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("{path}{}", to.url())));
            }
        }
        self.screen.set(to);
    }

    pub fn is_admin(&self) -> bool {
        self.me.with(|m| m.get("role").and_then(Value::as_str) == Some("admin"))
    }
}

/// Where the sign-in stands.
#[derive(Clone, Debug, PartialEq)]
enum SignIn {
    Checking,
    Needed(Option<i18n::Note>),
    Done,
}

fn main() {
    console_error_hook();
    phieu_core::regex::set_engine(forms::browser_regex);
    leptos::mount::mount_to_body(App);
    if let Some(boot) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("boot")) {
        boot.remove();
    }
}

fn console_error_hook() {
    std::panic::set_hook(Box::new(|info| web_sys::console::error_1(&info.to_string().into())));
}

fn browser_lang() -> Lang {
    let tag = web_sys::window().and_then(|w| w.navigator().language()).unwrap_or_default();
    if tag.to_ascii_lowercase().starts_with("en") {
        Lang::En
    } else {
        Lang::Vi
    }
}

#[component]
fn App() -> impl IntoView {
    // First touched here, so the page's root owns it.
    let lang = i18n::lang();
    lang.set(browser_lang());
    let loaded = RwSignal::new(0);
    provide_context(forms::Loaded(loaded));
    let office =
        Office { me: RwSignal::new(Value::Null), screen: RwSignal::new(Screen::from_url()), filter: RwSignal::new(Default::default()) };
    provide_context(office);
    let state = RwSignal::new(SignIn::Checking);
    // The page's language follows the switch, for screen readers.
    Effect::new(move |_| {
        if let Some(root) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
            let _ = root.set_attribute("lang", lang.get().code());
        }
    });
    leptos::task::spawn_local(async move {
        state.set(start(office).await);
    });
    // First touched here, so the page's root owns it (the effect's own runs would dispose it).
    let expired = api::expired();
    Effect::new(move |_| {
        if expired.get() {
            expired.set(false);
            state.set(SignIn::Needed(Some(Ok((
                "Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại.",
                "Your session has ended. Please sign in again.",
            )))));
        }
    });
    // The tab's title says where one is (with several tabs open, and for screen readers).
    Effect::new(move |_| {
        let here = match (state.get(), office.screen.get()) {
            (SignIn::Done, Screen::Reports) => i18n::pick("Phản ánh", "Reports"),
            (SignIn::Done, Screen::Report(_)) => i18n::pick("Một phản ánh", "A report"),
            (SignIn::Done, Screen::Announce) => i18n::pick("Thông báo", "Announcements"),
            (SignIn::Done, Screen::Summary) => i18n::pick("Tổng hợp", "Summary"),
            (SignIn::Done, Screen::Accounts) => i18n::pick("Tài khoản", "Accounts"),
            _ => i18n::pick("Đăng nhập", "Sign in"),
        };
        if let Some(d) = web_sys::window().and_then(|w| w.document()) {
            d.set_title(&format!("{here} · {}", i18n::pick("Phiếu · Văn phòng", "Phieu · Office")));
        }
    });
    // Back and Forward.
    let _ = window_event_listener(leptos::ev::popstate, move |_| office.screen.set(Screen::from_url()));
    // A link opened in a tab already on this screen changes only the fragment.
    let _ = window_event_listener(leptos::ev::hashchange, move |_| {
        let hash = web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default();
        if hash.starts_with("#signin=") {
            state.set(SignIn::Checking);
            leptos::task::spawn_local(async move {
                state.set(start(office).await);
            });
        }
    });
    leptos::task::spawn_local(forms::load_all(loaded));

    let body = move || match state.get() {
        SignIn::Checking => view! { <p role="status">{w("Đang kiểm tra đăng nhập…", "Checking your sign-in…")}</p> }.into_any(),
        SignIn::Needed(problem) => view! { <SignInForm problem=problem state=state/> }.into_any(),
        SignIn::Done => view! { <Screens/> }.into_any(),
    };
    view! {
        <a class="skip" href="#main">{w("Bỏ qua, đến nội dung", "Skip to content")}</a>
        <header class="top">
            <span class="brand">{w("Phiếu · Văn phòng", "Phieu · Office")}</span>
            {move || (state.get() == SignIn::Done).then(|| view! { <Who state=state/> })}
            <button type="button" class="small lang" on:click=move |_| lang.update(|l| *l = if *l == Lang::Vi { Lang::En } else { Lang::Vi })>
                {move || if lang.get() == Lang::Vi { "English" } else { "Tiếng Việt" }}
            </button>
        </header>
        {move || (state.get() == SignIn::Done).then(|| view! { <Nav/> })}
        <main id="main" tabindex="-1">{body}</main>
    }
}

/// A one-time link (`#signin=…`) is used at once and taken out of the
/// address bar (and history) before anything else; otherwise the session
/// cookie, if there is one, is asked about.
async fn start(office: Office) -> SignIn {
    let window = web_sys::window().expect("a window");
    let hash = window.location().hash().unwrap_or_default();
    let result = if let Some(secret) = hash.strip_prefix("#signin=") {
        let loc = window.location();
        let clean = format!("{}{}", loc.pathname().unwrap_or_default(), loc.search().unwrap_or_default());
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&clean));
        }
        match api::post("../api/session", &json!({ "signin": secret })).await {
            Ok(v) => Ok(v),
            Err(f) if f.status == 401 => {
                return SignIn::Needed(Some(Ok((
                    "Đường dẫn đăng nhập này đã được dùng hoặc đã hết hạn. Hãy xin quản trị viên một đường dẫn mới.",
                    "This sign-in link was used already or has expired. Ask an admin for a new one.",
                ))))
            }
            Err(f) => return SignIn::Needed(Some(refused(f))),
        }
    } else {
        api::get("../api/session").await
    };
    match result {
        Ok(v) => {
            signed_in(office, &v);
            SignIn::Done
        }
        Err(f) if f.status == 401 || f.status == 400 => SignIn::Needed(None),
        Err(f) => SignIn::Needed(Some(refused(f))),
    }
}

/// Why a sign-in failed, in the screen's words when they are known.
fn refused(f: api::Failure) -> i18n::Note {
    match f.status {
        401 => Ok(("Tên hoặc mật khẩu chưa đúng.", "The name or the password is wrong.")),
        403 => Ok(("Màn hình này dành cho tài khoản văn phòng và quản trị.", "This screen is for office and admin accounts.")),
        _ => Err(f.message),
    }
}

fn signed_in(office: Office, session: &Value) {
    api::set_csrf(&api::text(session, "csrf"));
    office.me.set(session.get("account").cloned().unwrap_or(Value::Null));
}

#[component]
fn SignInForm(problem: Option<i18n::Note>, state: RwSignal<SignIn>) -> impl IntoView {
    let office = office();
    let (name, password) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let error = RwSignal::new(problem);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        leptos::task::spawn_local(async move {
            match api::post("../api/session", &json!({"name": name.get_untracked(), "password": password.get_untracked()})).await {
                Ok(v) => {
                    signed_in(office, &v);
                    state.set(SignIn::Done);
                }
                Err(f) => error.set(Some(refused(f))),
            }
            busy.set(false);
        });
    };
    view! {
        <h1>{w("Đăng nhập", "Sign in")}</h1>
        <p>
            {w(
                "Mở đường dẫn đăng nhập mà quản trị viên đã gửi cho bạn (chỉ dùng được một lần), hoặc nhập tên và mật khẩu.",
                "Open the sign-in link an admin sent you (it works once), or enter your name and password.",
            )}
        </p>
        {move || error.get().map(|e| view! { <p class="error" role="alert">{move || i18n::note(&e)}</p> })}
        <form class="card" on:submit=submit>
            <label for="signin-name">{w("Tên", "Name")}</label>
            <input id="signin-name" type="text" autocomplete="username" required bind:value=name/>
            <label for="signin-password">{w("Mật khẩu", "Password")}</label>
            <input id="signin-password" type="password" autocomplete="current-password" required bind:value=password/>
            <button type="submit" class="primary" disabled=move || busy.get()>{w("Đăng nhập", "Sign in")}</button>
        </form>
    }
}

/// Who is signed in, and signing out.
#[component]
fn Who(state: RwSignal<SignIn>) -> impl IntoView {
    let office = office();
    let sign_out = move |_| {
        leptos::task::spawn_local(async move {
            let _ = api::call("DELETE", "../api/session", None).await;
            office.me.set(Value::Null);
            state.set(SignIn::Needed(None));
        });
    };
    let who = move || {
        office.me.with(|m| {
            let unit = api::text(m, "unit");
            let role = match m.get("role").and_then(Value::as_str) {
                Some("admin") => i18n::pick("quản trị", "admin"),
                Some("office") => i18n::pick("văn phòng", "office"),
                _ => "",
            };
            let unit = if unit.is_empty() { String::new() } else { format!(", {unit}") };
            format!("{} ({role}{unit})", api::text(m, "name"))
        })
    };
    view! {
        <span class="who">{who}</span>
        <button type="button" class="small" on:click=sign_out>{w("Đăng xuất", "Sign out")}</button>
    }
}

#[component]
fn Nav() -> impl IntoView {
    let office = office();
    let tab = move |target: Screen, vi: &'static str, en: &'static str| {
        let t = target.clone();
        let current = move || {
            let now = office.screen.get();
            let same = now == t || (t == Screen::Reports && matches!(now, Screen::Report(_)));
            same.then_some("page")
        };
        view! {
            <li>
                <button type="button" class="tab" aria-current=current on:click=move |_| office.go(target.clone())>
                    {w(vi, en)}
                </button>
            </li>
        }
    };
    view! {
        <nav aria-label=w("Các mục", "Sections")>
            <ul class="tabs">
                {tab(Screen::Reports, "Phản ánh", "Reports")}
                {tab(Screen::Announce, "Thông báo", "Announcements")}
                {tab(Screen::Summary, "Tổng hợp", "Summary")}
                {move || office.is_admin().then(|| tab(Screen::Accounts, "Tài khoản", "Accounts"))}
            </ul>
        </nav>
    }
}

#[component]
fn Screens() -> impl IntoView {
    let office = office();
    move || match office.screen.get() {
        Screen::Reports => view! { <list::Reports/> }.into_any(),
        Screen::Report(id) => view! { <report::Report id=id/> }.into_any(),
        Screen::Announce => view! { <announce::Announce/> }.into_any(),
        Screen::Summary => view! { <summary::Summary/> }.into_any(),
        Screen::Accounts => view! { <accounts::Accounts/> }.into_any(),
    }
}
