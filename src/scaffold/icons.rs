//! Placeholder icons: real SVG images with the integration's initials on a colour taken from its
//! key, sized as the integrations page shows them (square in a 40×40 box, horizontal 55 px high),
//! so the listing looks deliberate until the partner's designers send the real ones.

const PALETTE: &[&str] = &[
    "#405BFF", "#0E7C66", "#B3261E", "#7A3FD1", "#C25E00", "#1F6F9F",
];

pub(super) fn square(name: &str, key: &str) -> String {
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40" viewBox="0 0 40 40" role="img" aria-label="{label}">
  <rect width="40" height="40" rx="8" fill="{colour}"/>
  <text x="20" y="20" dy="0.35em" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" font-size="16" font-weight="700" fill="#FFFFFF">{initials}</text>
</svg>
"##,
        label = xml_escape(name),
        colour = colour(key),
        initials = xml_escape(&initials(name)),
    )
}

pub(super) fn horizontal(name: &str, key: &str) -> String {
    // Wide enough for the name at 24 px in a proportional font: about 0.6 em a character.
    let text_width = name.chars().count() * 15;
    let width = 55 + 12 + text_width;
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="55" viewBox="0 0 {width} 55" role="img" aria-label="{label}">
  <rect width="55" height="55" rx="11" fill="{colour}"/>
  <text x="27.5" y="27.5" dy="0.35em" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" font-size="22" font-weight="700" fill="#FFFFFF">{initials}</text>
  <text x="67" y="27.5" dy="0.35em" font-family="Helvetica, Arial, sans-serif" font-size="24" font-weight="600" fill="#1F2328">{label}</text>
</svg>
"##,
        label = xml_escape(name),
        colour = colour(key),
        initials = xml_escape(&initials(name)),
    )
}

/// The first letter of the first two words: `Acme Ops Cloud` → `AO`.
fn initials(name: &str) -> String {
    let letters: String = name
        .split(|c: char| !c.is_alphanumeric())
        .filter_map(|word| word.chars().next())
        .take(2)
        .flat_map(char::to_uppercase)
        .collect();
    if letters.is_empty() {
        name.chars().take(1).collect()
    } else {
        letters
    }
}

fn colour(key: &str) -> &'static str {
    let sum: usize = key.bytes().map(usize::from).sum();
    let at = sum.checked_rem(PALETTE.len()).unwrap_or(0);
    PALETTE.get(at).copied().unwrap_or("#405BFF")
}

fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::svg_problem;

    #[test]
    fn icons_are_svg_with_initials_and_escaped_names() {
        let square = square("Acme <Ops> & Co", "acme-ops");
        assert!(svg_problem(square.as_bytes()).is_ok());
        assert!(square.contains(">AO</text>"), "{square}");
        assert!(square.contains("aria-label=\"Acme &lt;Ops&gt; &amp; Co\""));
        let horizontal = horizontal("Acme", "acme");
        assert!(svg_problem(horizontal.as_bytes()).is_ok());
        assert!(horizontal.contains("width=\"127\""), "{horizontal}");
        assert_eq!(initials("日本 Tools"), "日T");
    }
}
