//! Every string the app itself shows, in Vietnamese and English. Components
//! ask for a [`Msg`]; none writes its own words. Form text comes from the form.

use leptos::prelude::Get;
use phieu_core::json::{FromJson, ToJson, Writer};
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

/// Stored as `"Vi"` or `"En"`, as serde's derive wrote it.
impl ToJson for Lang {
    fn write_json(&self, w: &mut Writer) {
        w.string(if *self == Lang::Vi { "Vi" } else { "En" });
    }
}

impl FromJson for Lang {
    fn from_json(v: &Value) -> Result<Self, String> {
        match v.as_str() {
            Some("Vi") => Ok(Lang::Vi),
            Some("En") => Ok(Lang::En),
            _ => Err("expected \"Vi\" or \"En\"".into()),
        }
    }
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
        if tag.to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Vi
        }
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
    ListUnavailable,
    MasksUnavailable,
    FormAddressRefused,
    FormFrom,
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
    StorageFull,
    DraftRestored,
    NoneItem,
    OtherItem,
    OtherText,
    Remove,
    RankUp,
    RankDown,
    RankPlace,
    RankOf,
    RankOut,
    Unranked,
    Ranked,
    RankEmpty,
    RangeFrom,
    RangeTo,
    NoMatch,
    TypeToSearch,
    Next,
    Previous,
    Review,
    ReviewTitle,
    ReviewHint,
    Edit,
    Page,
    AddRepeat,
    RemoveRepeat,
    AddRow,
    RemoveRow,
    Row,
    Total,
    Print,
    NotAnswered,
    Drafts,
    Resume,
    Duplicate,
    Discard,
    ConfirmDiscard,
    Edited,
    Answered,
    OutboxTitle,
    OutboxEmpty,
    Waiting,
    Sending,
    Sent,
    Refused,
    SendNow,
    Fix,
    ExportJson,
    ExportCsv,
    Share,
    Import,
    Imported,
    ClearSent,
    ConfirmClearSent,
    Paused,
    Settings,
    Endpoint,
    EndpointHint,
    Token,
    Save,
    Saved,
    Persisted,
    NotPersisted,
    Usage,
    Quarantined,
    UpdateReady,
    UpdateNow,
    Replaces,
    NextTry,
    ExportThis,
    TokenAscii,
    EnrolTitle,
    EnrolAs,
    EnrolFailed,
    Confirm,
    Cancel,
    EnrolledAs,
    Leave,
    ConfirmLeave,
    Announcements,
    Topic,
    NewReplies,
    OfficeSaid,
    InsecureEndpoint,
    NoConnection,
    TooSlow,
    Redirected,
    ServerSaid,
    TakePhoto,
    AddPhoto,
    AddFile,
    RemoveFile,
    PreparingFile,
    FileStorageFull,
    FileNotKept,
    FileLost,
    SignHere,
    ClearSignature,
    FilesSent,
    Locate,
    LocateAgain,
    Locating,
    LocationWeak,
    UseLocation,
    LocationRefused,
    LocationUnavailable,
    OpenMap,
}

