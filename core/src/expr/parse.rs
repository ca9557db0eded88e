//! The expression parser: SurveyJS's grammar, rule for rule.
//!
//! SurveyJS parses with a PEG (peggy) grammar, and some of its behaviour only
//! makes sense as PEG behaviour: bare words are strings, `-` binds only to a
//! number literal, a closing parenthesis may be missing, word operators need
//! no space after them. A recursive-descent parser with the same ordered
//! choices and backtracking reproduces all of that, so forms that work in
//! SurveyJS work here. Nesting is bounded, so no input can overflow the stack.

use super::{BinOp, Expr, UnOp};
use crate::expr::value::Val;

/// How deeply brackets, calls and operators may nest.
pub const MAX_DEPTH: usize = 100;
/// The longest expression accepted, in characters.
pub const MAX_LEN: usize = 20_000;
/// The most operators in a row (`{q1} + {q2} + …`). Each makes the tree one
/// level deeper, and everything that walks it recurses, so this bounds the
/// stack as MAX_DEPTH does for brackets; 500 terms is more than any form sums.
pub const MAX_CHAIN: usize = 500;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based character column in the expression text.
    pub column: usize,
    pub message: String,
}

impl std::fmt::Display for ParseError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} (at column {})", self.message, self.column)
    }
}

/// SurveyJS rewrites a few operator spellings in the raw text before parsing
/// (everywhere, even inside quotes); doing the same keeps results identical.
fn patch(text: &str) -> String {
    text.replace("=>", ">=").replace("=<", "<=").replace("<>", "!=").replace("equals", "equal ").replace("notequals", "notequal ")
}

pub fn parse(text: &str) -> Result<Expr, ParseError> {
    if text.chars().count() > MAX_LEN {
        return Err(ParseError { column: MAX_LEN, message: format!("the expression is longer than {MAX_LEN} characters") });
    }
    let patched = patch(text);
    let mut p = Parser {
        s: patched.chars().collect(),
        pos: 0,
        depth: 0,
        far: 0,
        expected: Vec::new(),
        too_deep: false,
        too_long: None,
        null_misuse: None,
    };
    let result = p.expression();
    if p.too_deep {
        return Err(ParseError { column: p.far + 1, message: format!("the expression nests more than {MAX_DEPTH} levels deep") });
    }
    if let Some(at) = p.too_long {
        return Err(ParseError {
            column: at + 1,
            message: format!("more than {MAX_CHAIN} operators in a row; split it, for example into calculated values"),
        });
    }
    match result {
        Some(Some(e)) if p.pos == p.s.len() => match p.null_misuse {
            // SurveyJS fails on these when it builds the expression.
            Some(at) => Err(ParseError {
                column: at + 1,
                message: "'null' cannot stand here: only as an operand of a comparison or arithmetic, or first in a list".into(),
            }),
            None => Ok(e),
        },
        Some(None) if p.pos == p.s.len() => Err(ParseError { column: 1, message: "the expression is only 'null'".into() }),
        _ => {
            if p.pos >= p.far {
                p.far = p.pos;
                p.expected.clear();
                p.expected.push(if p.pos == p.s.len() { "an expression" } else { "an operator or the end" });
            }
            let found = match p.s.get(p.far) {
                Some(c) => format!("'{c}'"),
                None => "the end".to_string(),
            };
            let value_like = ["'('", "a name", "a number", "a value", "'['", "'true' or 'false'"];
            let mut expected: Vec<&str> = p.expected.iter().copied().filter(|e| !value_like.contains(e)).collect();
            if p.expected.iter().any(|e| value_like.contains(e)) {
                expected.insert(0, "a value (a number, 'text', {question}, a function call or a list)");
            }
            expected.dedup();
            let message = if text.trim().is_empty() {
                "the expression is empty".to_string()
            } else {
                format!("expected {} but found {found}", expected.join(" or "))
            };
            Err(ParseError { column: p.far + 1, message })
        }
    }
}

struct Parser {
    s: Vec<char>,
    pos: usize,
    depth: usize,
    /// The furthest position any rule failed at, and what it wanted there.
    far: usize,
    expected: Vec<&'static str>,
    too_deep: bool,
    /// Where a chain of operators grew past MAX_CHAIN.
    too_long: Option<usize>,
    /// Where a `null` literal stands somewhere SurveyJS cannot take it.
    null_misuse: Option<usize>,
}

/// An operand: `None` is SurveyJS's `null`/`undefined` literal, which it keeps
/// as a missing operand rather than a constant (it matters in lists).
type Operand = Option<Expr>;

fn or_null(e: Operand) -> Expr {
    e.unwrap_or(Expr::Const(Val::Null))
}

