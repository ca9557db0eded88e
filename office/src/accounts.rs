//! Accounts (admins only): add a collaborator and show its enrolment link as
//! a QR code to scan from the phone, drawn here in Rust; revoke an account.

use crate::api::{self, text};
use crate::i18n::{self, w};
use leptos::prelude::*;
use qrcode::{Color, QrCode};
use serde_json::{json, Value};

/// A QR code as one SVG path, with the quiet zone of four modules the standard asks for.
pub fn qr_path(data: &str) -> Option<(usize, String)> {
    let code = QrCode::new(data.as_bytes()).ok()?;
    let n = code.width();
    let mut d = String::new();
    for (i, c) in code.to_colors().iter().enumerate() {
        if *c == Color::Dark {
            d.push_str(&format!("M{} {}h1v1h-1z", i % n + 4, i / n + 4));
        }
    }
    Some((n + 8, d))
}

fn role_name(role: &str) -> &'static str {
    match role {
        "admin" => i18n::pick("quản trị", "admin"),
        "office" => i18n::pick("văn phòng", "office"),
        _ => i18n::pick("cộng tác viên", "collaborator"),
    }
}

#[component]
pub fn Accounts() -> impl IntoView {
    let office = crate::office();
    let list = RwSignal::new(Vec::<Value>::new());
    let problem = RwSignal::new(None::<String>);
    let refresh = move || {
        leptos::task::spawn_local(async move {
            match api::get("../api/accounts").await {
                Ok(v) => list.set(v.get("accounts").and_then(Value::as_array).cloned().unwrap_or_default()),
                Err(f) => problem.set(Some(f.message)),
            }
        })
    };
    refresh();
    let (name, role, unit) = (RwSignal::new(String::new()), RwSignal::new("collaborator".to_string()), RwSignal::new(String::new()));
    let made = RwSignal::new(None::<Value>);
    let message = RwSignal::new(None::<String>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let u = unit.get_untracked().trim().to_string();
        let body = json!({"name": name.get_untracked().trim(), "role": role.get_untracked(), "unit": if u.is_empty() { Value::Null } else { json!(u) }});
        leptos::task::spawn_local(async move {
            match api::post("../api/accounts", &body).await {
                Ok(v) => {
                    made.set(Some(v));
                    message.set(None);
                    name.set(String::new());
                    refresh();
                }
                Err(f) => message.set(Some(f.message)),
            }
        });
    };
    let revoke = move |id: String, who: String| {
        let ask = format!("{} {who}?", i18n::pick("Thu hồi tài khoản của", "Revoke the account of"));
        if !web_sys::window().and_then(|w| w.confirm_with_message(&ask).ok()).unwrap_or(false) {
            return;
        }
        leptos::task::spawn_local(async move {
            match api::post(&format!("../api/accounts/{}/revoke", api::segment(&id)), &json!({})).await {
                Ok(_) => refresh(),
                Err(f) => problem.set(Some(f.message)),
            }
        });
    };
    let rows = move || {
        list.get()
            .into_iter()
            .map(|a| {
                let (id, who) = (text(&a, "id"), text(&a, "name"));
                let revoked = a.get("revoked").is_some_and(|r| !r.is_null());
                // Not one's own: that would lock the last admin out.
                let me = office.me.with_untracked(|m| text(m, "id")) == id;
                let label = format!("{} {who}", i18n::pick("Thu hồi", "Revoke"));
                view! {
                    <tr>
                        <td>{who.clone()}</td>
                        <td>{role_name(&text(&a, "role"))}</td>
                        <td>{text(&a, "unit")}</td>
                        <td>
                            {if revoked {
                                view! { <span>{w("đã thu hồi", "revoked")}</span> }.into_any()
                            } else if me {
                                view! { <span>{w("(bạn)", "(you)")}</span> }.into_any()
                            } else {
                                view! { <button type="button" class="small" aria-label=label on:click=move |_| revoke(id.clone(), who.clone())>{w("Thu hồi", "Revoke")}</button> }.into_any()
                            }}
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    let result = move || {
        made.get().map(|m| {
            let link = text(&m, "link");
            let who = m.get("account").map(|a| text(a, "name")).unwrap_or_default();
            let qr = qr_path(&link).map(|(size, d)| {
                view! {
                    <svg class="qr" viewBox=format!("0 0 {size} {size}") role="img" aria-label=move || format!("{} {who}", i18n::pick("Mã QR đường dẫn đăng ký của", "QR code of the enrolment link of")) shape-rendering="crispEdges">
                        <rect width=size height=size fill="#fff"/>
                        <path d=d fill="#000"/>
                    </svg>
                }
            });
            view! {
                <section class="card made" aria-labelledby="made-title">
                    <h2 id="made-title">{w("Tài khoản đã tạo", "Account made")}</h2>
                    <p>{w(
                        "Người dùng quét mã này bằng điện thoại để đăng ký. Mã chỉ hiện một lần: đừng chụp gửi cho người khác.",
                        "The person scans this code with the phone to enrol. It is shown once: do not pass it on to anyone else.",
                    )}</p>
                    {qr}
                    <p class="link">{link.clone()}</p>
                    <button type="button" class="small" on:click=move |_| made.set(None)>{w("Xong, ẩn mã", "Done, hide the code")}</button>
                </section>
            }
        })
    };
    view! {
        <h1>{w("Tài khoản", "Accounts")}</h1>
        <form class="card" on:submit=add>
            <h2>{w("Thêm người", "Add a person")}</h2>
            <label for="u-name">{w("Họ và tên", "Full name")}</label>
            <input id="u-name" type="text" required prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
            <label for="u-role">{w("Vai trò", "Role")}</label>
            <select id="u-role" on:change=move |ev| role.set(event_target_value(&ev)) prop:value=move || role.get()>
                <option value="collaborator">{w("cộng tác viên", "collaborator")}</option>
                <option value="office">{w("văn phòng", "office")}</option>
                <option value="admin">{w("quản trị", "admin")}</option>
            </select>
            <label for="u-unit">{w("Đơn vị (mã, ví dụ ha-dong)", "Unit (code, e.g. ha-dong)")}</label>
            <input id="u-unit" type="text" prop:value=move || unit.get() on:input=move |ev| unit.set(event_target_value(&ev))/>
            <button type="submit" class="primary">{w("Tạo tài khoản", "Make the account")}</button>
            {move || message.get().map(|m| view! { <p class="error" role="alert">{m}</p> })}
        </form>
        {result}
        {move || problem.get().map(|p| view! { <p class="error" role="alert">{p}</p> })}
        <h2>{w("Mọi tài khoản", "Every account")}</h2>
        <div class="scroll">
            <table class="accounts">
                <thead><tr>
                    <th scope="col">{w("Tên", "Name")}</th>
                    <th scope="col">{w("Vai trò", "Role")}</th>
                    <th scope="col">{w("Đơn vị", "Unit")}</th>
                    <th scope="col">{w("Thu hồi", "Revoke")}</th>
                </tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_link_becomes_a_square_with_a_quiet_zone() {
        let (size, d) =
            super::qr_path("http://127.0.0.1:8080/?screen=enrol#token=0Jk1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa").expect("a code");
        assert!(size >= 21 + 8);
        assert!(d.starts_with("M4 4h1v1h-1z"), "the finder pattern's corner is dark: {}", &d[..20]);
    }
}
