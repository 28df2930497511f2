//! CQL2 text (OGC 21-065, `filter-lang=cql2-text`), the Basic CQL2,
//! Advanced comparison and Basic spatial subset, parsed into the same
//! [`Expr`] tree as [`from_cql2_json`](crate::expr::from_cql2_json)
//! builds for the equivalent CQL2-JSON filter.
//!
//! The text comes from anonymous clients: a hand-written tokenizer works on
//! the input's characters (never slicing bytes), a recursive-descent parser
//! counts its nesting (parentheses and `NOT`) and refuses anything deeper
//! than [`MAX_DEPTH`] as soon as it is met, counts the nodes it builds
//! against [`MAX_NODES`], and the finished tree goes through the same depth
//! and size check as the JSON parser applies. Property names are only ever
//! names, literals only values: the tree guarantees nothing else is done
//! with them.
//!
//! Supported:
//! - property names: identifiers (letters, digits, `_ . : -`, not starting
//!   with a digit, `.` or `-`) and double-quoted identifiers (`""` inside);
//! - literals: `'…'` strings (`''` inside), numbers, `TRUE`/`FALSE`,
//!   `DATE('YYYY-MM-DD')` and `TIMESTAMP('YYYY-MM-DDThh:mm:ss[.f]Z')`
//!   (as strings, as CQL2-JSON `{"date": …}` would be compared);
//! - `prop = <> < <= > >= literal`, `[NOT] LIKE 'pattern'` (`%`, `_`, `\`),
//!   `[NOT] BETWEEN a AND b`, `[NOT] IN (a, …)`, `IS [NOT] NULL`,
//!   `CASEI(prop) [NOT] LIKE CASEI('pattern')` and
//!   `CASEI(prop) = CASEI('text')` (a case-insensitive LIKE);
//! - `AND`, `OR`, `NOT`, parentheses (NOT binds tighter than AND, AND than OR);
//! - `S_INTERSECTS`, `S_WITHIN`, `S_CONTAINS`, `S_DISJOINT` of the geometry
//!   property and a POINT, LINESTRING, POLYGON, MULTIPOINT, MULTILINESTRING,
//!   MULTIPOLYGON (optionally `Z`) or `BBOX(w, s, e, n)` / `ENVELOPE(…)`.
//!
//! Keywords are case-insensitive. Everything else (functions, arithmetic,
//! `T_*`, `A_*`, other `S_*`, `ACCENTI`, geometry collections) is refused
//! with [`FilterError::Invalid`] naming the token and its position, a
//! character offset from 0.

use crate::expr::{
    CmpOp, Expr, FilterError, FilterGeometry, Literal, SpatialOp, MAX_DEPTH, MAX_NODES,
};

/// The longest filter text accepted, in bytes.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// Words that are never property names unless double-quoted.
const RESERVED: [&str; 10] = [
    "AND", "OR", "NOT", "LIKE", "BETWEEN", "IN", "IS", "NULL", "TRUE", "FALSE",
];

/// Geometry literal tags.
const GEOMETRY_TAGS: [&str; 9] = [
    "POINT",
    "LINESTRING",
    "POLYGON",
    "MULTIPOINT",
    "MULTILINESTRING",
    "MULTIPOLYGON",
    "GEOMETRYCOLLECTION",
    "BBOX",
    "ENVELOPE",
];

/// Parses a CQL2 text filter; geometries are taken to be in
/// `geometry_epsg`, x/y order, as [`from_cql2_json`](crate::expr::from_cql2_json) does.
pub fn from_cql2_text(text: &str, geometry_epsg: u32) -> Result<Expr, FilterError> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(invalid(format!(
            "the filter is longer than {MAX_TEXT_BYTES} bytes"
        )));
    }
    let chars: Vec<char> = text.chars().collect();
    let toks = tokenize(&chars)?;
    let mut p = Parser {
        chars: &chars,
        toks,
        end: Token {
            tok: Tok::End,
            start: chars.len(),
            end: chars.len(),
        },
        i: 0,
        nest: 0,
        nodes: 0,
        epsg: geometry_epsg,
    };
    if p.peek().tok == Tok::End {
        return Err(invalid("empty filter"));
    }
    let e = p.or()?;
    let t = p.peek().clone();
    match t.tok {
        Tok::End => {}
        Tok::RParen => return Err(invalid(format!("unbalanced ')' at position {}", t.start))),
        _ => return Err(p.unexpected(&t, "AND, OR or the end of the filter")),
    }
    // The same bounds, walked the same way, as the CQL2-JSON parser.
    let mut nodes = 0;
    check_tree(&e, 0, &mut nodes)?;
    Ok(e)
}

fn invalid(msg: impl std::fmt::Display) -> FilterError {
    FilterError::Invalid(format!("CQL2 text: {msg}"))
}

fn check_tree(e: &Expr, depth: usize, nodes: &mut usize) -> Result<(), FilterError> {
    *nodes += 1;
    if depth > MAX_DEPTH {
        return Err(FilterError::TooDeep);
    }
    if *nodes > MAX_NODES {
        return Err(FilterError::TooLarge);
    }
    match e {
        Expr::And(v) | Expr::Or(v) => v.iter().try_for_each(|e| check_tree(e, depth + 1, nodes)),
        Expr::Not(e) => check_tree(e, depth + 1, nodes),
        _ => Ok(()),
    }
}

// ------------------------------------------------------------ tokenizer

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    /// An identifier or a keyword.
    Word(String),
    /// A double-quoted identifier: always a property name.
    Quoted(String),
    Str(String),
    Num(f64),
    LParen,
    RParen,
    Comma,
    Op(CmpOp),
    End,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    /// Character offsets in the input, `end` exclusive.
    start: usize,
    end: usize,
}

fn is_ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_' || c == ':' || (!c.is_ascii() && c.is_alphabetic())
}

fn is_ident_part(c: char) -> bool {
    is_ident_start(c)
        || c.is_ascii_digit()
        || c == '.'
        || c == '-'
        || (!c.is_ascii() && c.is_alphanumeric())
        || ('\u{300}'..='\u{36f}').contains(&c)
        || ('\u{203f}'..='\u{2040}').contains(&c)
}

fn tokenize(chars: &[char]) -> Result<Vec<Token>, FilterError> {
    let at = |k: usize| chars.get(k).copied();
    let digit_at = |k: usize| at(k).is_some_and(|c| c.is_ascii_digit());
    let mut toks = Vec::new();
    let mut i = 0;
    while let Some(c) = at(i) {
        let start = i;
        let tok = match c {
            c if c.is_whitespace() => {
                i += 1;
                continue;
            }
            '(' => {
                i += 1;
                Tok::LParen
            }
            ')' => {
                i += 1;
                Tok::RParen
            }
            ',' => {
                i += 1;
                Tok::Comma
            }
            '=' => {
                i += 1;
                Tok::Op(CmpOp::Eq)
            }
            '<' => match at(i + 1) {
                Some('=') => {
                    i += 2;
                    Tok::Op(CmpOp::Le)
                }
                Some('>') => {
                    i += 2;
                    Tok::Op(CmpOp::Ne)
                }
                _ => {
                    i += 1;
                    Tok::Op(CmpOp::Lt)
                }
            },
            '>' => match at(i + 1) {
                Some('=') => {
                    i += 2;
                    Tok::Op(CmpOp::Ge)
                }
                _ => {
                    i += 1;
                    Tok::Op(CmpOp::Gt)
                }
            },
            '\'' | '"' => {
                let (s, next) = quoted(chars, i, c)?;
                i = next;
                if c == '\'' {
                    Tok::Str(s)
                } else if s.is_empty() {
                    return Err(invalid(format!(
                        "empty quoted property name at position {start}"
                    )));
                } else {
                    Tok::Quoted(s)
                }
            }
            c if c.is_ascii_digit()
                || (c == '.' && digit_at(i + 1))
                || ((c == '-' || c == '+')
                    && (digit_at(i + 1) || (at(i + 1) == Some('.') && digit_at(i + 2)))) =>
            {
                let (n, next) = number(chars, i)?;
                i = next;
                Tok::Num(n)
            }
            c if is_ident_start(c) => {
                while at(i).is_some_and(is_ident_part) {
                    i += 1;
                }
                Tok::Word(chars.get(start..i).unwrap_or_default().iter().collect())
            }
            other => {
                let hint = match other {
                    '+' | '-' | '*' | '/' | '^' | '%' => " (arithmetic is not supported)",
                    '[' | ']' => " (arrays are not supported)",
                    '!' => " (use <> for 'not equal')",
                    _ => "",
                };
                return Err(invalid(format!(
                    "unexpected character '{}' at position {start}{hint}",
                    printable(&other.to_string())
                )));
            }
        };
        toks.push(Token { tok, start, end: i });
    }
    Ok(toks)
}