impl Parser {
    fn fail(&mut self, what: &'static str) {
        if self.pos > self.far {
            self.far = self.pos;
            self.expected.clear();
        }
        if self.pos == self.far && !self.expected.contains(&what) {
            self.expected.push(what);
        }
    }

    fn ws(&mut self) {
        while matches!(self.s.get(self.pos), Some(' ' | '\t' | '\n' | '\r')) {
            self.pos += 1;
        }
    }

    fn lit(&mut self, l: &str) -> bool {
        let n = l.chars().count();
        if self.pos + n <= self.s.len() && self.s[self.pos..self.pos + n].iter().copied().eq(l.chars()) {
            self.pos += n;
            true
        } else {
            false
        }
    }

    /// Case-insensitive literal, as peggy's `"word"i`.
    fn lit_i(&mut self, l: &str) -> bool {
        let n = l.len();
        if self.pos + n <= self.s.len() && self.s[self.pos..self.pos + n].iter().zip(l.chars()).all(|(a, b)| a.eq_ignore_ascii_case(&b)) {
            self.pos += n;
            true
        } else {
            false
        }
    }

    fn enter(&mut self) -> bool {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            if !self.too_deep {
                self.too_deep = true;
                self.far = self.pos;
            }
            return false;
        }
        true
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    /// `_ LogicOr (_ OrSign _ LogicOr)* _`
    fn expression(&mut self) -> Option<Operand> {
        if !self.enter() {
            return None;
        }
        let r = self.expression_inner();
        self.leave();
        r
    }

    fn expression_inner(&mut self) -> Option<Operand> {
        self.ws();
        let head = self.logic_or()?;
        let r = self.tail(head, Self::or_sign, Self::logic_or);
        self.ws();
        Some(r)
    }

    /// `head (_ op _ next)*`, left-associative; an iteration that does not
    /// complete is undone, as in PEG.
    fn tail(&mut self, mut head: Operand, op: fn(&mut Self) -> Option<BinOp>, next: fn(&mut Self) -> Option<Operand>) -> Operand {
        for n in 0.. {
            if n == MAX_CHAIN {
                self.too_long.get_or_insert(self.pos);
                return head;
            }
            let save = self.pos;
            self.ws();
            let Some(o) = op(self) else {
                self.pos = save;
                return head;
            };
            self.ws();
            match next(self) {
                Some(right) => head = Some(Expr::Binary(o, Box::new(or_null(head)), Box::new(or_null(right)))),
                None => {
                    self.pos = save;
                    return head;
                }
            }
        }
        head
    }

    fn or_sign(&mut self) -> Option<BinOp> {
        if self.lit("||") || self.lit_i("or") {
            return Some(BinOp::Or);
        }
        self.fail("'or'");
        None
    }

    fn logic_or(&mut self) -> Option<Operand> {
        let head = self.logic_and()?;
        Some(self.tail(head, Self::and_sign, Self::logic_and))
    }

    fn and_sign(&mut self) -> Option<BinOp> {
        if self.lit("&&") || self.lit_i("and") {
            return Some(BinOp::And);
        }
        self.fail("'and'");
        None
    }

    fn logic_and(&mut self) -> Option<Operand> {
        let head = self.comp_ops()?;
        Some(self.tail(head, Self::comparison, Self::comp_ops))
    }

    fn comparison(&mut self) -> Option<BinOp> {
        let op = if self.lit("<=") || self.lit_i("lessorequal") {
            BinOp::LessOrEqual
        } else if self.lit(">=") || self.lit_i("greaterorequal") {
            BinOp::GreaterOrEqual
        } else if self.lit("==") || self.lit_i("equal") || self.lit("=") {
            BinOp::Equal
        } else if self.lit("!=") || self.lit_i("notequal") {
            BinOp::NotEqual
        } else if self.lit("<") || self.lit_i("less") {
            BinOp::Less
        } else if self.lit(">") || self.lit_i("greater") {
            BinOp::Greater
        } else {
            self.fail("a comparison");
            return None;
        };
        Some(op)
    }

    fn comp_ops(&mut self) -> Option<Operand> {
        let head = self.plus_minus_ops()?;
        Some(self.tail(head, Self::plus_minus, Self::plus_minus_ops))
    }

    fn plus_minus(&mut self) -> Option<BinOp> {
        if self.lit("+") {
            Some(BinOp::Plus)
        } else if self.lit("-") {
            Some(BinOp::Minus)
        } else {
            self.fail("'+' or '-'");
            None
        }
    }

    fn plus_minus_ops(&mut self) -> Option<Operand> {
        let head = self.mul_div_ops()?;
        Some(self.tail(head, Self::mul_div, Self::mul_div_ops))
    }

