//! The phieu web app: a thin Leptos shell over `phieu-core`.
//!
//! Everything a form means is decided in the core; this crate only shows it,
//! keeps it in browser storage and carries it over the network.

mod app;
mod enrol;
mod export;
mod files;
mod form;
mod home;
mod i18n;
mod outbox_view;
mod platform;
mod settings;
mod storage;
mod sync;

fn main() {
    phieu_core::regex::set_engine(platform::browser_regex);
    phieu_core::num::set_parser(js_sys::parse_float);
    phieu_core::num::set_printer(platform::number_text);
    phieu_core::num::set_fixed_printer(platform::fixed_text);
    phieu_core::answers::set_lowercase(platform::lowercase);
    if let Some(boot) = platform::document().get_element_by_id("boot") {
        boot.remove();
    }
    leptos::mount::mount_to_body(app::App);
}