/// A `'…'` string or `"…"` identifier from `i` (the opening quote), the
/// quote doubled inside; returns the text and the offset after it.
fn quoted(chars: &[char], i: usize, q: char) -> Result<(String, usize), FilterError> {
    let mut s = String::new();
    let mut j = i + 1;
    loop {
        match chars.get(j).copied() {
            None => {
                let what = if q == '\'' {
                    "string"
                } else {
                    "quoted property name"
                };
                return Err(invalid(format!(
                    "unterminated {what} starting at position {i}"
                )));
            }
            Some(c) if c == q => {
                if chars.get(j + 1) == Some(&q) {
                    s.push(q);
                    j += 2;
                } else {
                    return Ok((s, j + 1));
                }
            }
            Some(c) => {
                s.push(c);
                j += 1;
            }
        }
    }
}

/// A number from `i`: `[+-] digits [. digits] [e [+-] digits]` or
/// `[+-] . digits [e …]`; returns its value and the offset after it.
fn number(chars: &[char], i: usize) -> Result<(f64, usize), FilterError> {
    let digit_at = |k: usize| chars.get(k).is_some_and(|c| c.is_ascii_digit());
    let mut j = i;
    if matches!(chars.get(j), Some('+' | '-')) {
        j += 1;
    }
    while digit_at(j) {
        j += 1;
    }
    if chars.get(j) == Some(&'.') {
        j += 1;
        while digit_at(j) {
            j += 1;
        }
    }
    if matches!(chars.get(j), Some('e' | 'E')) {
        let mut k = j + 1;
        if matches!(chars.get(k), Some('+' | '-')) {
            k += 1;
        }
        if !digit_at(k) {
            return Err(invalid(format!("malformed number at position {i}")));
        }
        j = k;
        while digit_at(j) {
            j += 1;
        }
    }
    if chars
        .get(j)
        .is_some_and(|c| c.is_alphanumeric() || *c == '_' || *c == '.')
    {
        return Err(invalid(format!("malformed number at position {i}")));
    }
    let text: String = chars.get(i..j).unwrap_or_default().iter().collect();
    match text.parse::<f64>() {
        Ok(n) if n.is_finite() => Ok((n, j)),
        Ok(_) => Err(invalid(format!("number out of range at position {i}"))),
        Err(_) => Err(invalid(format!("malformed number at position {i}"))),
    }
}

// ------------------------------------------------------------ parser

struct Parser<'a> {
    chars: &'a [char],
    toks: Vec<Token>,
    /// Returned once the tokens are exhausted.
    end: Token,
    i: usize,
    /// Open parentheses and pending `NOT`s.
    nest: usize,
    nodes: usize,
    epsg: u32,
}