    fn mul_div(&mut self) -> Option<BinOp> {
        if self.lit("*") {
            Some(BinOp::Mul)
        } else if self.lit("/") {
            Some(BinOp::Div)
        } else if self.lit("%") {
            Some(BinOp::Mod)
        } else {
            self.fail("an operator");
            None
        }
    }

    fn mul_div_ops(&mut self) -> Option<Operand> {
        let head = self.binary_func_op()?;
        Some(self.tail(head, Self::power, Self::binary_func_op))
    }

    fn power(&mut self) -> Option<BinOp> {
        if self.lit("^") || self.lit_i("power") {
            Some(BinOp::Power)
        } else {
            self.fail("'^'");
            None
        }
    }

    /// `Factor (_ BinFunctions _ Factor?)*`: the right side may be missing.
    fn binary_func_op(&mut self) -> Option<Operand> {
        let mut head = self.factor()?;
        for n in 0.. {
            if n == MAX_CHAIN {
                self.too_long.get_or_insert(self.pos);
                return Some(head);
            }
            let save = self.pos;
            self.ws();
            let Some(op) = self.bin_function() else {
                self.pos = save;
                return Some(head);
            };
            self.ws();
            let right = self.factor().flatten();
            head = Some(Expr::Binary(op, Box::new(or_null(head)), Box::new(or_null(right))));
        }
        Some(head)
    }

    fn bin_function(&mut self) -> Option<BinOp> {
        let op = if self.lit("*=") || self.lit_i("contains") || self.lit_i("contain") {
            BinOp::Contains
        } else if self.lit_i("notcontains") || self.lit_i("notcontain") {
            BinOp::NotContains
        } else if self.lit_i("anyof") {
            BinOp::AnyOf
        } else if self.lit_i("allof") {
            BinOp::AllOf
        } else if self.lit_i("noneof") {
            BinOp::NoneOf
        } else {
            self.fail("an operator");
            return None;
        };
        Some(op)
    }

    fn factor(&mut self) -> Option<Operand> {
        if !self.enter() {
            return None;
        }
        let r = self.factor_inner();
        self.leave();
        r
    }

    fn factor_inner(&mut self) -> Option<Operand> {
        let start = self.pos;
        if self.lit("(") {
            self.ws();
            if let Some(e) = self.expression() {
                self.ws();
                self.lit(")");
                return Some(e);
            }
            self.pos = start;
        } else {
            self.fail("'('");
        }
        if let Some(f) = self.function_op() {
            return Some(Some(f));
        }
        self.pos = start;
        if let Some(u) = self.unary_function_op() {
            return Some(u);
        }
        self.pos = start;
        if let Some(a) = self.atom() {
            return Some(a);
        }
        self.pos = start;
        if let Some(a) = self.array_op() {
            return Some(Some(a));
        }
        self.pos = start;
        None
    }

    /// `name(args)`: the name touches the parenthesis; `)` may be missing.
    fn function_op(&mut self) -> Option<Expr> {
        let name = self.letters_and_digits()?;
        if !self.lit("(") {
            self.fail("'('");
            return None;
        }
        let args = self.sequence()?;
        self.lit(")");
        Some(Expr::Call(name, args))
    }

    fn unary_function_op(&mut self) -> Option<Operand> {
        let start = self.pos;
        if self.lit("!") || self.lit_i("negate") {
            self.ws();
            let at = self.pos;
            if let Some(f) = self.factor() {
                if f.is_none() {
                    self.null_misuse.get_or_insert(at);
                }
                return Some(Some(Expr::Unary(UnOp::Not, Box::new(or_null(f)))));
            }
        }
        self.pos = start;
        let atom_at = self.pos;
        let atom = self.atom()?;
        self.ws();
        let op = if self.lit_i("empty") {
            UnOp::Empty
        } else if self.lit_i("notempty") {
            UnOp::NotEmpty
        } else {
            self.fail("'empty' or 'notempty'");
            return None;
        };
        if atom.is_none() {
            self.null_misuse.get_or_insert(atom_at);
        }
        Some(Some(Expr::Unary(op, Box::new(or_null(atom)))))
    }

    fn atom(&mut self) -> Option<Operand> {
        self.ws();
        let start = self.pos;
        if self.lit("undefined") || self.lit("null") {
            return Some(None);
        }
        if let Some(v) = self.const_value() {
            return Some(Some(Expr::Const(v)));
        }
        self.pos = start;
        if self.lit("{") {
            let name_start = self.pos;
            while matches!(self.s.get(self.pos), Some(c) if *c != '{' && *c != '}') {
                self.pos += 1;
            }
            if self.pos > name_start && self.lit("}") {
                return Some(Some(Expr::Var(self.s[name_start..self.pos - 1].iter().collect())));
            }
            self.fail("'}'");
        } else {
            self.fail("a value");
        }
        self.pos = start;
        None
    }

