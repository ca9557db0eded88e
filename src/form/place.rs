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

/// Where the finding is, kept in an `RwSignal<Option<usize>>` (a signal
/// type the app has): `None` idle, then one of these.
const BUSY: Option<usize> = Some(0);
/// The best fix so far, worse than asked for (in `weak`).
const WEAK: Option<usize> = Some(1);
const REFUSED: Option<usize> = Some(2);
const UNAVAILABLE: Option<usize> = Some(3);

pub fn geopoint(c: Control, accuracy: f64) -> impl IntoView {
    let lang = crate::app::use_state().lang;
    let finding = RwSignal::new(None::<usize>);
    // The weak fix itself, beside the signal (no signal or stored type of its own).
    let weak = std::sync::Arc::new(std::sync::Mutex::new(None::<Place>));
    let kept = |weak: &std::sync::Mutex<Option<Place>>| weak.lock().map(|p| *p).unwrap_or(None);
    let place = {
        let c = c.clone();
        move || c.value().as_ref().and_then(Place::of)
    };
    let locate_now = {
        let (c, weak) = (c.clone(), weak.clone());
        move |_| {
            let (c, weak) = (c.clone(), weak.clone());
            finding.set(BUSY);
            leptos::task::spawn_local(async move {
                let mut best: Option<Place> = None;
                for i in 0..TRIES {
                    // A cold GPS needs time for its first fix; later ones come quickly or not at all.
                    match locate(if i == 0 { 20_000 } else { 6_000 }).await {
                        Ok(p) if p.accuracy <= accuracy => {
                            c.set(Some(p.to_json()));
                            finding.set(None);
                            return;
                        }
                        Ok(p) => {
                            if best.is_none_or(|b| p.accuracy < b.accuracy) {
                                best = Some(p);
                            }
                        }
                        Err(1) => return finding.set(REFUSED),
                        Err(_) if best.is_none() => return finding.set(UNAVAILABLE),
                        Err(_) => break,
                    }
                }
                if let Ok(mut w) = weak.lock() {
                    *w = best;
                }
                finding.set(if best.is_some() { WEAK } else { UNAVAILABLE });
            });
        }
    };
    let accept = {
        let (c, weak) = (c.clone(), weak.clone());
        move |_| {
            if let Some(p) = kept(&weak).filter(|_| finding.get_untracked() == WEAK) {
                c.set(Some(p.to_json()));
                finding.set(None);
            }
        }
    };
    let note = move || match finding.get() {
        None => String::new(),
        BUSY => t(lang.get(), Msg::Locating).to_string(),
        WEAK => format!("{} {}", kept(&weak).map(Place::text).unwrap_or_default(), t(lang.get(), Msg::LocationWeak)),
        REFUSED => t(lang.get(), Msg::LocationRefused).to_string(),
        _ => t(lang.get(), Msg::LocationUnavailable).to_string(),
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
                <button type="button" prop:disabled=move || c.read_only || finding.get() == BUSY on:click=locate_now>
                    {move || t(lang.get(), if again().is_some() { Msg::LocateAgain } else { Msg::Locate })}
                </button>
                <button type="button" hidden=move || finding.get() != WEAK on:click=accept>{tr(Msg::UseLocation)}</button>
            </p>
        </div>
    }
}