impl Parser<'_> {
    fn peek(&self) -> &Token {
        self.toks.get(self.i).unwrap_or(&self.end)
    }

    fn peek2(&self) -> &Token {
        self.toks.get(self.i + 1).unwrap_or(&self.end)
    }

    fn advance(&mut self) {
        if self.i < self.toks.len() {
            self.i += 1;
        }
    }

    fn is_kw(&self, kw: &str) -> bool {
        matches!(&self.peek().tok, Tok::Word(w) if w.eq_ignore_ascii_case(kw))
    }

    fn eat_kw(&mut self, kw: &str) -> bool {
        let yes = self.is_kw(kw);
        if yes {
            self.advance();
        }
        yes
    }

    /// A word followed by `(`.
    fn is_call(&self) -> bool {
        matches!(self.peek().tok, Tok::Word(_)) && self.peek2().tok == Tok::LParen
    }

    fn describe(&self, t: &Token) -> String {
        if t.tok == Tok::End {
            return "the end of the filter".into();
        }
        let src = self.chars.get(t.start..t.end).unwrap_or_default();
        let mut s: String = src.iter().take(40).collect();
        if src.len() > 40 {
            s.push('…');
        }
        format!("'{}'", printable(&s))
    }

    fn unexpected(&self, t: &Token, expected: &str) -> FilterError {
        invalid(format!(
            "expected {expected}, found {} at position {}",
            self.describe(t),
            t.start
        ))
    }

    fn expect(&mut self, want: Tok, what: &str) -> Result<(), FilterError> {
        if self.peek().tok == want {
            self.advance();
            Ok(())
        } else {
            Err(self.unexpected(self.peek(), what))
        }
    }

    fn expect_kw(&mut self, kw: &str) -> Result<(), FilterError> {
        if self.eat_kw(kw) {
            Ok(())
        } else {
            Err(self.unexpected(self.peek(), kw))
        }
    }

    fn enter(&mut self) -> Result<(), FilterError> {
        self.nest += 1;
        if self.nest > MAX_DEPTH {
            return Err(FilterError::TooDeep);
        }
        Ok(())
    }

    fn node(&mut self) -> Result<(), FilterError> {
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(FilterError::TooLarge);
        }
        Ok(())
    }

    /// The refusal for `name(` where no supported construct takes one.
    fn call_refused(&self, t: &Token) -> FilterError {
        let Tok::Word(w) = &t.tok else {
            return self.unexpected(t, "a predicate");
        };
        if RESERVED.iter().any(|r| w.eq_ignore_ascii_case(r)) {
            return invalid(format!(
                "unexpected {} at position {}",
                self.describe(t),
                t.start
            ));
        }
        let up = w.to_ascii_uppercase();
        let what = if up.starts_with("S_") {
            "spatial operator"
        } else if up.starts_with("T_") || up == "INTERVAL" {
            "temporal operator"
        } else if up.starts_with("A_") {
            "array operator"
        } else {
            "function"
        };
        invalid(format!(
            "{what} {} at position {} is not supported",
            self.describe(t),
            t.start
        ))
    }

    // booleanExpression: OR of ANDs of [NOT]… primaries.

    fn or(&mut self) -> Result<Expr, FilterError> {
        let first = self.and()?;
        if !self.is_kw("OR") {
            return Ok(first);
        }
        self.node()?;
        let mut v = vec![first];
        while self.eat_kw("OR") {
            v.push(self.and()?);
        }
        Ok(Expr::Or(v))
    }

    fn and(&mut self) -> Result<Expr, FilterError> {
        let first = self.not()?;
        if !self.is_kw("AND") {
            return Ok(first);
        }
        self.node()?;
        let mut v = vec![first];
        while self.eat_kw("AND") {
            v.push(self.not()?);
        }
        Ok(Expr::And(v))
    }

    /// `NOT NOT … primary`, the NOTs counted in a loop, not by recursion;
    /// a NOT right before `(` is counted by the parenthesis.
    fn not(&mut self) -> Result<Expr, FilterError> {
        let saved = self.nest;
        let mut nots = 0;
        while self.eat_kw("NOT") {
            nots += 1;
            self.node()?;
            if self.peek().tok != Tok::LParen {
                self.enter()?;
            }
        }
        let e = self.primary();
        self.nest = saved;
        let mut e = e?;
        for _ in 0..nots {
            e = Expr::Not(Box::new(e));
        }
        Ok(e)
    }

    fn primary(&mut self) -> Result<Expr, FilterError> {
        if self.peek().tok == Tok::LParen {
            self.advance();
            self.enter()?;
            let e = self.or()?;
            self.expect(Tok::RParen, "')'")?;
            self.nest -= 1;
            return Ok(e);
        }
        self.predicate()
    }

    fn predicate(&mut self) -> Result<Expr, FilterError> {
        let t = self.peek().clone();
        if self.is_call() {
            if let Tok::Word(w) = &t.tok {
                let op = match w.to_ascii_uppercase().as_str() {
                    "S_INTERSECTS" => Some(SpatialOp::Intersects),
                    "S_WITHIN" => Some(SpatialOp::Within),
                    "S_CONTAINS" => Some(SpatialOp::Contains),
                    "S_DISJOINT" => Some(SpatialOp::Disjoint),
                    "CASEI" => return self.casei(),
                    "DATE" | "TIMESTAMP" => {
                        return Err(invalid(format!(
                            "the left side of a comparison must be a property name, found {} at position {}",
                            self.describe(&t),
                            t.start
                        )))
                    }
                    _ => None,
                };
                return match op {
                    Some(op) => self.spatial(op),
                    None => Err(self.call_refused(&t)),
                };
            }
        }
        let prop = match &t.tok {
            Tok::Quoted(q) => q.clone(),
            Tok::Word(w) if !RESERVED.iter().any(|r| w.eq_ignore_ascii_case(r)) => w.clone(),
            Tok::Str(_) | Tok::Num(_) => {
                return Err(invalid(format!(
                "the left side of a comparison must be a property name, found {} at position {}",
                self.describe(&t),
                t.start
            )))
            }
            _ => return Err(self.unexpected(&t, "a property name, a predicate or '('")),
        };
        self.advance();
        self.after_property(prop)
    }

    /// What follows a property: a comparison, LIKE, BETWEEN, IN or IS NULL.
    fn after_property(&mut self, prop: String) -> Result<Expr, FilterError> {
        let t = self.peek().clone();
        if let Tok::Op(op) = t.tok {
            self.advance();
            let value = self.literal()?;
            self.node()?;
            return Ok(Expr::Cmp { prop, op, value });
        }
        if self.is_kw("LIKE") || self.is_kw("BETWEEN") || self.is_kw("IN") {
            return self.positive(prop);
        }
        if self.eat_kw("NOT") {
            if self.is_kw("LIKE") || self.is_kw("BETWEEN") || self.is_kw("IN") {
                self.node()?;
                return Ok(Expr::Not(Box::new(self.positive(prop)?)));
            }
            return Err(self.unexpected(self.peek(), "LIKE, BETWEEN or IN after NOT"));
        }
        if self.eat_kw("IS") {
            let negated = self.eat_kw("NOT");
            self.expect_kw("NULL")?;
            self.node()?;
            if negated {
                self.node()?;
                return Ok(Expr::Not(Box::new(Expr::IsNull(prop))));
            }
            return Ok(Expr::IsNull(prop));
        }
        Err(self.unexpected(
            &t,
            "a comparison operator (=, <>, <, <=, >, >=), LIKE, BETWEEN, IN or IS after the property",
        ))
    }

    /// LIKE, BETWEEN or IN (the current token), without NOT.
    fn positive(&mut self, prop: String) -> Result<Expr, FilterError> {
        if self.eat_kw("LIKE") {
            let t = self.peek().clone();
            return match t.tok {
                Tok::Str(pattern) => {
                    self.advance();
                    self.node()?;
                    Ok(like(prop, pattern, false))
                }
                _ if self.is_kw("CASEI") => Err(invalid(format!(
                    "CASEI at position {} must wrap both sides: CASEI(property) LIKE CASEI('pattern')",
                    t.start
                ))),
                _ => Err(self.unexpected(&t, "a quoted pattern")),
            };
        }
        if self.eat_kw("BETWEEN") {
            let low = self.literal()?;
            self.expect_kw("AND")?;
            let high = self.literal()?;
            self.node()?;
            return Ok(Expr::Between { prop, low, high });
        }
        self.expect_kw("IN")?;
        self.expect(Tok::LParen, "'(' after IN")?;
        let mut values = Vec::new();
        loop {
            values.push(self.literal()?);
            if self.peek().tok == Tok::Comma {
                self.advance();
                continue;
            }
            self.expect(Tok::RParen, "',' or ')'")?;
            break;
        }
        self.node()?;
        Ok(Expr::In { prop, values })
    }

    /// A property name: an identifier that is not a keyword, or a quoted one.
    fn property(&mut self) -> Result<String, FilterError> {
        let t = self.peek().clone();
        if self.is_call() {
            return Err(self.call_refused(&t));
        }
        match t.tok {
            Tok::Quoted(q) => {
                self.advance();
                Ok(q)
            }
            Tok::Word(w) if !RESERVED.iter().any(|r| w.eq_ignore_ascii_case(r)) => {
                self.advance();
                Ok(w)
            }
            _ => Err(self.unexpected(&t, "a property name")),
        }
    }

    fn literal(&mut self) -> Result<Literal, FilterError> {
        let t = self.peek().clone();
        let lit = match &t.tok {
            Tok::Str(s) => Literal::Str(s.clone()),
            Tok::Num(n) => Literal::Num(*n),
            Tok::Word(w) if self.is_call() => {
                let date = w.eq_ignore_ascii_case("DATE");
                if !date && !w.eq_ignore_ascii_case("TIMESTAMP") {
                    return Err(self.call_refused(&t));
                }
                self.advance();
                self.advance();
                let s_tok = self.peek().clone();
                let Tok::Str(s) = s_tok.tok.clone() else {
                    return Err(self.unexpected(&s_tok, "a quoted date or timestamp"));
                };
                let ok = if date { is_date(&s) } else { is_timestamp(&s) };
                if !ok {
                    let form = if date {
                        "'YYYY-MM-DD'"
                    } else {
                        "'YYYY-MM-DDThh:mm:ss[.fff]Z'"
                    };
                    return Err(invalid(format!(
                        "expected {form}, found {} at position {}",
                        self.describe(&s_tok),
                        s_tok.start
                    )));
                }
                self.advance();
                self.expect(Tok::RParen, "')'")?;
                return Ok(Literal::Str(s));
            }
            Tok::Word(w) if w.eq_ignore_ascii_case("TRUE") => Literal::Bool(true),
            Tok::Word(w) if w.eq_ignore_ascii_case("FALSE") => Literal::Bool(false),
            Tok::Word(w) if w.eq_ignore_ascii_case("NULL") => {
                return Err(invalid(format!(
                    "NULL at position {} is not a value: use IS NULL or IS NOT NULL",
                    t.start
                )))
            }
            Tok::Word(_) | Tok::Quoted(_) => {
                return Err(invalid(format!(
                    "expected a literal, found the property {} at position {} (comparing two properties is not supported)",
                    self.describe(&t),
                    t.start
                )))
            }
            _ => {
                return Err(self.unexpected(
                    &t,
                    "a literal (a quoted string, a number, TRUE, FALSE, DATE(…) or TIMESTAMP(…))",
                ))
            }
        };
        self.advance();
        Ok(lit)
    }

    /// `CASEI(prop) [NOT] LIKE CASEI('pattern')` or `CASEI(prop) = CASEI('text')`.
    fn casei(&mut self) -> Result<Expr, FilterError> {
        self.advance();
        self.advance();
        let prop = self.property()?;
        self.expect(Tok::RParen, "')'")?;
        let t = self.peek().clone();
        let (negated, equality) = match t.tok {
            Tok::Op(CmpOp::Eq) => (false, true),
            Tok::Op(_) => {
                return Err(invalid(format!(
                    "{} at position {}: CASEI compares only with = and LIKE",
                    self.describe(&t),
                    t.start
                )))
            }
            _ if self.is_kw("LIKE") => (false, false),
            _ if self.is_kw("NOT") => {
                self.advance();
                if !self.is_kw("LIKE") {
                    return Err(self.unexpected(self.peek(), "LIKE after NOT"));
                }
                (true, false)
            }
            _ => return Err(self.unexpected(&t, "=, LIKE or NOT LIKE after CASEI(…)")),
        };
        self.advance();
        let r = self.peek().clone();
        if !(self.is_kw("CASEI") && self.is_call()) {
            return Err(invalid(format!(
                "expected CASEI('…') on the right of a CASEI comparison, found {} at position {}",
                self.describe(&r),
                r.start
            )));
        }
        self.advance();
        self.advance();
        let s_tok = self.peek().clone();
        let Tok::Str(s) = s_tok.tok else {
            return Err(self.unexpected(&s_tok, "a quoted string"));
        };
        self.advance();
        self.expect(Tok::RParen, "')'")?;
        let pattern = if equality {
            // Equality as a pattern without marks: every mark escaped.
            let mut p = String::with_capacity(s.len());
            for c in s.chars() {
                if matches!(c, '%' | '_' | '\\') {
                    p.push('\\');
                }
                p.push(c);
            }
            p
        } else {
            s
        };
        self.node()?;
        let e = like(prop, pattern, true);
        if negated {
            self.node()?;
            return Ok(Expr::Not(Box::new(e)));
        }
        Ok(e)
    }

    /// `S_xxx(property, geometry)`. The property is not used, as in CQL2-JSON:
    /// a layer has one geometry.
    fn spatial(&mut self, op: SpatialOp) -> Result<Expr, FilterError> {
        self.advance();
        self.advance();
        let a = self.peek().clone();
        if matches!(&a.tok, Tok::Word(w) if GEOMETRY_TAGS.iter().any(|g| w.eq_ignore_ascii_case(g)))
        {
            return Err(invalid(format!(
                "the first argument of a spatial operator must be the geometry property, found {} at position {}",
                self.describe(&a),
                a.start
            )));
        }
        let _geometry_property = self.property()?;
        self.expect(Tok::Comma, "','")?;
        let wkt = self.geometry()?;
        self.expect(Tok::RParen, "')'")?;
        self.node()?;
        Ok(Expr::Spatial {
            op,
            geometry: FilterGeometry {
                wkt,
                epsg: self.epsg,
                authority_axes: false,
            },
        })
    }

    // ---------------------------------------------------- geometry literals

    fn geometry(&mut self) -> Result<String, FilterError> {
        let t = self.peek().clone();
        let tag = match &t.tok {
            Tok::Word(w) => w.to_ascii_uppercase(),
            _ => String::new(),
        };
        match tag.as_str() {
            "BBOX" | "ENVELOPE" => {
                self.advance();
                self.bbox()
            }
            "POINT" | "LINESTRING" | "POLYGON" | "MULTIPOINT" | "MULTILINESTRING"
            | "MULTIPOLYGON" => {
                self.advance();
                // Written as the CQL2-JSON and FES readers write theirs
                // (`crate::geometry`): the same filter gives the same tree.
                self.wkt(&tag, t.start)
            }
            "GEOMETRYCOLLECTION" => Err(invalid(format!(
                "GEOMETRYCOLLECTION at position {} is not supported",
                t.start
            ))),
            _ => Err(self.unexpected(
                &t,
                "a geometry (POINT, LINESTRING, POLYGON, MULTIPOINT, MULTILINESTRING, MULTIPOLYGON or BBOX)",
            )),
        }
    }

    /// `BBOX(west, south, east, north)`, written as the CQL2-JSON parser
    /// writes `{"bbox": […]}`.
    fn bbox(&mut self) -> Result<String, FilterError> {
        let open = self.peek().start;
        self.expect(Tok::LParen, "'('")?;
        let mut n = [0.0; 4];
        for (k, x) in n.iter_mut().enumerate() {
            let t = self.peek().clone();
            match t.tok {
                Tok::Num(v) => *x = v,
                Tok::RParen if k > 0 => {
                    return Err(invalid(format!(
                        "the bbox at position {open} needs four numbers (west, south, east, north)"
                    )))
                }
                _ => return Err(self.unexpected(&t, "a number")),
            }
            self.advance();
            if k < 3 {
                self.expect(Tok::Comma, "','")?;
            }
        }
        if self.peek().tok == Tok::Comma {
            return Err(invalid(format!(
                "the bbox at position {open} needs four numbers (west, south, east, north): \
                 three-dimensional bboxes are not supported"
            )));
        }
        self.expect(Tok::RParen, "')'")?;
        let [a, b2, c, d] = n;
        Ok(format!(
            "POLYGON(({a} {b2},{c} {b2},{c} {d},{a} {d},{a} {b2}))"
        ))
    }

    /// A WKT geometry after its tag, checked and rewritten plainly.
    fn wkt(&mut self, tag: &str, at: usize) -> Result<String, FilterError> {
        let mut dim = None;
        if self.eat_kw("Z") {
            dim = Some(3);
        } else if self.is_kw("M") || self.is_kw("ZM") {
            let t = self.peek().clone();
            return Err(invalid(format!(
                "measured coordinates ({}) at position {} are not supported",
                self.describe(&t),
                t.start
            )));
        }
        if self.is_kw("EMPTY") {
            return Err(invalid(format!(
                "empty geometry at position {at} is not supported"
            )));
        }
        let mut out = String::from(tag);
        out.push(' ');
        match tag {
            "POINT" => {
                self.open(&mut out)?;
                self.coord(&mut out, &mut dim)?;
                self.close(&mut out)?;
            }
            "LINESTRING" => self.points(&mut out, &mut dim, false)?,
            "POLYGON" => self.rings(&mut out, &mut dim)?,
            "MULTIPOINT" => {
                self.open(&mut out)?;
                loop {
                    // Both MULTIPOINT((1 2),(3 4)) and MULTIPOINT(1 2,3 4).
                    if self.peek().tok == Tok::LParen {
                        // Written without the point's own parentheses.
                        let mut skip = String::new();
                        self.open(&mut skip)?;
                        self.coord(&mut out, &mut dim)?;
                        self.close(&mut skip)?;
                    } else {
                        self.coord(&mut out, &mut dim)?;
                    }
                    if !self.more(&mut out) {
                        break;
                    }
                }
                self.close(&mut out)?;
            }
            "MULTILINESTRING" => {
                self.open(&mut out)?;
                loop {
                    self.points(&mut out, &mut dim, false)?;
                    if !self.more(&mut out) {
                        break;
                    }
                }
                self.close(&mut out)?;
            }
            _ => {
                self.open(&mut out)?;
                loop {
                    self.rings(&mut out, &mut dim)?;
                    if !self.more(&mut out) {
                        break;
                    }
                }
                self.close(&mut out)?;
            }
        }
        Ok(out)
    }

    fn open(&mut self, out: &mut String) -> Result<(), FilterError> {
        self.expect(Tok::LParen, "'('")?;
        out.push('(');
        Ok(())
    }

    fn close(&mut self, out: &mut String) -> Result<(), FilterError> {
        self.expect(Tok::RParen, "',' or ')'")?;
        out.push(')');
        Ok(())
    }

    fn more(&mut self, out: &mut String) -> bool {
        if self.peek().tok == Tok::Comma {
            self.advance();
            out.push(',');
            true
        } else {
            false
        }
    }

    /// `(x y, x y, …)`: two points at least; a ring is closed and has four.
    fn points(
        &mut self,
        out: &mut String,
        dim: &mut Option<usize>,
        ring: bool,
    ) -> Result<(), FilterError> {
        let at = self.peek().start;
        self.open(out)?;
        let first = self.coord(out, dim)?;
        let (mut last, mut n) = (first, 1);
        while self.more(out) {
            last = self.coord(out, dim)?;
            n += 1;
        }
        self.close(out)?;
        if ring && (n < 4 || first != last) {
            return Err(invalid(format!(
                "the polygon ring at position {at} must be closed and have four points at least"
            )));
        }
        if n < 2 {
            return Err(invalid(format!(
                "the line at position {at} needs two points at least"
            )));
        }
        Ok(())
    }

    /// `((ring), (ring), …)`.
    fn rings(&mut self, out: &mut String, dim: &mut Option<usize>) -> Result<(), FilterError> {
        self.open(out)?;
        loop {
            self.points(out, dim, true)?;
            if !self.more(out) {
                break;
            }
        }
        self.close(out)
    }

    /// `x y [z]`, the same number of values throughout the geometry.
    fn coord(
        &mut self,
        out: &mut String,
        dim: &mut Option<usize>,
    ) -> Result<[f64; 3], FilterError> {
        let at = self.peek().start;
        let mut v = [0.0; 3];
        let mut n = 0;
        while let Tok::Num(x) = self.peek().tok {
            if n == 3 {
                return Err(invalid(format!(
                    "the coordinate at position {at} has more than three values"
                )));
            }
            v[n] = x;
            n += 1;
            self.advance();
        }
        if n < 2 {
            return Err(self.unexpected(self.peek(), "a number"));
        }
        match *dim {
            None => *dim = Some(n),
            Some(d) if d != n => {
                return Err(invalid(format!(
                    "the coordinate at position {at} has {n} values, not {d} as the others"
                )))
            }
            Some(_) => {}
        }
        let text = if n == 3 {
            format!("{} {} {}", v[0], v[1], v[2])
        } else {
            format!("{} {}", v[0], v[1])
        };
        out.push_str(&text);
        Ok(v)
    }
}