    fn const_value(&mut self) -> Option<Val> {
        let start = self.pos;
        if self.lit_i("true") {
            return Some(Val::Bool(true));
        }
        if self.lit_i("false") {
            return Some(Val::Bool(false));
        }
        if let Some(n) = self.arithmetic_value() {
            return Some(Val::Num(n));
        }
        self.pos = start;
        if let Some(word) = self.letters_and_digits() {
            // A bare word is a string; SurveyJS turns only numbers and
            // true/false into other types, and a bare word is neither.
            return Some(Val::Str(word));
        }
        if self.lit("''") || self.lit("\"\"") {
            return Some(Val::Str(String::new()));
        }
        for q in ['\'', '"'] {
            self.pos = start;
            if self.s.get(self.pos) == Some(&q) {
                self.pos += 1;
                let mut text = String::new();
                loop {
                    match self.s.get(self.pos) {
                        Some('\\') if matches!(self.s.get(self.pos + 1), Some('\'' | '"')) => {
                            text.push(self.s[self.pos + 1]);
                            self.pos += 2;
                        }
                        Some(c) if *c != '"' && *c != '\'' => {
                            text.push(*c);
                            self.pos += 1;
                        }
                        _ => break,
                    }
                }
                if !text.is_empty() && self.s.get(self.pos) == Some(&q) {
                    self.pos += 1;
                    return Some(Val::Str(text));
                }
                self.fail("a closing quote");
            }
        }
        self.pos = start;
        None
    }

    /// `0x` digits, or an optionally negative decimal number.
    fn arithmetic_value(&mut self) -> Option<f64> {
        let start = self.pos;
        if self.lit("0x") {
            let d = self.digits();
            if d > 0 {
                let text: String = self.s[start..self.pos].iter().collect();
                return Some(crate::expr::value::parse_int(&text));
            }
            self.pos = start;
        }
        let neg = self.lit("-");
        let num_start = self.pos;
        let ok = {
            let save = self.pos;
            if self.digits() > 0 && self.lit(".") && self.digits() > 0 {
                true
            } else {
                self.pos = save;
                if matches!(self.s.get(self.pos), Some('1'..='9')) {
                    while matches!(self.s.get(self.pos), Some('1'..='9')) {
                        self.pos += 1;
                    }
                    self.digits();
                    true
                } else {
                    self.lit("0")
                }
            }
        };
        if !ok {
            self.fail("a number");
            self.pos = start;
            return None;
        }
        let text: String = self.s[num_start..self.pos].iter().collect();
        let n = crate::expr::value::parse_float(&text);
        Some(if neg { -n } else { n })
    }

    fn digits(&mut self) -> usize {
        let start = self.pos;
        while matches!(self.s.get(self.pos), Some('0'..='9')) {
            self.pos += 1;
        }
        self.pos - start
    }

    /// `Letters (Digits Letters*)*` with letters `[a-zA-Z_]`.
    fn letters_and_digits(&mut self) -> Option<String> {
        let start = self.pos;
        let letter = |c: &char| c.is_ascii_alphabetic() || *c == '_';
        if !self.s.get(self.pos).is_some_and(letter) {
            self.fail("a name");
            return None;
        }
        while self.s.get(self.pos).is_some_and(|c| letter(c) || c.is_ascii_digit()) {
            self.pos += 1;
        }
        Some(self.s[start..self.pos].iter().collect())
    }

    /// `Expression? (_ "," _ Expression)*`. If the first item is the null
    /// literal, SurveyJS returns an empty list and drops the rest; so do we.
    fn sequence(&mut self) -> Option<Vec<Expr>> {
        let save = self.pos;
        let first = match self.expression() {
            Some(e) => Some(e),
            None => {
                self.pos = save;
                None
            }
        };
        let mut items: Vec<Operand> = Vec::new();
        let first_is_null = matches!(first, Some(None));
        let had_first = first.is_some();
        if let Some(f) = first {
            items.push(f);
        }
        loop {
            let save = self.pos;
            self.ws();
            if !self.lit(",") {
                self.pos = save;
                break;
            }
            self.ws();
            let at = self.pos;
            match self.expression() {
                Some(e) => {
                    if e.is_none() && had_first && !first_is_null {
                        self.null_misuse.get_or_insert(at);
                    }
                    items.push(e)
                }
                None => {
                    self.pos = save;
                    break;
                }
            }
        }
        if !had_first || first_is_null {
            return Some(Vec::new());
        }
        Some(items.into_iter().map(or_null).collect())
    }

    fn array_op(&mut self) -> Option<Expr> {
        if !self.lit("[") {
            self.fail("'['");
            return None;
        }
        let items = self.sequence()?;
        if !self.lit("]") {
            self.fail("']'");
            return None;
        }
        Some(Expr::Array(items))
    }
}
