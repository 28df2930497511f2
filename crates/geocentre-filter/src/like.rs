//! `LIKE` patterns with the client's marks (FES `wildCard`, `singleChar`,
//! `escapeChar`; CQL2's `%`, `_` and `\`), matched in Rust: by the feature
//! store on each feature and by the catalogue on each record.

#[derive(Debug, Clone, Copy, PartialEq)]
enum Tok {
    Lit(char),
    Any,
    One,
}

/// A compiled pattern.
#[derive(Debug, Clone)]
pub struct LikePattern {
    toks: Vec<Tok>,
    case_insensitive: bool,
}

impl LikePattern {
    pub fn new(
        pattern: &str,
        wildcard: char,
        single: char,
        escape: char,
        case_insensitive: bool,
    ) -> LikePattern {
        let chars: Vec<char> = if case_insensitive {
            pattern.to_lowercase().chars().collect()
        } else {
            pattern.chars().collect()
        };
        let mut toks = Vec::with_capacity(chars.len());
        let mut it = chars.into_iter();
        while let Some(c) = it.next() {
            if c == escape {
                if let Some(n) = it.next() {
                    toks.push(Tok::Lit(n));
                }
            } else if c == wildcard {
                // Consecutive wildcards match as one.
                if toks.last() != Some(&Tok::Any) {
                    toks.push(Tok::Any);
                }
            } else if c == single {
                toks.push(Tok::One);
            } else {
                toks.push(Tok::Lit(c));
            }
        }
        LikePattern {
            toks,
            case_insensitive,
        }
    }

    /// Whether `text` matches: iterative, backtracking on the last
    /// wildcard only, so linear in practice and never exponential.
    pub fn matches(&self, text: &str) -> bool {
        let t: Vec<char> = if self.case_insensitive {
            text.to_lowercase().chars().collect()
        } else {
            text.chars().collect()
        };
        let toks = &self.toks;
        let (mut ti, mut pi) = (0, 0);
        let (mut star, mut mark) = (None, 0);
        while ti < t.len() {
            match toks.get(pi) {
                Some(Tok::Lit(c)) if *c == t[ti] => {
                    ti += 1;
                    pi += 1;
                }
                Some(Tok::One) => {
                    ti += 1;
                    pi += 1;
                }
                Some(Tok::Any) => {
                    star = Some(pi);
                    mark = ti;
                    pi += 1;
                }
                _ => match star {
                    Some(s) => {
                        pi = s + 1;
                        mark += 1;
                        ti = mark;
                    }
                    None => return false,
                },
            }
        }
        toks[pi..].iter().all(|t| *t == Tok::Any)
    }
}

#[cfg(test)]
mod tests {
    use super::LikePattern;

    #[test]
    fn wildcards_singles_escapes_and_case() {
        let p = LikePattern::new("%lor_m%", '%', '_', '\\', true);
        assert!(p.matches("ipsum LOREM dolor"));
        assert!(!p.matches("ipsum"));
        assert!(LikePattern::new("*", '*', '?', '!', false).matches(""));
        assert!(LikePattern::new("a*b*c", '*', '?', '!', false).matches("axxbyyc"));
        assert!(!LikePattern::new("a*b*c", '*', '?', '!', false).matches("axxbyy"));
        assert!(!LikePattern::new("A*", '*', '?', '!', false).matches("abc"));
        assert!(LikePattern::new("a!*", '*', '?', '!', false).matches("a*"));
    }
}