/// Text for a message: control characters escaped, the rest as is.
fn printable(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_control() {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

fn like(prop: String, pattern: String, case_insensitive: bool) -> Expr {
    Expr::Like {
        prop,
        pattern,
        wildcard: '%',
        single: '_',
        escape: '\\',
        case_insensitive,
    }
}

fn digits(s: &[char]) -> bool {
    s.iter().all(|c| c.is_ascii_digit())
}

/// `YYYY-MM-DD`, a day the calendar has.
fn is_date(s: &str) -> bool {
    let c: Vec<char> = s.chars().collect();
    date_chars(&c)
}

fn date_chars(c: &[char]) -> bool {
    let year = || -> i32 {
        c.iter()
            .take(4)
            .filter_map(|x| x.to_digit(10))
            .fold(0, |n, x| n * 10 + x as i32)
    };
    let two = |a: usize| -> u32 {
        c.get(a..a + 2)
            .map(|d| {
                d.iter()
                    .filter_map(|x| x.to_digit(10))
                    .fold(0, |n, x| n * 10 + x)
            })
            .unwrap_or(0)
    };
    c.len() == 10
        && digits(&c[0..4])
        && c[4] == '-'
        && digits(&c[5..7])
        && c[7] == '-'
        && digits(&c[8..10])
        && (1..=12).contains(&two(5))
        && (1..=geocentre_core::datetime::days_in_month(year(), two(5))).contains(&two(8))
}

/// `YYYY-MM-DDThh:mm:ss[.f…]` then `Z` or `±hh:mm`.
fn is_timestamp(s: &str) -> bool {
    let c: Vec<char> = s.chars().collect();
    if c.len() < 20 || !date_chars(&c[..10]) || !matches!(c[10], 'T' | 't') {
        return false;
    }
    let time = &c[11..19];
    let time_ok = digits(&time[0..2])
        && time[2] == ':'
        && digits(&time[3..5])
        && time[5] == ':'
        && digits(&time[6..8]);
    let mut rest = &c[19..];
    if rest.first() == Some(&'.') {
        let n = rest[1..].iter().take_while(|x| x.is_ascii_digit()).count();
        if n == 0 {
            return false;
        }
        rest = &rest[1 + n..];
    }
    let zone_ok = match rest {
        ['Z' | 'z'] => true,
        ['+' | '-', h1, h2, ':', m1, m2] => digits(&[*h1, *h2, *m1, *m2]),
        _ => false,
    };
    // The form is checked above; the values (hours, minutes, offsets) here.
    time_ok && zone_ok && geocentre_core::datetime::parse(s).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::from_cql2_json;

    fn p(s: &str) -> Expr {
        match from_cql2_text(s, 2154) {
            Ok(e) => e,
            Err(e) => panic!("{s}: {e}"),
        }
    }

    fn err(s: &str) -> String {
        match from_cql2_text(s, 2154) {
            Ok(e) => panic!("{s} parsed as {e:?}"),
            Err(FilterError::Invalid(m)) => m,
            Err(e) => panic!("{s}: {e:?}"),
        }
    }

    fn cmp(prop: &str, op: CmpOp, value: Literal) -> Expr {
        Expr::Cmp {
            prop: prop.into(),
            op,
            value,
        }
    }

    fn s(v: &str) -> Literal {
        Literal::Str(v.into())
    }

    #[test]
    fn comparisons_and_literals() {
        assert_eq!(p("nom = 'Paris'"), cmp("nom", CmpOp::Eq, s("Paris")));
        assert_eq!(p("pop<>3"), cmp("pop", CmpOp::Ne, Literal::Num(3.0)));
        assert_eq!(p("pop < -3.5"), cmp("pop", CmpOp::Lt, Literal::Num(-3.5)));
        assert_eq!(p("pop<=+.5e2"), cmp("pop", CmpOp::Le, Literal::Num(50.0)));
        assert_eq!(p("pop > 1E-3"), cmp("pop", CmpOp::Gt, Literal::Num(0.001)));
        assert_eq!(p("pop >= 12."), cmp("pop", CmpOp::Ge, Literal::Num(12.0)));
        assert_eq!(
            p("actif = true"),
            cmp("actif", CmpOp::Eq, Literal::Bool(true))
        );
        assert_eq!(
            p("actif = FALSE"),
            cmp("actif", CmpOp::Eq, Literal::Bool(false))
        );
        assert_eq!(
            p("d >= DATE('2024-01-01')"),
            cmp("d", CmpOp::Ge, s("2024-01-01"))
        );
        assert_eq!(
            p("t < timestamp('2024-01-01T12:30:00.5Z')"),
            cmp("t", CmpOp::Lt, s("2024-01-01T12:30:00.5Z"))
        );
        assert_eq!(
            p("t < TIMESTAMP('2024-01-01T12:30:00+01:00')"),
            cmp("t", CmpOp::Lt, s("2024-01-01T12:30:00+01:00"))
        );
        // A property may be named like a function when not called.
        assert_eq!(p("date = 'x'"), cmp("date", CmpOp::Eq, s("x")));
        assert_eq!(p("ns:a.b-c_1 = 'x'"), cmp("ns:a.b-c_1", CmpOp::Eq, s("x")));
        assert_eq!(
            p("département = 'x'"),
            cmp("département", CmpOp::Eq, s("x"))
        );
    }

    #[test]
    fn quoted_identifiers_and_strings() {
        assert_eq!(
            p("nom = 'L''Île-Bouchard'"),
            cmp("nom", CmpOp::Eq, s("L'Île-Bouchard"))
        );
        assert_eq!(
            p(r#""nom de la commune" = 'x'"#),
            cmp("nom de la commune", CmpOp::Eq, s("x"))
        );
        assert_eq!(p(r#""a""b" = ''"#), cmp("a\"b", CmpOp::Eq, s("")));
        assert_eq!(p(r#""AND" = 1"#), cmp("AND", CmpOp::Eq, Literal::Num(1.0)));
        // SQL metacharacters inside a string are only characters.
        assert_eq!(
            p("nom = 'x'' OR 1=1 --'"),
            cmp("nom", CmpOp::Eq, s("x' OR 1=1 --"))
        );
        assert_eq!(
            p("nom = '; DROP TABLE t; /* \\ */'"),
            cmp("nom", CmpOp::Eq, s("; DROP TABLE t; /* \\ */"))
        );
        assert_eq!(p("nom = '日本 🌍'"), cmp("nom", CmpOp::Eq, s("日本 🌍")));
    }

    #[test]
    fn like_between_in_null() {
        assert_eq!(
            p("nom LIKE 'Saint%'"),
            like("nom".into(), "Saint%".into(), false)
        );
        assert_eq!(
            p("nom not like 'a\\_b'"),
            Expr::Not(Box::new(like("nom".into(), "a\\_b".into(), false)))
        );
        assert_eq!(
            p("pop BETWEEN 10 AND 20"),
            Expr::Between {
                prop: "pop".into(),
                low: Literal::Num(10.0),
                high: Literal::Num(20.0)
            }
        );
        assert_eq!(
            p("pop NOT BETWEEN 10 AND 20 AND a = 1"),
            Expr::And(vec![
                Expr::Not(Box::new(Expr::Between {
                    prop: "pop".into(),
                    low: Literal::Num(10.0),
                    high: Literal::Num(20.0)
                })),
                cmp("a", CmpOp::Eq, Literal::Num(1.0)),
            ])
        );
        assert_eq!(
            p("code IN ('75', 92, TRUE)"),
            Expr::In {
                prop: "code".into(),
                values: vec![s("75"), Literal::Num(92.0), Literal::Bool(true)]
            }
        );
        assert_eq!(
            p("code NOT IN ('75')"),
            Expr::Not(Box::new(Expr::In {
                prop: "code".into(),
                values: vec![s("75")]
            }))
        );
        assert_eq!(p("nom IS NULL"), Expr::IsNull("nom".into()));
        assert_eq!(
            p("nom is not null"),
            Expr::Not(Box::new(Expr::IsNull("nom".into())))
        );
    }

    #[test]
    fn casei() {
        assert_eq!(
            p("CASEI(nom) LIKE CASEI('saint%')"),
            like("nom".into(), "saint%".into(), true)
        );
        assert_eq!(
            p("casei(nom) NOT LIKE casei('a%')"),
            Expr::Not(Box::new(like("nom".into(), "a%".into(), true)))
        );
        assert_eq!(
            p("CASEI(\"nom\") = CASEI('50%_off\\')"),
            like("nom".into(), "50\\%\\_off\\\\".into(), true)
        );
        assert!(err("CASEI(nom) <> CASEI('a')").contains("only with = and LIKE"));
        assert!(err("CASEI(nom) = 'a'").contains("on the right of a CASEI"));
        assert!(err("nom LIKE CASEI('a')").contains("both sides"));
        assert!(err("ACCENTI(nom) = ACCENTI('a')").contains("function 'ACCENTI'"));
    }

    #[test]
    fn precedence() {
        let a = || cmp("a", CmpOp::Eq, Literal::Num(1.0));
        let b = || cmp("b", CmpOp::Eq, Literal::Num(2.0));
        let c = || cmp("c", CmpOp::Eq, Literal::Num(3.0));
        assert_eq!(
            p("a = 1 OR b = 2 AND c = 3"),
            Expr::Or(vec![a(), Expr::And(vec![b(), c()])])
        );
        assert_eq!(
            p("a = 1 and b = 2 or c = 3"),
            Expr::Or(vec![Expr::And(vec![a(), b()]), c()])
        );
        assert_eq!(
            p("NOT a = 1 AND b = 2"),
            Expr::And(vec![Expr::Not(Box::new(a())), b()])
        );
        assert_eq!(
            p("NOT (a = 1 AND b = 2)"),
            Expr::Not(Box::new(Expr::And(vec![a(), b()])))
        );
        assert_eq!(
            p("(a = 1 OR b = 2) AND c = 3"),
            Expr::And(vec![Expr::Or(vec![a(), b()]), c()])
        );
        assert_eq!(
            p("a = 1 AND b = 2 AND c = 3"),
            Expr::And(vec![a(), b(), c()])
        );
        assert_eq!(p("((a = 1))"), a());
        assert_eq!(
            p("NOT NOT a = 1"),
            Expr::Not(Box::new(Expr::Not(Box::new(a()))))
        );
    }

    #[test]
    fn spatial() {
        let g = |op, wkt: &str| Expr::Spatial {
            op,
            geometry: FilterGeometry {
                wkt: wkt.into(),
                epsg: 2154,
                authority_axes: false,
            },
        };
        assert_eq!(
            p("S_INTERSECTS(geom, POINT(1 2))"),
            g(SpatialOp::Intersects, "POINT (1 2)")
        );
        assert_eq!(
            p("s_within(\"the geom\", polygon((0 0, 1 0, 1 1, 0 0)))"),
            g(SpatialOp::Within, "POLYGON ((0 0,1 0,1 1,0 0))")
        );
        assert_eq!(
            p("S_CONTAINS(geom, LINESTRING(0 0,1 1))"),
            g(SpatialOp::Contains, "LINESTRING (0 0,1 1)")
        );
        assert_eq!(
            p("S_DISJOINT(geom, POINT Z (1 2 3))"),
            g(SpatialOp::Disjoint, "POINT (1 2 3)")
        );
        assert_eq!(
            p("S_INTERSECTS(geom, BBOX(-1.5, 2, 3, 4e1))"),
            g(
                SpatialOp::Intersects,
                "POLYGON((-1.5 2,3 2,3 40,-1.5 40,-1.5 2))"
            )
        );
        assert_eq!(
            p("S_INTERSECTS(geom, ENVELOPE(0, 0, 1, 1))"),
            g(SpatialOp::Intersects, "POLYGON((0 0,1 0,1 1,0 1,0 0))")
        );
        for (text, msg) in [
            ("S_INTERSECTS(POINT(1 2), geom)", "first argument"),
            ("S_INTERSECTS(geom, other)", "expected a geometry"),
            ("S_INTERSECTS(geom, POINT(1))", "expected a number"),
            ("S_INTERSECTS(geom, POINT(1 2 3 4))", "more than three"),
            ("S_INTERSECTS(geom, POINT Z (1 2))", "not 3"),
            ("S_INTERSECTS(geom, LINESTRING(1 2, 3 4 5))", "not 2"),
            ("S_INTERSECTS(geom, LINESTRING(1 2))", "two points"),
            ("S_INTERSECTS(geom, POLYGON((0 0, 1 0, 1 1)))", "closed"),
            (
                "S_INTERSECTS(geom, POLYGON((0 0, 1 0, 1 1, 0 1)))",
                "closed",
            ),
            ("S_INTERSECTS(geom, POINT((1 2))", "a number"),
            ("S_INTERSECTS(geom, POINT(1 2)", "expected ')'"),
            ("S_INTERSECTS(geom, POINT('1' 2))", "a number"),
            ("S_INTERSECTS(geom, POINT EMPTY)", "empty geometry"),
            ("S_INTERSECTS(geom, POINT M (1 2 3))", "measured"),
            ("S_INTERSECTS(geom, BBOX(0, 0, 1))", "expected ','"),
            (
                "S_INTERSECTS(geom, BBOX(0, 0, 0, 1, 1, 1))",
                "three-dimensional",
            ),
            ("S_INTERSECTS(geom, BBOX(0, 0, 1, 'a'))", "a number"),
            (
                "S_INTERSECTS(geom, GEOMETRYCOLLECTION(POINT(1 2)))",
                "not supported",
            ),
            (
                "S_DWITHIN(geom, POINT(1 2), 10)",
                "spatial operator 'S_DWITHIN'",
            ),
            ("S_TOUCHES(geom, POINT(1 2))", "spatial operator"),
        ] {
            let m = err(text);
            assert!(m.contains(msg), "{text}: {m}");
        }
    }

    #[test]
    fn equivalent_to_cql2_json() {
        let pairs = [
            (
                "nom = 'Paris'",
                r#"{"op":"=","args":[{"property":"nom"},"Paris"]}"#,
            ),
            (
                "population >= 1000",
                r#"{"op":">=","args":[{"property":"population"},1000]}"#,
            ),
            (
                "h <> -1.5e3",
                r#"{"op":"<>","args":[{"property":"h"},-1.5e3]}"#,
            ),
            (
                "nom LIKE 'Saint%'",
                r#"{"op":"like","args":[{"property":"nom"},"Saint%"]}"#,
            ),
            (
                r"nom NOT LIKE '50\%_'",
                r#"{"op":"not","args":[{"op":"like","args":[{"property":"nom"},"50\\%_"]}]}"#,
            ),
            (
                "pop BETWEEN 10 AND 20.5",
                r#"{"op":"between","args":[{"property":"pop"},10,20.5]}"#,
            ),
            (
                "code IN ('75', '92', 93)",
                r#"{"op":"in","args":[{"property":"code"},["75","92",93]]}"#,
            ),
            (
                "nom IS NOT NULL",
                r#"{"op":"not","args":[{"op":"isNull","args":[{"property":"nom"}]}]}"#,
            ),
            (
                "actif = TRUE AND d > DATE('2024-01-01')",
                r#"{"op":"and","args":[{"op":"=","args":[{"property":"actif"},true]},
                    {"op":">","args":[{"property":"d"},"2024-01-01"]}]}"#,
            ),
            (
                "a = 1 AND b = 2 OR NOT c < 3",
                r#"{"op":"or","args":[
                    {"op":"and","args":[{"op":"=","args":[{"property":"a"},1]},
                                        {"op":"=","args":[{"property":"b"},2]}]},
                    {"op":"not","args":[{"op":"<","args":[{"property":"c"},3]}]}]}"#,
            ),
            (
                "\"nom commune\" = 'L''Île'",
                r#"{"op":"=","args":[{"property":"nom commune"},"L'Île"]}"#,
            ),
            (
                "S_INTERSECTS(geom, POINT(2.35 48.85))",
                r#"{"op":"s_intersects","args":[{"property":"geom"},
                    {"type":"Point","coordinates":[2.35,48.85]}]}"#,
            ),
            (
                "S_WITHIN(geom, POLYGON((0 0, 10 0, 10 10, 0 10, 0 0), (1 1, 2 1, 2 2, 1 1)))",
                r#"{"op":"s_within","args":[{"property":"geom"},{"type":"Polygon","coordinates":
                    [[[0,0],[10,0],[10,10],[0,10],[0,0]],[[1,1],[2,1],[2,2],[1,1]]]}]}"#,
            ),
            (
                "S_CONTAINS(geom, MULTIPOINT((1 2), (3.25 -4)))",
                r#"{"op":"s_contains","args":[{"property":"geom"},
                    {"type":"MultiPoint","coordinates":[[1,2],[3.25,-4]]}]}"#,
            ),
            (
                "S_DISJOINT(geom, MULTIPOINT(1 2, 3.25 -4))",
                r#"{"op":"s_disjoint","args":[{"property":"geom"},
                    {"type":"MultiPoint","coordinates":[[1,2],[3.25,-4]]}]}"#,
            ),
            (
                "S_INTERSECTS(geom, LINESTRING(0 0 1, 1 1 2))",
                r#"{"op":"s_intersects","args":[{"property":"geom"},
                    {"type":"LineString","coordinates":[[0,0,1],[1,1,2]]}]}"#,
            ),
            (
                "S_INTERSECTS(geom, MULTILINESTRING((0 0, 1 1), (2 2, 3 3)))",
                r#"{"op":"s_intersects","args":[{"property":"geom"},
                    {"type":"MultiLineString","coordinates":[[[0,0],[1,1]],[[2,2],[3,3]]]}]}"#,
            ),
            (
                "S_INTERSECTS(geom, MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5))))",
                r#"{"op":"s_intersects","args":[{"property":"geom"},{"type":"MultiPolygon",
                    "coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[5,5],[6,5],[6,6],[5,5]]]]}]}"#,
            ),
            (
                "S_INTERSECTS(geom, BBOX(-5.1, 41.3, 9.6, 51.1))",
                r#"{"op":"s_intersects","args":[{"property":"geom"},{"bbox":[-5.1,41.3,9.6,51.1]}]}"#,
            ),
        ];
        for (text, json) in pairs {
            let a = from_cql2_text(text, 4326);
            let b = from_cql2_json(json, 4326);
            assert!(a.is_ok(), "{text}: {a:?}");
            assert_eq!(a, b, "{text}");
        }
    }

    #[test]
    fn errors_name_the_token_and_position() {
        for (text, msg) in [
            ("", "empty filter"),
            ("   ", "empty filter"),
            (
                "nom = 'x' AND",
                "found the end of the filter at position 13",
            ),
            ("nom == 'x'", "found '=' at position 5"),
            ("h + 1 > 2", "'+' at position 2 (arithmetic"),
            ("h > 2 * 3", "'*' at position 6"),
            ("nom = 'abc", "unterminated string starting at position 6"),
            (
                "\"nom = 1",
                "unterminated quoted property name starting at position 0",
            ),
            ("\"\" = 1", "empty quoted property name at position 0"),
            (
                "T_AFTER(d, DATE('2020-01-01'))",
                "temporal operator 'T_AFTER' at position 0",
            ),
            (
                "A_CONTAINS(tags, ('a'))",
                "array operator 'A_CONTAINS' at position 0",
            ),
            ("upper(nom) = 'A'", "function 'upper' at position 0"),
            ("nom = upper('a')", "function 'upper' at position 6"),
            (
                "d = INTERVAL('2020-01-01', '..')",
                "temporal operator 'INTERVAL'",
            ),
            ("nom = autre", "the property 'autre' at position 6"),
            ("nom = NULL", "use IS NULL"),
            (
                "'x' = nom",
                "must be a property name, found ''x'' at position 0",
            ),
            ("5 < h", "must be a property name, found '5' at position 0"),
            ("DATE('2020-01-01') < d", "must be a property name"),
            ("d > DATE('2020-13-01')", "'YYYY-MM-DD'"),
            ("d > DATE('2019-02-29')", "'YYYY-MM-DD'"),
            ("d > DATE('2021-04-31')", "'YYYY-MM-DD'"),
            ("t < TIMESTAMP('2021-02-30T00:00:00Z')", "ss[.fff]Z"),
            ("t < TIMESTAMP('2021-01-01T25:00:00Z')", "ss[.fff]Z"),
            ("d > DATE('20200101')", "'YYYY-MM-DD'"),
            ("d > TIMESTAMP('2020-01-01')", "ss[.fff]Z"),
            ("nom 'x'", "a comparison operator"),
            ("nom", "found the end of the filter at position 3"),
            ("nom IS 'x'", "expected NULL, found ''x'' at position 7"),
            ("nom NOT = 1", "LIKE, BETWEEN or IN after NOT"),
            ("nom LIKE 5", "a quoted pattern"),
            (
                "n BETWEEN 1 OR 2",
                "expected AND, found 'OR' at position 12",
            ),
            ("n IN ()", "a literal"),
            ("n IN (1 2)", "',' or ')', found '2' at position 8"),
            ("(a = 1", "expected ')'"),
            ("a = 1)", "unbalanced ')' at position 5"),
            (
                "a = 1 b = 2",
                "AND, OR or the end of the filter, found 'b' at position 6",
            ),
            ("AND = 1", "found 'AND' at position 0"),
            ("TRUE", "found 'TRUE' at position 0"),
            ("IN(1) = 1", "unexpected 'IN' at position 0"),
            ("h = 1e999", "number out of range at position 4"),
            ("h = 1.2.3", "malformed number at position 4"),
            ("h = 12abc", "malformed number"),
            ("h = 1e+", "malformed number"),
            ("h = [1]", "'[' at position 4 (arrays"),
            ("h != 1", "use <>"),
            ("h = 1; DROP TABLE x", "';' at position 5"),
            // Positions are characters, not bytes.
            ("nom = 'été' ANDD x", "'ANDD' at position 12"),
            ("h = 1 \u{0}", "'\\0' at position 6"),
        ] {
            let m = err(text);
            assert!(m.contains(msg), "{text:?}: {m}");
            assert!(m.starts_with("CQL2 text: "), "{m}");
        }
    }

    #[test]
    fn bounds() {
        let t = std::time::Instant::now();
        let deep = format!("{}a = 1{}", "(".repeat(2000), ")".repeat(2000));
        assert_eq!(from_cql2_text(&deep, 4326), Err(FilterError::TooDeep));
        let nots = format!("{}a = 1", "NOT ".repeat(2000));
        assert_eq!(from_cql2_text(&nots, 4326), Err(FilterError::TooDeep));
        let not_parens = format!("{}a = 1{}", "NOT (".repeat(2000), ")".repeat(2000));
        assert_eq!(from_cql2_text(&not_parens, 4326), Err(FilterError::TooDeep));
        let unclosed = "(".repeat(60_000);
        assert_eq!(from_cql2_text(&unclosed, 4326), Err(FilterError::TooDeep));
        let nested = format!("{}a = 1{}", "a = 1 AND (".repeat(100), ")".repeat(100));
        assert_eq!(from_cql2_text(&nested, 4326), Err(FilterError::TooDeep));
        assert!(t.elapsed().as_millis() < 1000, "{:?}", t.elapsed());

        // Exactly as deep as CQL2-JSON allows: 32 NOTs pass, 33 do not.
        let mut json = String::from(r#"{"op":"=","args":[{"property":"a"},1]}"#);
        for n in 1..=33 {
            json = format!(r#"{{"op":"not","args":[{json}]}}"#);
            let text = format!("{}a = 1", "NOT ".repeat(n));
            assert_eq!(
                from_cql2_text(&text, 4326),
                from_cql2_json(&json, 4326),
                "{n}"
            );
        }
        assert!(from_cql2_text(&format!("{}a = 1", "NOT ".repeat(32)), 4326).is_ok());

        // Nodes: an OR of 999 comparisons is 1,000 nodes; one more is too many.
        let or = |n: usize| vec!["a = 1"; n].join(" OR ");
        assert!(from_cql2_text(&or(999), 4326).is_ok());
        assert_eq!(from_cql2_text(&or(1000), 4326), Err(FilterError::TooLarge));

        let long = format!("nom = '{}'", "x".repeat(MAX_TEXT_BYTES));
        assert!(matches!(
            from_cql2_text(&long, 4326),
            Err(FilterError::Invalid(m)) if m.contains("longer than")
        ));
    }

    /// Random and mutated inputs: never a panic, and quickly.
    #[test]
    fn fuzz_never_panics() {
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut rand = move |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n.max(1) as u64) as usize
        };
        let pieces: Vec<&str> = "(|)|'|''|\"|,| |=|<|>|<>|<=|-|+|.|e|1|0.5|-3e2|NOT | AND | OR |LIKE|BETWEEN|IN|IS|NULL|TRUE|CASEI|DATE|TIMESTAMP|S_INTERSECTS|POINT|POLYGON|BBOX|MULTIPOINT|MULTIPOLYGON|LINESTRING|Z|EMPTY|nom|geom|é|日|🌍|\u{0}|\u{300}|\\|%|_|[|\n|T_AFTER|A_EQUALS"
            .split('|')
            .collect();
        let seeds = [
            "nom = 'L''Île' AND (pop BETWEEN 1 AND 2 OR code IN ('a', 3))",
            "NOT CASEI(nom) LIKE CASEI('s%') OR nom IS NOT NULL",
            "S_INTERSECTS(geom, POLYGON((0 0, 1 0, 1 1, 0 0)))",
            "S_WITHIN(geom, MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5))))",
            "S_INTERSECTS(geom, MULTIPOINT((1 2), (3 4))) AND d > DATE('2024-01-01')",
            "S_DISJOINT(geom, BBOX(0, 0, 1, 1)) AND \"a\"\"b\" <> -1.5e3",
            "t < TIMESTAMP('2024-01-01T00:00:00Z') AND S_CONTAINS(geom, LINESTRING(0 0, 1 1))",
        ];
        for _ in 0..3000 {
            let n = rand(40);
            let text: String = (0..n).map(|_| pieces[rand(pieces.len())]).collect();
            let _ = from_cql2_text(&text, 4326);
        }
        let (mut ok, mut spatial) = (0, 0);
        for _ in 0..10_000 {
            let mut chars: Vec<char> = seeds[rand(seeds.len())].chars().collect();
            for _ in 0..1 + rand(2) {
                let at = rand(chars.len() + 1);
                match rand(4) {
                    0 if at < chars.len() => {
                        chars.remove(at);
                    }
                    1 if at < chars.len() => {
                        let piece = pieces[rand(pieces.len())];
                        chars.splice(at..at + 1, piece.chars());
                    }
                    2 => {
                        let piece = pieces[rand(pieces.len())];
                        chars.splice(at..at, piece.chars());
                    }
                    _ => {
                        let c = char::from_u32(rand(0x3000) as u32).unwrap_or('x');
                        chars.insert(at, c);
                    }
                }
            }
            let text: String = chars.into_iter().collect();
            if let Ok(e) = from_cql2_text(&text, 4326) {
                ok += 1;
                spatial += usize::from(e.is_spatial());
            }
        }
        // The mutations keep enough filters valid to reach the deeper paths.
        assert!(ok > 300 && spatial > 100, "{ok} {spatial}");
        // Arbitrary bytes decoded lossily.
        for _ in 0..2000 {
            let bytes: Vec<u8> = (0..rand(60)).map(|_| rand(256) as u8).collect();
            let _ = from_cql2_text(&String::from_utf8_lossy(&bytes), 4326);
        }
    }
}
