//! Form text in the safe Markdown subset (`html` questions, `completedHtml`),
//! drawn as DOM nodes holding text: never as HTML. Plain DOM calls rather
//! than a view per kind of block and inline (nine view types), for text the
//! person only reads.

use leptos::prelude::*;
use phieu_core::markdown::{parse, Block, Inline};
use web_sys::Element;

pub fn markdown(source: impl Fn() -> String + Send + Sync + 'static) -> impl IntoView {
    let node = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        let text = source();
        let Some(div) = node.get() else { return };
        div.set_text_content(None);
        for b in parse(&text) {
            let (tag, lines) = match b {
                Block::Heading(_, inl) => ("h3", vec![inl]),
                Block::Paragraph(inl) => ("p", vec![inl]),
                Block::List { ordered, items } => (if ordered { "ol" } else { "ul" }, items),
            };
            let Some(block) = add(&div, tag) else { continue };
            if tag.ends_with('l') {
                for item in lines {
                    if let Some(li) = add(&block, "li") {
                        inlines(&li, item);
                    }
                }
            } else {
                lines.into_iter().for_each(|l| inlines(&block, l));
            }
        }
    });
    view! { <div class="rich" node_ref=node></div> }
}

/// A new child element of `parent`.
fn add(parent: &Element, tag: &str) -> Option<Element> {
    let el = document().create_element(tag).ok()?;
    parent.append_child(&el).ok()?;
    Some(el)
}

fn inlines(parent: &Element, list: Vec<Inline>) {
    for i in list {
        let (tag, text) = match i {
            Inline::Text(t) => {
                let _ = parent.append_with_str_1(&t);
                continue;
            }
            Inline::Strong(t) => ("strong", t),
            Inline::Emphasis(t) => ("em", t),
            Inline::Link { text, url } => {
                if let Some(a) = add(parent, "a") {
                    for (k, v) in [("href", url.as_str()), ("rel", "noopener"), ("target", "_blank")] {
                        let _ = a.set_attribute(k, v);
                    }
                    a.set_text_content(Some(&text));
                }
                continue;
            }
            Inline::LineBreak => ("br", String::new()),
        };
        if let Some(el) = add(parent, tag) {
            if !text.is_empty() {
                el.set_text_content(Some(&text));
            }
        }
    }
}
