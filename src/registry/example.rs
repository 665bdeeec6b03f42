//! Each rule's example: the mistake and its fix, as data a test can apply to the bundled example
//! integration (`examples/pulseboard`), and the before/after text `ldhook explain` shows, derived
//! from that same data so that what a user reads is what the tests ran.

/// The kind of file an example changes, for its label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Manifest,
    Template,
    Icon,
    /// Something no single file of one integration shows: a checkout, another schema.
    Other,
}

/// One member of `manifest.json`, by JSON pointer (RFC 6901; a last token `-` is an item
/// appended to a list), with its value as JSON text before and after the fix; `None` where the
/// member is absent.
#[derive(Debug, PartialEq, Eq)]
pub struct Member {
    pub pointer: &'static str,
    pub before: Option<&'static str>,
    pub after: Option<&'static str>,
}

/// What an example changes, relative to the bundled example integration.
#[derive(Debug, PartialEq, Eq)]
pub enum Change {
    /// Members of `manifest.json`, all in one object or list, each set or left out.
    Members(&'static [Member]),
    /// The whole text of the file, before and after.
    Write {
        before: &'static str,
        after: &'static str,
    },
    /// A piece of the bundled file's text: `after` is in it once, and `before` replaces it.
    Replace {
        before: &'static str,
        after: &'static str,
    },
    /// Shown only: what no one file of the bundled example can hold.
    Described {
        before: &'static str,
        after: &'static str,
    },
}

#[derive(Debug, PartialEq, Eq)]
pub struct Example {
    pub kind: FileKind,
    /// The file changed, relative to the integration directory; for `FileKind::Other`, words
    /// saying where the example is.
    pub file: &'static str,
    pub change: Change,
}

/// Which side of the fix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Before,
    After,
}

impl Example {
    pub const fn manifest(members: &'static [Member]) -> Example {
        Example {
            kind: FileKind::Manifest,
            file: "manifest.json",
            change: Change::Members(members),
        }
    }

    /// A piece of the bundled `manifest.json`'s text, for a mistake the JSON model cannot hold.
    pub const fn manifest_text(before: &'static str, after: &'static str) -> Example {
        Example {
            kind: FileKind::Manifest,
            file: "manifest.json",
            change: Change::Replace { before, after },
        }
    }

    pub const fn template(
        file: &'static str,
        before: &'static str,
        after: &'static str,
    ) -> Example {
        Example {
            kind: FileKind::Template,
            file,
            change: Change::Write { before, after },
        }
    }

    pub const fn icon(file: &'static str, before: &'static str, after: &'static str) -> Example {
        Example {
            kind: FileKind::Icon,
            file,
            change: Change::Write { before, after },
        }
    }

    pub const fn other(place: &'static str, before: &'static str, after: &'static str) -> Example {
        Example {
            kind: FileKind::Other,
            file: place,
            change: Change::Described { before, after },
        }
    }

    /// The text shown for one side of the fix.
    pub fn text(&self, side: Side) -> String {
        match &self.change {
            Change::Members(members) => members_text(members, side),
            Change::Write { before, after }
            | Change::Replace { before, after }
            | Change::Described { before, after } => match side {
                Side::Before => (*before).to_string(),
                Side::After => (*after).to_string(),
            },
        }
    }

    /// What the example's heading names: the file, and for manifest members the object or list
    /// that holds them.
    pub fn place(&self) -> String {
        let parent = match &self.change {
            Change::Members(members) => members.first().map_or("", |m| parent(m.pointer)),
            _ => "",
        };
        if parent.is_empty() {
            self.file.to_string()
        } else {
            format!("{}, in {parent}", self.file)
        }
    }

    /// The example as `ldhook explain` prints it, ending in a newline: a heading, then each
    /// side indented, on the heading's line when both sides are one line.
    pub fn render(&self) -> String {
        let before = self.text(Side::Before);
        let after = self.text(Side::After);
        let mut out = format!("Example ({}):\n", self.place());
        if before.contains('\n') || after.contains('\n') {
            for (label, text) in [("before:", &before), ("after:", &after)] {
                out.push_str("  ");
                out.push_str(label);
                out.push('\n');
                for line in text.lines() {
                    out.push_str("    ");
                    out.push_str(line);
                    out.push('\n');
                }
            }
        } else {
            out.push_str(&format!("  before:  {before}\n  after:   {after}\n"));
        }
        out
    }
}

impl Member {
    /// A member whose value the fix changes.
    pub const fn set(pointer: &'static str, before: &'static str, after: &'static str) -> Member {
        Member {
            pointer,
            before: Some(before),
            after: Some(after),
        }
    }