pub fn t(lang: Lang, msg: Msg) -> &'static str {
    use Msg::*;
    let (vi, en) = match msg {
        AppName => ("Phiếu", "Phieu"),
        TakePhoto => ("Chụp ảnh", "Take a photo"),
        AddPhoto => ("Thêm ảnh", "Add a photo"),
        AddFile => ("Chọn tệp", "Choose a file"),
        RemoveFile => ("Xoá", "Remove"),
        PreparingFile => ("Đang xử lý ảnh…", "Preparing the photo…"),
        FileStorageFull => (
            "Bộ nhớ của máy đã đầy nên tệp này chưa được lưu. Các câu trả lời khác vẫn được giữ.",
            "This phone's storage is full, so the file was not kept. Your other answers are kept.",
        ),
        FileNotKept => ("Không lưu được tệp này trên máy.", "This file could not be kept on the phone."),
        FileLost => ("Tệp không còn trên máy này, hãy sửa phiếu và đính kèm lại:", "A file is no longer on this phone; fix the report and attach it again:"),
        SignHere => ("Ký vào ô này", "Sign in this box"),
        ClearSignature => ("Ký lại", "Sign again"),
        FilesSent => ("tệp đã gửi", "files sent"),
        Locate => ("Lấy vị trí", "Get my location"),
        LocateAgain => ("Lấy lại vị trí", "Locate again"),
        Locating => ("Đang tìm vị trí…", "Finding your location…"),
        LocationWeak => ("Vị trí chưa đủ chính xác. Có thể thử lại ở chỗ thoáng, hoặc dùng vị trí này.", "The location is not precise enough yet. Try again in the open, or use this one."),
        UseLocation => ("Dùng vị trí này", "Use this location"),
        LocationRefused => (
            "Trình duyệt chưa được phép lấy vị trí. Hãy cho phép: bấm biểu tượng ổ khoá cạnh địa chỉ trang, hoặc vào Cài đặt của điện thoại → Ứng dụng → trình duyệt → Quyền → Vị trí. Sau đó bấm lại. Bạn vẫn có thể lưu nháp và gửi sau.",
            "The browser is not allowed to use your location. Allow it with the lock icon beside the page's address, or in the phone's Settings → Apps → your browser → Permissions → Location, then tap again. You can still save a draft and send it later.",
        ),
        LocationUnavailable => (
            "Điện thoại chưa tìm được vị trí. Hãy bật định vị (GPS), ra chỗ thoáng rồi thử lại.",
            "The phone could not find its position. Turn on location (GPS), move into the open, and try again.",
        ),
        OpenMap => ("Mở bản đồ", "Open in maps"),
        Online => ("Có mạng", "Online"),
        Offline => ("Mất mạng", "Offline"),
        Outbox => ("Chờ gửi", "To send"),
        SwitchLanguage => ("English", "Tiếng Việt"),
        Forms => ("Chọn phiếu", "Choose a form"),
        NoForms => ("Chưa có phiếu nào.", "There are no forms yet."),
        FormsUnavailable => (
            "Không tải được danh sách phiếu. Hãy thử lại khi có mạng.",
            "The list of forms could not be loaded. Try again when you are online.",
        ),
        Loading => ("Đang mở…", "Opening…"),
        FormUnavailable => (
            "Chưa mở được phiếu này: máy chưa lưu phiếu và đang không có mạng. Các phiếu chờ gửi vẫn an toàn.",
            "This form cannot be opened: it is not saved on this device and there is no connection. Reports waiting to be sent are safe.",
        ),
        ListUnavailable => (
            "Chưa mở được phiếu này: không tải được danh sách lựa chọn của phiếu. Hãy thử lại khi có mạng. Các phiếu chờ gửi vẫn an toàn.",
            "This form cannot be opened: a list of options it needs could not be loaded. Try again when you are online. Reports waiting to be sent are safe.",
        ),
        MasksUnavailable => (
            "Chưa mở được phiếu này: không tải được phần nhập theo mẫu (số, ngày, số điện thoại) của phiếu. Hãy thử lại khi có mạng. Các phiếu chờ gửi vẫn an toàn.",
            "This form cannot be opened: the part that formats its boxes as you type (numbers, dates, phone numbers) could not be loaded. Try again when you are online. Reports waiting to be sent are safe.",
        ),
        FormAddressRefused => {
            ("Chỉ mở được phiếu từ một địa chỉ http:// hoặc https://.", "Forms open only from an http:// or https:// address.")
        }
        FormFrom => ("Phiếu của trang", "A form from"),
        FormHasErrors => ("Định nghĩa phiếu có lỗi, nên chưa thể hiển thị:", "The form definition has errors, so it cannot be shown:"),
        Submit => ("Gửi phiếu", "Submit"),
        FixErrors => ("Còn câu hỏi chưa trả lời đúng.", "Some answers still need attention."),
        Queued => ("Đã lưu phiếu trên máy.", "The report is saved on this device."),
        QueuedHint => {
            ("Phiếu sẽ tự gửi đi khi có mạng. Không cần mở lại ứng dụng.", "It will be sent by itself when there is a connection.")
        }
        FillAnother => ("Điền phiếu mới", "Fill in another"),
        Home => ("Danh sách phiếu", "All forms"),
        Yes => ("Có", "Yes"),
        No => ("Không", "No"),
        Choose => ("— Chọn —", "— Choose —"),
        StorageFailed => ("Không lưu được vào bộ nhớ máy", "Could not save to this device's storage"),
        StorageFull => (
            "Bộ nhớ trình duyệt đã đầy. Dữ liệu vẫn còn trên màn hình: hãy xuất các phiếu ra tệp ở mục Hộp thư đi.",
            "The browser's storage is full. Your data is still on screen: export your reports to a file from the Outbox.",
        ),
        DraftRestored => ("Đã khôi phục câu trả lời đang điền dở.", "Your unfinished answers were restored."),
        NoneItem => ("Không có", "None"),
        OtherItem => ("Khác (ghi rõ)", "Other (please specify)"),
        OtherText => ("Ghi rõ lựa chọn khác", "Describe your other answer"),
        Remove => ("Bỏ chọn", "Remove"),
        RankUp => ("Lên", "Up"),
        RankDown => ("Xuống", "Down"),
        RankPlace => ("vị trí", "place"),
        RankOf => ("trên", "of"),
        RankOut => ("đã bỏ khỏi thứ tự", "taken out of the ranking"),
        Unranked => ("Chưa xếp hạng: chạm để thêm", "Not ranked: tap to add"),
        Ranked => ("Thứ tự của bạn", "Your ranking"),
        RankEmpty => ("Chưa có mục nào. Chạm vào một mục ở trên để xếp hạng.", "Nothing yet. Tap an item above to rank it."),
        RangeFrom => ("Từ", "From"),
        RangeTo => ("Đến", "To"),
        NoMatch => ("Không tìm thấy lựa chọn nào.", "No option matches."),
        TypeToSearch => ("Gõ để tìm…", "Type to search…"),
        Next => ("Tiếp", "Next"),
        Previous => ("Quay lại", "Back"),
        Review => ("Xem lại", "Review"),
        ReviewTitle => ("Xem lại trước khi gửi", "Review before sending"),
        ReviewHint => ("Kiểm tra các câu trả lời. Bấm \"Sửa\" để thay đổi.", "Check your answers. Press \"Change\" to edit one."),
        Edit => ("Sửa", "Change"),
        Page => ("Trang", "Page"),
        AddRepeat => ("Thêm", "Add"),
        RemoveRepeat => ("Xoá mục này", "Remove this one"),
        AddRow => ("Thêm hàng", "Add a row"),
        RemoveRow => ("Xoá", "Remove"),
        Row => ("Hàng", "Row"),
        Total => ("Tổng", "Total"),
        Print => ("In phiếu", "Print"),
        NotAnswered => ("— chưa trả lời", "— not answered"),
        Drafts => ("Phiếu đang điền dở", "Unfinished reports"),
        Resume => ("Điền tiếp", "Continue"),
        Duplicate => ("Nhân bản", "Duplicate"),
        Discard => ("Xoá", "Discard"),
        ConfirmDiscard => ("Xoá phiếu đang điền dở này? Không thể hoàn tác.", "Discard this unfinished report? This cannot be undone."),
        Edited => ("Sửa lúc", "Edited"),
        Answered => ("câu đã trả lời", "answered"),
        OutboxTitle => ("Hộp thư đi", "Outbox"),
        OutboxEmpty => ("Chưa có phiếu nào trong hộp thư đi.", "The outbox is empty."),
        Waiting => ("Đang chờ gửi", "Waiting"),
        Sending => ("Đang gửi…", "Sending…"),
        Sent => ("Đã gửi", "Sent"),
        Refused => ("Máy chủ từ chối", "Refused by the server"),
        SendNow => ("Gửi ngay", "Send now"),
        Fix => ("Sửa và gửi lại", "Fix and resend"),
        ExportJson => ("Xuất JSON", "Export JSON"),
        ExportCsv => ("Xuất CSV", "Export CSV"),
        Share => ("Chia sẻ", "Share"),
        Import => ("Nhập từ tệp", "Import from a file"),
        Imported => ("Số phiếu đã nhập:", "Reports imported:"),
        ClearSent => ("Xoá các phiếu đã gửi", "Clear sent reports"),
        ConfirmClearSent => ("Xoá biên nhận của các phiếu đã gửi khỏi máy?", "Remove the receipts of sent reports from this device?"),
        Paused => (
            "Tạm dừng gửi: hãy kiểm tra địa chỉ máy chủ và mã truy cập ở mục Cài đặt.",
            "Sending is paused: check the server address and the access token in Settings.",
        ),
        Settings => ("Cài đặt", "Settings"),
        Endpoint => ("Địa chỉ nhận phiếu", "Where reports are sent"),
        EndpointHint => ("Để trống để dùng địa chỉ mặc định.", "Leave empty to use the default."),
        Token => ("Mã truy cập", "Access token"),
        Save => ("Lưu", "Save"),
        Saved => ("Đã lưu.", "Saved."),
        Persisted => ("Trình duyệt giữ dữ liệu lâu dài.", "The browser keeps this data for good."),
        NotPersisted => (
            "Trình duyệt có thể xoá dữ liệu khi máy thiếu bộ nhớ: hãy gửi hoặc xuất phiếu thường xuyên.",
            "The browser may clear this data when the device runs low on space: send or export reports often.",
        ),
        Usage => ("Dung lượng đã dùng", "Storage used"),
        Quarantined => (
            "Có bản ghi không đọc được; đã được cất riêng, dữ liệu khác vẫn dùng bình thường:",
            "Some records could not be read; they were set aside and everything else works:",
        ),
        UpdateReady => ("Đã có phiên bản mới của ứng dụng.", "A new version of the app is ready."),
        UpdateNow => ("Cập nhật", "Update"),
        Replaces => ("Sửa lại phiếu", "Corrects report"),
        NextTry => ("Thử lại lúc", "Next try"),
        ExportThis => ("Xuất phiếu này ra tệp", "Export this report to a file"),
        NoConnection => ("không kết nối được máy chủ", "could not reach the server"),
        TooSlow => ("máy chủ trả lời quá lâu", "the server took too long to answer"),
        Redirected => {
            ("mạng chuyển yêu cầu sang trang khác (trang đăng nhập Wi-Fi?)", "the network sent the request elsewhere (a Wi-Fi login page?)")
        }
        ServerSaid => ("máy chủ trả lời", "the server answered"),
        TokenAscii => (
            "Mã truy cập chỉ gồm chữ không dấu, chữ số và ký hiệu; hãy kiểm tra lại.",
            "An access token has only unaccented letters, digits and symbols; please check it.",
        ),
        EnrolTitle => ("Đăng ký máy này", "Enrol this phone"),
        EnrolAs => ("Máy này sẽ gửi phiếu với tên", "This phone will send reports as"),
        EnrolFailed => (
            "Chưa đăng ký được: cần có mạng và một đường dẫn còn hiệu lực. Hãy mở lại đường dẫn.",
            "Could not enrol: this needs a connection and a link that is still valid. Open the link again.",
        ),
        Confirm => ("Xác nhận", "Confirm"),
        Cancel => ("Huỷ", "Cancel"),
        EnrolledAs => ("Máy này đăng ký cho", "This phone is enrolled as"),
        Leave => ("Rời khỏi", "Leave"),
        ConfirmLeave => (
            "Quên mã truy cập trên máy này? Các phiếu chưa gửi vẫn được giữ lại.",
            "Forget the access token on this phone? Reports not yet sent are kept.",
        ),
        Announcements => ("Thông báo", "Announcements"),
        Topic => ("Chủ đề cần theo dõi", "Topic to watch"),
        NewReplies => ("phản hồi mới", "new replies"),
        OfficeSaid => ("Văn phòng trả lời", "The office replied"),
        InsecureEndpoint => {
            ("Cần địa chỉ https:// để gửi mã truy cập an toàn.", "An https:// address is needed to send the access token safely.")
        }
    };
    if lang == Lang::Vi {
        vi
    } else {
        en
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

/// The form's own words for a label when it has them (`labelTrue`,
/// `panelAddText`, the text of "Other" …), else the app's.
pub fn text_or(l: Option<phieu_core::Localized>, msg: Msg) -> impl Fn() -> String + Clone + 'static {
    let lang = crate::app::use_state().lang;
    move || match l.as_ref().filter(|l| !l.is_empty()) {
        Some(l) => l.get(lang.get().code()).to_string(),
        None => t(lang.get(), msg).to_string(),
    }
}
