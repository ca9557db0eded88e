//! Leptos with nothing of phieu: a field whose answer shows another element,
//! a list that grows, a button. What the framework costs in wasm before a
//! single widget of ours; `bench/engine-size.sh` prints it beside the engine.
use leptos::prelude::*;

#[component]
fn App() -> impl IntoView {
    let (text, set_text) = signal(String::new());
    let (items, set_items) = signal(vec![1u32, 2, 3]);
    view! {
        <label for="q1">"Question"</label>
        <input id="q1" prop:value=text on:input=move |e| set_text.set(event_target_value(&e)) />
        <Show when=move || !text.get().is_empty()>
            <p>"Shown when answered: " {text}</p>
        </Show>
        <ul>{move || items.get().into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul>
        <button on:click=move |_| set_items.update(|v| v.push(v.len() as u32 + 1))>"Add"</button>
    }
}

fn main() {
    leptos::mount::mount_to_body(App);
}
