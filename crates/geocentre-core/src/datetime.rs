//! Dates and times that requests carry (OGC API `datetime`, WMS `TIME`,
//! WMTS `Time`), read strictly: an impossible date (`2019-13-45`,
//! `2019-02-29`) is an error, not a value that matches nothing or whose
//! year is taken.

/// Why a text is not a date or a date-time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("it is not written YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm[:ss[.f]][Z|±hh:mm]")]
    Form,
    #[error("there is no such date")]
    Date,
    #[error("there is no such time of day")]
    Time,
    #[error("there is no such UTC offset")]
    Offset,
}

/// How much of the calendar a value names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Precision {
    Year,
    Month,
    Day,
    /// A date-time: hours and minutes at least.
    Instant,
}

/// A date or date-time as read: what it names, and the first and last
/// instants it covers (nanoseconds from 1970-01-01T00:00:00Z; a date-time
/// without an offset, and a date, are read as UTC), so that two values can
/// be ordered whatever their forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    pub year: i32,
    pub precision: Precision,
    pub first: i128,
    pub last: i128,
}

const NANOS: i128 = 1_000_000_000;
const DAY: i128 = 86_400 * NANOS;

pub fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// The days of `month` (1–12) in `year`; 0 for a month that is none.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar,
/// counted in 400-year eras (146 097 days each) from 0000-03-01, so that
/// the leap day ends a year.
fn days_from_epoch(year: i32, month: u32, day: u32) -> i128 {
    let y = i128::from(year) - i128::from(month <= 2);
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let month_from_march = (i128::from(month) + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + i128::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// A run of ASCII digits of exactly `n` characters, as a number.
fn digits(s: &str, n: usize) -> Option<u32> {
    (s.len() == n && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

/// Reads `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or `YYYY-MM-DDThh:mm[:ss[.f…]]`
/// followed by nothing, `Z` or `±hh:mm` (ISO 8601's extended forms; RFC
/// 3339's are among them).
pub fn parse(s: &str) -> Result<Moment, DateError> {
    let (date, time) = match s.find(['T', 't']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let mut parts = date.split('-');
    let year = parts
        .next()
        .and_then(|y| digits(y, 4))
        .ok_or(DateError::Form)? as i32;
    let month = parts.next().map(|m| digits(m, 2).ok_or(DateError::Form));
    let day = parts.next().map(|d| digits(d, 2).ok_or(DateError::Form));
    if parts.next().is_some() {
        return Err(DateError::Form);
    }
    let (month, day) = (month.transpose()?, day.transpose()?);
    if month.is_some_and(|m| !(1..=12).contains(&m)) {
        return Err(DateError::Date);
    }
    if let (Some(m), Some(d)) = (month, day) {
        if d < 1 || d > days_in_month(year, m) {
            return Err(DateError::Date);
        }
    }
    let start = |m: u32, d: u32| days_from_epoch(year, m, d) * DAY;
    let Some(time) = time else {
        return Ok(match (month, day) {
            (None, _) => Moment {
                year,
                precision: Precision::Year,
                first: start(1, 1),
                last: start(12, 31) + DAY - 1,
            },
            (Some(m), None) => Moment {
                year,
                precision: Precision::Month,
                first: start(m, 1),
                last: start(m, days_in_month(year, m)) + DAY - 1,
            },
            (Some(m), Some(d)) => Moment {
                year,
                precision: Precision::Day,
                first: start(m, d),
                last: start(m, d) + DAY - 1,
            },
        });
    };
    // A time needs a whole date.
    let (Some(m), Some(d)) = (month, day) else {
        return Err(DateError::Form);
    };
    let zone_at = time.find(['Z', 'z', '+', '-']).unwrap_or(time.len());
    let (clock, zone) = time.split_at(zone_at);
    let offset_minutes: i128 = match zone {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let (h, mi) = zone[1..].split_once(':').ok_or(DateError::Form)?;
            let (h, mi) = (
                digits(h, 2).ok_or(DateError::Form)?,
                digits(mi, 2).ok_or(DateError::Form)?,
            );
            if h > 23 || mi > 59 {
                return Err(DateError::Offset);
            }
            sign * i128::from(h * 60 + mi)
        }
    };
    let (hms, fraction) = match clock.split_once('.') {
        Some((hms, f)) => (hms, Some(f)),
        None => (clock, None),
    };
    let mut fields = hms.split(':');
    let mut field = || fields.next().map(|f| digits(f, 2).ok_or(DateError::Form));
    let h = field().ok_or(DateError::Form)??;
    let mi = field().ok_or(DateError::Form)??;
    let sec = field().transpose()?;
    if field().is_some() || (fraction.is_some() && sec.is_none()) {
        return Err(DateError::Form);
    }
    // 60 is a leap second (RFC 3339 §5.7); 24:00 is left out.
    if h > 23 || mi > 59 || sec.is_some_and(|s| s > 60) {
        return Err(DateError::Time);
    }
    let nanos: i128 = match fraction {
        None => 0,
        Some(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => {
            // Nanoseconds: the first nine digits, padded.
            let nine: String = f.chars().chain(std::iter::repeat('0')).take(9).collect();
            nine.parse().map_err(|_| DateError::Form)?
        }
        Some(_) => return Err(DateError::Form),
    };
    let at = start(m, d)
        + (i128::from(h * 3600 + mi * 60 + sec.unwrap_or(0)) - offset_minutes * 60) * NANOS
        + nanos;
    Ok(Moment {
        year,
        precision: Precision::Instant,
        first: at,
        last: at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn real_dates_and_times_are_read() {
        assert_eq!(parse("1970-01-01").unwrap().first, 0);
        assert_eq!(parse("1970-01-02T00:00:00Z").unwrap().first, DAY);
        assert_eq!(
            parse("1970-01-01T01:00:00+01:00").unwrap().first,
            parse("1970-01-01T00:00:00Z").unwrap().first
        );
        assert_eq!(parse("2000-03-01").unwrap().first, 11_017 * DAY);
        assert_eq!(parse("1969-12-31").unwrap().first, -DAY);
        for s in [
            "2024",
            "2024-02",
            "2024-02-29",
            "2000-02-29",
            "0000-01-01",
            "2024-06-01T10:00",
            "2024-06-01T10:00:00",
            "2024-06-01t10:00:00.123456789123z",
            "2024-06-01T10:00:00-05:30",
            "2016-12-31T23:59:60Z",
        ] {
            assert!(parse(s).is_ok(), "{s}");
        }
        assert_eq!(parse("2024-06").unwrap().precision, Precision::Month);
        assert_eq!(parse("2024").unwrap().year, 2024);
        let m = parse("2024-02").unwrap();
        assert_eq!(m.last + 1 - m.first, 29 * DAY);
    }

    #[test]
    fn impossible_values_are_refused() {
        for (s, why) in [
            ("2019-13-45", DateError::Date),
            ("0000-00-00", DateError::Date),
            ("2019-02-29", DateError::Date),
            ("1900-02-29", DateError::Date),
            ("2021-04-31", DateError::Date),
            ("2019-00-10", DateError::Date),
            ("2019-13", DateError::Date),
            ("2020-01-01T25:00:00Z", DateError::Time),
            ("2020-01-01T24:00:00Z", DateError::Time),
            ("2020-01-01T12:60:00Z", DateError::Time),
            ("2020-01-01T12:00:61Z", DateError::Time),
            ("2020-01-01T12:00:00+24:00", DateError::Offset),
            ("2020-01-01T12:00:00+01:60", DateError::Offset),
        ] {
            assert_eq!(parse(s), Err(why), "{s}");
        }
        for s in [
            "",
            "20",
            "20190",
            "2019-1-01",
            "2019-01-1",
            "2019-01-01-01",
            "2019/2020",
            "2021-01-01/2019-01-01",
            "2019-01T10:00",
            "2019-01-01T",
            "2019-01-01T10",
            "2019-01-01T10:00:00:00",
            "2019-01-01T10:00.5",
            "2019-01-01T10:00:00.",
            "2019-01-01T10:00:00+0100",
            "2019-01-01T10:00:00Zx",
            "+2019-01-01",
            "2019-01-01 10:00",
            "２０１９",
        ] {
            assert_eq!(parse(s), Err(DateError::Form), "{s}");
        }
    }

    #[test]
    fn values_of_any_form_are_ordered() {
        let (a, b) = (
            parse("2021-01-01").unwrap(),
            parse("2021-01-01T12:00Z").unwrap(),
        );
        assert!(a.first < b.first && b.last < a.last);
        // An hour east of UTC, the first hour of 2021 is still in 2020.
        assert!(parse("2020").unwrap().last > parse("2021-01-01T00:30:00+01:00").unwrap().first);
        assert!(
            parse("2020-12-31T23:30:00-01:00").unwrap().first > parse("2021-01-01").unwrap().first
        );
    }
}
