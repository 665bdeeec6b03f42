//! The date arithmetic `formatWithOffset` needs: JavaScript's `Date` (TimeClip, UTC fields,
//! `toISOString`) and dateformat's `yyyy-mm-dd h:MM:ss` mask, without a date library.

/// The largest time value a JavaScript `Date` holds, in milliseconds.
const MAX_TIME: f64 = 8.64e15;

pub(super) const MS_PER_SECOND: i64 = 1000;
const MS_PER_MINUTE: i64 = 60 * MS_PER_SECOND;
const MS_PER_HOUR: i64 = 60 * MS_PER_MINUTE;
const MS_PER_DAY: i64 = 24 * MS_PER_HOUR;
const SECONDS_PER_MINUTE: i64 = 60;
const MINUTES_PER_HOUR: i64 = 60;

pub(super) struct UtcParts {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub millisecond: u32,
}

/// `new Date(t).getTime()`: NaN outside the representable range, else truncated.
pub(super) fn time_clip(t: f64) -> f64 {
    if !t.is_finite() || t.abs() > MAX_TIME {
        f64::NAN
    } else {
        t.trunc() + 0.0
    }
}

pub(super) fn utc_parts(time: f64) -> Option<UtcParts> {
    let time = time_clip(time);
    if time.is_nan() {
        return None;
    }
    let time = time as i64;
    let days = time.div_euclid(MS_PER_DAY);
    let in_day = time.rem_euclid(MS_PER_DAY);
    let (year, month, day) = civil_from_days(days);
    Some(UtcParts {
        year,
        month,
        day,
        hour: (in_day / MS_PER_HOUR) as u32,
        minute: (in_day / MS_PER_MINUTE % MINUTES_PER_HOUR) as u32,
        second: (in_day / MS_PER_SECOND % SECONDS_PER_MINUTE) as u32,
        millisecond: (in_day % MS_PER_SECOND) as u32,
    })
}

/// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// `Date.prototype.toISOString()`; `None` where JavaScript throws "Invalid time value".
pub(super) fn to_iso_string(time: f64) -> Option<String> {
    let p = utc_parts(time)?;
    let year = if (0..=9999).contains(&p.year) {
        format!("{:04}", p.year)
    } else if p.year < 0 {
        format!("-{:06}", -p.year)
    } else {
        format!("+{:06}", p.year)
    };
    Some(format!(
        "{year}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        p.month, p.day, p.hour, p.minute, p.second, p.millisecond
    ))
}

/// dateformat's `yyyy-mm-dd h:MM:ss` in UTC: `h` is the 12-hour hour, unpadded, without AM/PM;
/// `yyyy` pads with `padStart(4, "0")`, as dateformat does. `None` where it throws
/// "Invalid date".
pub(super) fn simple_format(time: f64) -> Option<String> {
    let p = utc_parts(time)?;
    let hour = if p.hour % 12 == 0 { 12 } else { p.hour % 12 };
    let year = p.year.to_string();
    let year = if year.len() < 4 {
        format!("{}{year}", "0".repeat(4 - year.len()))
    } else {
        year
    };
    Some(format!(
        "{year}-{:02}-{:02} {hour}:{:02}:{:02}",
        p.month, p.day, p.minute, p.second
    ))
}

/// JavaScript `Math.round`: halves go towards +∞.
pub(super) fn js_round(x: f64) -> f64 {
    if !x.is_finite() {
        return x;
    }
    let floor = x.floor();
    if x - floor >= 0.5 { floor + 1.0 } else { floor }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_strings() {
        assert_eq!(
            to_iso_string(0.0).as_deref(),
            Some("1970-01-01T00:00:00.000Z")
        );
        assert_eq!(
            to_iso_string(-1.0).as_deref(),
            Some("1969-12-31T23:59:59.999Z")
        );
        assert_eq!(
            to_iso_string(253402300800000.0).as_deref(),
            Some("+010000-01-01T00:00:00.000Z")
        );
        assert_eq!(
            to_iso_string(1580777685229.0).as_deref(),
            Some("2020-02-04T00:54:45.229Z")
        );
        assert_eq!(
            to_iso_string(-62198755200000.0).as_deref(),
            Some("-000001-01-01T00:00:00.000Z")
        );
        assert_eq!(to_iso_string(f64::NAN), None);
        assert_eq!(to_iso_string(8.64e15 + 1.0), None);
    }

    #[test]
    fn simple_format_uses_a_twelve_hour_clock() {
        assert_eq!(
            simple_format(1580777685229.0).as_deref(),
            Some("2020-02-04 12:54:45")
        );
        assert_eq!(
            simple_format(1577885400000.0).as_deref(),
            Some("2020-01-01 1:30:00")
        );
        assert_eq!(
            simple_format(253402300800000.0).as_deref(),
            Some("10000-01-01 12:00:00")
        );
        assert_eq!(simple_format(-1.0).as_deref(), Some("1969-12-31 11:59:59"));
    }

    #[test]
    fn rounding_follows_math_round() {
        assert_eq!(js_round(-1.5), -1.0);
        assert_eq!(js_round(-2.5), -2.0);
        assert_eq!(js_round(2.5), 3.0);
        assert_eq!(js_round(-0.001), 0.0);
    }
}
