//! Every string the app itself shows, in Vietnamese and English. Components
//! ask for a [`Msg`]; none writes its own words. Form text comes from the form.

use leptos::prelude::Get;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Vi => "vi",
            Lang::En => "en",
        }
    }
    pub fn other(self) -> Lang {
        match self {
            Lang::Vi => Lang::En,
            Lang::En => Lang::Vi,
        }
    }
    /// The browser's preference, Vietnamese unless it asks for English.
    pub fn from_browser(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("en") { Lang::En } else { Lang::Vi }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Msg {
    AppName,
    Online,
    Offline,
    Outbox,
    SwitchLanguage,
    Forms,
    NoForms,
    FormsUnavailable,
    Loading,
    FormUnavailable,
    FormHasErrors,
    Submit,
    FixErrors,
    Queued,
    QueuedHint,
    FillAnother,
    Home,
    Yes,
    No,
    Choose,
    StorageFailed,
    DraftRestored,
    NotYetShown,
}

pub fn t(lang: Lang, msg: Msg) -> &'static str {
    use Msg::*;
    match (lang, msg) {
        (Lang::Vi, AppName) => "Phiếu",
        (Lang::En, AppName) => "Phieu",
        (Lang::Vi, Online) => "Có mạng",
        (Lang::En, Online) => "Online",
        (Lang::Vi, Offline) => "Mất mạng",
        (Lang::En, Offline) => "Offline",
        (Lang::Vi, Outbox) => "Chờ gửi",
        (Lang::En, Outbox) => "Waiting to send",
        (Lang::Vi, SwitchLanguage) => "English",
        (Lang::En, SwitchLanguage) => "Tiếng Việt",
        (Lang::Vi, Forms) => "Chọn phiếu",
        (Lang::En, Forms) => "Choose a form",
        (Lang::Vi, NoForms) => "Chưa có phiếu nào.",
        (Lang::En, NoForms) => "There are no forms yet.",
        (Lang::Vi, FormsUnavailable) => "Không tải được danh sách phiếu. Hãy thử lại khi có mạng.",
        (Lang::En, FormsUnavailable) => "The list of forms could not be loaded. Try again when you are online.",
        (Lang::Vi, Loading) => "Đang mở…",
        (Lang::En, Loading) => "Opening…",
        (Lang::Vi, FormUnavailable) => "Chưa mở được phiếu này: máy chưa lưu phiếu và đang không có mạng. Các phiếu chờ gửi vẫn an toàn.",
        (Lang::En, FormUnavailable) => "This form cannot be opened: it is not saved on this device and there is no connection. Reports waiting to be sent are safe.",
        (Lang::Vi, FormHasErrors) => "Định nghĩa phiếu có lỗi, nên chưa thể hiển thị:",
        (Lang::En, FormHasErrors) => "The form definition has errors, so it cannot be shown:",
        (Lang::Vi, Submit) => "Gửi phiếu",
        (Lang::En, Submit) => "Submit",
        (Lang::Vi, FixErrors) => "Còn câu hỏi bắt buộc chưa trả lời.",
        (Lang::En, FixErrors) => "Some required questions are not answered yet.",
        (Lang::Vi, Queued) => "Đã lưu phiếu trên máy.",
        (Lang::En, Queued) => "The report is saved on this device.",
        (Lang::Vi, QueuedHint) => "Phiếu sẽ tự gửi đi khi có mạng. Không cần mở lại ứng dụng.",
        (Lang::En, QueuedHint) => "It will be sent by itself when there is a connection.",
        (Lang::Vi, FillAnother) => "Điền phiếu mới",
        (Lang::En, FillAnother) => "Fill in another",
        (Lang::Vi, Home) => "Danh sách phiếu",
        (Lang::En, Home) => "All forms",
        (Lang::Vi, Yes) => "Có",
        (Lang::En, Yes) => "Yes",
        (Lang::Vi, No) => "Không",
        (Lang::En, No) => "No",
        (Lang::Vi, Choose) => "— Chọn —",
        (Lang::En, Choose) => "— Choose —",
        (Lang::Vi, StorageFailed) => "Không lưu được vào bộ nhớ máy",
        (Lang::En, StorageFailed) => "Could not save to this device's storage",
        (Lang::Vi, DraftRestored) => "Đã khôi phục câu trả lời đang điền dở.",
        (Lang::En, DraftRestored) => "Your unfinished answers were restored.",
        (Lang::Vi, NotYetShown) => "Phiên bản này chưa hiển thị được loại câu hỏi này.",
        (Lang::En, NotYetShown) => "This version cannot show this kind of question yet.",
    }
}

/// A UI string that follows the chosen language. Every message shares this
/// one closure type, so a new message adds no new render code to the wasm.
pub fn tr(msg: Msg) -> impl Fn() -> &'static str + Copy + 'static {
    let lang = crate::app::use_state().lang;
    move || t(lang.get(), msg)
}

/// Form text (a title, a choice …) in the chosen language.
pub fn text(l: phieu_core::Localized) -> impl Fn() -> String + 'static {
    let lang = crate::app::use_state().lang;
    move || l.get(lang.get().code()).to_string()
}