    /// A member the fix adds.
    pub const fn added(pointer: &'static str, after: &'static str) -> Member {
        Member {
            pointer,
            before: None,
            after: Some(after),
        }
    }

    /// A member the fix takes out.
    pub const fn removed(pointer: &'static str, before: &'static str) -> Member {
        Member {
            pointer,
            before: Some(before),
            after: None,
        }
    }

    /// A member absent on both sides, named where a side shows nothing else.
    pub const fn absent(pointer: &'static str) -> Member {
        Member {
            pointer,
            before: None,
            after: None,
        }
    }

    pub fn value(&self, side: Side) -> Option<&'static str> {
        match side {
            Side::Before => self.before,
            Side::After => self.after,
        }
    }

    /// The pointer's tokens, unescaped (`~1` is `/`, `~0` is `~`).
    pub fn tokens(&self) -> Vec<String> {
        self.pointer
            .split('/')
            .skip(1)
            .map(|token| token.replace("~1", "/").replace("~0", "~"))
            .collect()
    }

    /// The member's key, or `None` for an item of a list.
    fn key(&self) -> Option<String> {
        self.tokens()
            .pop()
            .filter(|token| token != "-" && !token.bytes().all(|b| b.is_ascii_digit()))
    }

    fn text(&self, side: Side) -> Option<String> {
        let value = self.value(side)?;
        Some(match self.key() {
            Some(key) => format!("{}: {value}", quoted(&key)),
            None => value.to_string(),
        })
    }

    fn absence(&self) -> String {
        match (self.key(), self.tokens().pop()) {
            (Some(key), _) => format!("(no {})", quoted(&key)),
            (None, Some(index)) if index != "-" => format!("(no item {index})"),
            (None, _) => "(no such item)".to_string(),
        }
    }
}

/// The members present on one side, one after another; when none is, what is missing.
fn members_text(members: &[Member], side: Side) -> String {
    let present: Vec<String> = members.iter().filter_map(|m| m.text(side)).collect();
    let lines = if present.is_empty() {
        members.iter().map(Member::absence).collect()
    } else {
        present
    };
    lines.join("\n")
}

fn parent(pointer: &str) -> &str {
    pointer
        .rfind('/')
        .map_or("", |slash| pointer.get(..slash).unwrap_or(""))
}

/// A key as JSON writes it.
fn quoted(key: &str) -> String {
    let mut out = String::from("\"");
    for c in key.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    static HEADER: Example = Example::manifest(&[Member {
        pointer: "/capabilities/auditLogEventsHook/endpoint/headers/0/value",
        before: Some("\"text/plain\""),
        after: Some("\"application/json\""),
    }]);

    #[test]
    fn a_member_is_shown_with_its_key_under_its_parent() {
        assert_eq!(
            HEADER.render(),
            "Example (manifest.json, in /capabilities/auditLogEventsHook/endpoint/headers/0):\n  \
             before:  \"value\": \"text/plain\"\n  after:   \"value\": \"application/json\"\n"
        );
    }

    #[test]
    fn an_absent_member_is_named_only_when_nothing_else_is_shown() {
        static RENAMED: Example = Example::manifest(&[
            Member {
                pointer: "/links/support",
                before: Some("\"x\""),
                after: None,
            },
            Member {
                pointer: "/links/supportWebsite",
                before: None,
                after: Some("\"x\""),
            },
        ]);
        assert_eq!(RENAMED.text(Side::Before), "\"support\": \"x\"");
        assert_eq!(RENAMED.text(Side::After), "\"supportWebsite\": \"x\"");
        static ADDED: Example = Example::manifest(&[Member {
            pointer: "/list/-",
            before: Some("{}"),
            after: None,
        }]);
        assert_eq!(ADDED.text(Side::After), "(no such item)");
        assert_eq!(ADDED.place(), "manifest.json, in /list");
        static SECOND: Example = Example::manifest(&[Member::added("/list/1", "2")]);
        assert_eq!(SECOND.text(Side::Before), "(no item 1)");
    }

    #[test]
    fn multi_line_sides_are_indented_blocks() {
        let example = Example::other("a checkout", "one\ntwo", "three");
        assert_eq!(
            example.render(),
            "Example (a checkout):\n  before:\n    one\n    two\n  after:\n    three\n"
        );
    }

    #[test]
    fn keys_are_unescaped_and_quoted() {
        let member = Member {
            pointer: "/a~1b/q\"~0",
            before: None,
            after: Some("1"),
        };
        assert_eq!(member.tokens(), ["a/b", "q\"~"]);
        assert_eq!(member.text(Side::After).as_deref(), Some("\"q\\\"~\": 1"));
    }
}
