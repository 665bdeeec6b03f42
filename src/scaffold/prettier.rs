//! JSON written the way Prettier 3 prints it with the framework's settings (`printWidth` 80,
//! two-space indent, LF), because the framework's CI runs `prettier --list-different` over every
//! manifest and a scaffold that fails it is not right on the first try.
//!
//! Prettier keeps an object expanded when the source had a newline after its `{`; we always
//! write objects expanded, so only arrays are laid out by width: an array stays on one line
//! when it, its key and the comma after it fit in 80 columns and it holds no expanded object.

use serde_json::Value;

const PRINT_WIDTH: usize = 80;
const INDENT: &str = "  ";

/// The document as Prettier formats it, ending with a newline.
pub fn to_string(value: &Value) -> String {
    let mut out = String::new();
    write_value(&mut out, value, 0, 0, 0);
    out.push('\n');
    out
}

/// `column` is where the value starts on its line; `tail` how many characters must follow it on
/// the same line (a comma), which Prettier counts when it decides whether a group fits.
fn write_value(out: &mut String, value: &Value, depth: usize, column: usize, tail: usize) {
    match value {
        Value::Object(map) if map.is_empty() => out.push_str("{}"),
        Value::Object(map) => {
            let indent = INDENT.repeat(depth + 1);
            let members = map
                .iter()
                .map(|(key, member)| (format!("{indent}{}: ", Value::from(key.as_str())), member));
            write_expanded(out, ('{', '}'), members, map.len(), depth);
        }
        Value::Array(items) if items.is_empty() => out.push_str("[]"),
        Value::Array(items) => match flat(value) {
            Some(line) if column + width(&line) + tail <= PRINT_WIDTH => out.push_str(&line),
            _ => {
                let indent = INDENT.repeat(depth + 1);
                let members = items.iter().map(|item| (indent.clone(), item));
                write_expanded(out, ('[', ']'), members, items.len(), depth);
            }
        },
        scalar_value => out.push_str(&scalar(scalar_value)),
    }
}

/// One member a line, each after its prefix (indent, and key for objects), commas between.
fn write_expanded<'a>(
    out: &mut String,
    (open, close): (char, char),
    members: impl Iterator<Item = (String, &'a Value)>,
    count: usize,
    depth: usize,
) {
    out.push(open);
    out.push('\n');
    for (i, (prefix, member)) in members.enumerate() {
        let comma = usize::from(i + 1 < count);
        out.push_str(&prefix);
        write_value(out, member, depth + 1, width(&prefix), comma);
        if comma == 1 {
            out.push(',');
        }
        out.push('\n');
    }
    out.push_str(&INDENT.repeat(depth));
    out.push(close);
}

/// The one-line form of a value, or `None` when it must break: a non-empty object always does,
/// and so does an array of two or more arrays that each hold more than one item (Prettier's
/// matrix rule).
fn flat(value: &Value) -> Option<String> {
    match value {
        Value::Object(map) if !map.is_empty() => None,
        Value::Array(items) if is_matrix(items) => None,
        Value::Array(items) if !items.is_empty() => {
            let parts: Option<Vec<String>> = items.iter().map(flat).collect();
            Some(format!("[{}]", parts?.join(", ")))
        }
        other => Some(scalar(other)),
    }
}

fn is_matrix(items: &[Value]) -> bool {
    items.len() > 1
        && items
            .iter()
            .all(|item| item.as_array().is_some_and(|inner| inner.len() > 1))
}

fn scalar(value: &Value) -> String {
    match value {
        Value::Object(_) => "{}".to_string(),
        Value::Array(_) => "[]".to_string(),
        other => other.to_string(),
    }
}

/// Columns a string takes in a terminal, as Prettier measures them: wide East Asian characters
/// and emoji take two.
fn width(text: &str) -> usize {
    text.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 | 0x1F300..=0x1F64F | 0x1F900..=0x1F9FF | 0x20000..=0x3FFFD)
}

#[cfg(test)]
mod tests {
    use super::to_string;
    use serde_json::json;

    #[test]
    fn objects_expand_and_short_arrays_stay_inline() {
        let value = json!({"a": {"b": ["x", "y"], "c": {}}, "d": [], "e": 1.5, "f": null});
        assert_eq!(
            to_string(&value),
            "{\n  \"a\": {\n    \"b\": [\"x\", \"y\"],\n    \"c\": {}\n  },\n  \"d\": [],\n  \"e\": 1.5,\n  \"f\": null\n}\n"
        );
    }

    #[test]
    fn arrays_of_objects_break() {
        let value = json!({"list": [{"k": "v"}]});
        assert_eq!(
            to_string(&value),
            "{\n  \"list\": [\n    {\n      \"k\": \"v\"\n    }\n  ]\n}\n"
        );
    }

    #[test]
    fn an_array_breaks_when_it_and_its_comma_pass_eighty_columns() {
        // `  "k": [` is 8 columns; each item `"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"` is 33.
        let item = "a".repeat(31);
        let fits = json!({"k": [item.clone(), "b".repeat(34)]});
        let line = to_string(&fits);
        assert_eq!(line.lines().nth(1).map(str::len), Some(80), "{line}");
        let with_comma = json!({"k": [item.clone(), "b".repeat(34)], "z": 1});
        assert!(to_string(&with_comma).contains("\"k\": [\n"));
    }

    #[test]
    fn a_matrix_breaks_however_short() {
        let value = json!({"m": [["a", "b"], ["c", "d"]], "n": [["a"], ["b"]]});
        assert_eq!(
            to_string(&value),
            "{\n  \"m\": [\n    [\"a\", \"b\"],\n    [\"c\", \"d\"]\n  ],\n  \"n\": [[\"a\"], [\"b\"]]\n}\n"
        );
    }

    #[test]
    fn strings_keep_json_escapes_and_raw_unicode() {
        let value = json!({"t": "a \"q\" \\ ü 👍\n"});
        assert_eq!(
            to_string(&value),
            "{\n  \"t\": \"a \\\"q\\\" \\\\ ü 👍\\n\"\n}\n"
        );
    }
}
