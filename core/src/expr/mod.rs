//! SurveyJS's expression language: `{age} >= 18 and {district} anyof ['ba-dinh', 'hoan-kiem']`.
//!
//! An expression is parsed once into an [`Expr`] and evaluated many times
//! against the current answers. Results follow SurveyJS (and so JavaScript)
//! exactly; `tests/expr-diff/` checks that against the real library.

pub(crate) mod date;
mod eval;
mod functions;
mod parse;
pub mod value;

pub use date::{iso_string, parse as date_parse, Clock};
pub use eval::{evaluate, get_number, is_true, resolve_path, values_equal, Scope};
pub use functions::FUNCTIONS;
pub use parse::{parse, ParseError, MAX_CHAIN, MAX_DEPTH, MAX_LEN};
pub use value::Val;

use std::fmt;

#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Const(Val),
    /// `{name}`, `{a.b}`, `{a[0]}`, `{panel.q}`: the text between the braces.
    Var(String),
    Array(Vec<Expr>),
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    Call(String, Vec<Expr>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnOp {
    Not,
    Empty,
    NotEmpty,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Or,
    And,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    Plus,
    Minus,
    Mul,
    Div,
    Mod,
    Power,
    Contains,
    NotContains,
    AnyOf,
    AllOf,
    NoneOf,
}

impl BinOp {
    /// How tightly it binds, loosest first, as in SurveyJS's grammar. Every
    /// level is left-associative.
    fn level(self) -> u8 {
        use BinOp::*;
        match self {
            Or => 1,
            And => 2,
            Equal | NotEqual | Less | LessOrEqual | Greater | GreaterOrEqual => 3,
            Plus | Minus => 4,
            Mul | Div | Mod => 5,
            Power => 6,
            Contains | NotContains | AnyOf | AllOf | NoneOf => 7,
        }
    }

    fn symbol(self) -> &'static str {
        match self {
            BinOp::Or => "or",
            BinOp::And => "and",
            BinOp::Equal => "==",
            BinOp::NotEqual => "!=",
            BinOp::Less => "<",
            BinOp::LessOrEqual => "<=",
            BinOp::Greater => ">",
            BinOp::GreaterOrEqual => ">=",
            BinOp::Plus => "+",
            BinOp::Minus => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Mod => "%",
            BinOp::Power => "^",
            BinOp::Contains => "contains",
            BinOp::NotContains => "notcontains",
            BinOp::AnyOf => "anyof",
            BinOp::AllOf => "allof",
            BinOp::NoneOf => "noneof",
        }
    }
}

impl Expr {
    /// The names this expression reads: the first part of each `{a.b[0]}`,
    /// which is the question (or calculated value) it depends on.
    pub fn variables(&self) -> Vec<String> {
        let mut out = Vec::new();
        self.walk(&mut |e| {
            if let Expr::Var(name) = e {
                out.push(name.clone());
            }
        });
        out
    }

    /// The functions this expression calls.
    pub fn functions(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.walk_ref(&mut out);
        out
    }

    fn walk_ref<'a>(&'a self, out: &mut Vec<&'a str>) {
        match self {
            Expr::Call(name, args) => {
                out.push(name);
                args.iter().for_each(|a| a.walk_ref(out));
            }
            Expr::Array(items) => items.iter().for_each(|a| a.walk_ref(out)),
            Expr::Unary(_, e) => e.walk_ref(out),
            Expr::Binary(_, a, b) => {
                a.walk_ref(out);
                b.walk_ref(out);
            }
            Expr::Const(_) | Expr::Var(_) => {}
        }
    }

    fn walk(&self, f: &mut impl FnMut(&Expr)) {
        f(self);
        match self {
            Expr::Array(items) | Expr::Call(_, items) => items.iter().for_each(|e| e.walk(f)),
            Expr::Unary(_, e) => e.walk(f),
            Expr::Binary(_, a, b) => {
                a.walk(f);
                b.walk(f);
            }
            Expr::Const(_) | Expr::Var(_) => {}
        }
    }
}

/// Prints the expression so that it parses back to the same tree, with only
/// the parentheses that are needed: a chain like `{a} + {b} + {c}` prints
/// flat, so printing never nests deeper than the parser allows.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Binary(op, a, b) => {
                // Left-associative: the same level may stand unparenthesised on the left only.
                write_operand(f, a, |l| l < op.level())?;
                write!(f, " {} ", op.symbol())?;
                write_operand(f, b, |l| l <= op.level())
            }
            Expr::Unary(UnOp::Not, e) => {
                f.write_str("!")?;
                write_operand(f, e, |_| true)
            }
            other => other.fmt_atom(f),
        }
    }
}

/// Writes an operand, in parentheses when it is a binary operation whose
/// level `needs_parens` says would otherwise parse differently.
fn write_operand(f: &mut fmt::Formatter<'_>, e: &Expr, needs_parens: impl Fn(u8) -> bool) -> fmt::Result {
    match e {
        Expr::Binary(op, ..) if needs_parens(op.level()) => write!(f, "({e})"),
        _ => write!(f, "{e}"),
    }
}

impl Expr {
    fn fmt_atom(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expr::Const(v) => write_const(f, v),
            Expr::Var(name) => write!(f, "{{{name}}}"),
            Expr::Array(items) => {
                f.write_str("[")?;
                write_list(f, items)?;
                f.write_str("]")
            }
            Expr::Unary(op, e) => {
                let word = match op {
                    UnOp::Empty => "empty",
                    UnOp::NotEmpty => "notempty",
                    UnOp::Not => return write!(f, "{self}"),
                };
                match **e {
                    Expr::Const(_) | Expr::Var(_) => write!(f, "{e} {word}"),
                    // Only a value may stand before `empty`; anything else was null.
                    _ => write!(f, "null {word}"),
                }
            }
            Expr::Binary(..) => write!(f, "{self}"),
            Expr::Call(name, args) => {
                write!(f, "{name}(")?;
                write_list(f, args)?;
                f.write_str(")")
            }
        }
    }
}

fn write_list(f: &mut fmt::Formatter<'_>, items: &[Expr]) -> fmt::Result {
    for (i, e) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{e}")?;
    }
    Ok(())
}

fn write_const(f: &mut fmt::Formatter<'_>, v: &Val) -> fmt::Result {
    match v {
        Val::Null => f.write_str("null"),
        Val::Bool(b) => write!(f, "{b}"),
        Val::Num(n) if n.is_infinite() => {
            // No literal is infinite, but 400 digits are.
            let digits = format!("1{}", "0".repeat(400));
            if *n < 0.0 {
                write!(f, "-{digits}")
            } else {
                f.write_str(&digits)
            }
        }
        Val::Num(n) if *n < 0.0 || (*n == 0.0 && n.is_sign_negative()) => write!(f, "-{}", plain_number(-n)),
        Val::Num(n) => f.write_str(&plain_number(*n)),
        Val::Str(s) if s.is_empty() => f.write_str("''"),
        Val::Str(s) => {
            f.write_str("'")?;
            for c in s.chars() {
                match c {
                    '\'' => f.write_str("\\'")?,
                    '"' => f.write_str("\\\"")?,
                    c => write!(f, "{c}")?,
                }
            }
            f.write_str("'")
        }
        other => write!(f, "'{}'", other.to_js_string()),
    }
}

/// A non-negative number as digits the grammar accepts: Rust never writes
/// an exponent for `{}`, and the grammar has none.
fn plain_number(n: f64) -> String {
    crate::num::to_plain_string(n)
}
