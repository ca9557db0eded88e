//! Form text in the safe Markdown subset (`html` questions, `completedHtml`),
//! rendered as DOM nodes: never as HTML.

use leptos::prelude::*;
use phieu_core::markdown::{parse, Block, Inline};

pub fn markdown(source: impl Fn() -> String + Send + Sync + 'static) -> impl IntoView {
    move || parse(&source()).into_iter().map(block).collect_view()
}

fn block(b: Block) -> AnyView {
    match b {
        Block::Heading(_, inl) => view! { <h3>{inlines(inl)}</h3> }.into_any(),
        Block::Paragraph(inl) => view! { <p>{inlines(inl)}</p> }.into_any(),
        Block::List { ordered: false, items } => {
            view! { <ul>{items.into_iter().map(|i| view! { <li>{inlines(i)}</li> }).collect_view()}</ul> }.into_any()
        }
        Block::List { ordered: true, items } => {
            view! { <ol>{items.into_iter().map(|i| view! { <li>{inlines(i)}</li> }).collect_view()}</ol> }.into_any()
        }
    }
}

fn inlines(list: Vec<Inline>) -> impl IntoView {
    list.into_iter()
        .map(|i| match i {
            Inline::Text(t) => t.into_any(),
            Inline::Strong(t) => view! { <strong>{t}</strong> }.into_any(),
            Inline::Emphasis(t) => view! { <em>{t}</em> }.into_any(),
            Inline::Link { text, url } => view! { <a href=url rel="noopener" target="_blank">{text}</a> }.into_any(),
            Inline::LineBreak => view! { <br/> }.into_any(),
        })
        .collect_view()
}
