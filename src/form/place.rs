//! A `geopoint` question: the place, asked for only when the person taps.
//! The phone tries a few fixes until one is within the form's accuracy;
//! a worse one is offered, never stored unasked. A refused permission is
//! explained in plain words, and the rest of the form still saves.

use super::question::Control;
use crate::i18n::{t, tr, Msg};
use crate::platform::locate;
use leptos::prelude::*;
use phieu_core::form::Place;

/// Fixes tried on one tap before the best is offered as it is.
const TRIES: u32 = 4;

#[derive(Clone, Copy, PartialEq)]
enum Finding {
    Idle,
    Busy,
    /// The best fix so far, worse than asked for.
    Weak(Place),
    Refused,
    Unavailable,
}

pub fn geopoint(c: Control, accuracy: f64) -> impl IntoView {
    let lang = crate::app::use_state().lang;
    let finding = RwSignal::new(Finding::Idle);
    let place = {
        let c = c.clone();
        move || c.value().as_ref().and_then(Place::of)
    };
    let locate_now = {
        let c = c.clone();
        move |_| {
            let c = c.clone();
            finding.set(Finding::Busy);
            leptos::task::spawn_local(async move {
                let mut best: Option<Place> = None;
                for i in 0..TRIES {
                    // A cold GPS needs time for its first fix; later ones come quickly or not at all.
                    match locate(if i == 0 { 20_000 } else { 6_000 }).await {
                        Ok(p) if p.accuracy <= accuracy => {
                            c.set(Some(p.to_json()));
                            finding.set(Finding::Idle);
                            return;
                        }
                        Ok(p) => {
                            if best.is_none_or(|b| p.accuracy < b.accuracy) {
                                best = Some(p);
                            }
                        }
                        Err(1) => return finding.set(Finding::Refused),
                        Err(_) if best.is_none() => return finding.set(Finding::Unavailable),
                        Err(_) => break,
                    }
                }
                finding.set(best.map_or(Finding::Unavailable, Finding::Weak));
            });
        }
    };
    let accept = {
        let c = c.clone();
        move |_| {
            if let Finding::Weak(p) = finding.get_untracked() {
                c.set(Some(p.to_json()));
                finding.set(Finding::Idle);
            }
        }
    };
    let note = move || match finding.get() {
        Finding::Idle => String::new(),
        Finding::Busy => t(lang.get(), Msg::Locating).to_string(),
        Finding::Weak(p) => format!("{} {}", p.text(), t(lang.get(), Msg::LocationWeak)),
        Finding::Refused => t(lang.get(), Msg::LocationRefused).to_string(),
        Finding::Unavailable => t(lang.get(), Msg::LocationUnavailable).to_string(),
    };
    let shown = place.clone();
    let link = place.clone();
    let again = place.clone();
    view! {
        <div class="geopoint" id=c.id.clone() aria-describedby=c.described_by.clone()>
            <p class="place" data-testid="place" hidden=move || shown().is_none()>
                <span>{move || place().map(Place::text).unwrap_or_default()}</span> " "
                <a href=move || link().map(Place::geo_uri).unwrap_or_default()>{tr(Msg::OpenMap)}</a>
            </p>
            <p class="note" role="status" data-testid="place-note">{note}</p>
            <p class="actions">
                <button type="button" prop:disabled=move || c.read_only || finding.get() == Finding::Busy on:click=locate_now>
                    {move || t(lang.get(), if again().is_some() { Msg::LocateAgain } else { Msg::Locate })}
                </button>
                <button type="button" hidden=move || !matches!(finding.get(), Finding::Weak(_)) on:click=accept>{tr(Msg::UseLocation)}</button>
            </p>
        </div>
    }
}
