//! The closed choices `init` offers: HTTP method, authentication style, policy preset and body
//! format. Each has the word a flag takes and the sentence a prompt shows.

use std::fmt;
use std::str::FromStr;

macro_rules! choice {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $word:literal, $label:literal;)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word a flag takes.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$variant => $word),+ }
            }

            /// What the prompt shows.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// The position in `ALL`, for a prompt's default.
            pub fn index(self) -> usize {
                Self::ALL.iter().position(|c| *c == self).unwrap_or(0)
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(word: &str) -> Result<Self, String> {
                Self::ALL.iter().copied().find(|c| c.as_str() == word).ok_or_else(|| {
                    let words: Vec<&str> = Self::ALL.iter().map(|c| c.as_str()).collect();
                    format!("`{word}` is not one of {}", words.join(", "))
                })
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

choice!(
    /// The endpoint's HTTP method, as the schema allows them.
    Method {
        Post => "POST", "POST (most APIs take events this way)";
        Put => "PUT", "PUT";
        Patch => "PATCH", "PATCH";
        Get => "GET", "GET";
        Delete => "DELETE", "DELETE";
    }
);

choice!(
    /// How the endpoint authenticates LaunchDarkly's requests.
    Auth {
        None => "none", "none: the endpoint needs no credentials";
        Bearer => "bearer", "bearer token: `Authorization: Bearer <token>`";
        Basic => "basic", "basic auth: `Authorization: Basic <user:password>`";
        Header => "header", "API key in a header of your choice";
        Hmac => "hmac", "HMAC signature: LaunchDarkly signs each body with a shared secret";
        Oauth => "oauth", "OAuth: LaunchDarkly holds the token and the base URI";
    }
);

choice!(
    /// Which events the integration's `defaultPolicy` delivers when a user installs it.
    PolicyPreset {
        ProductionFlags => "production-flags", "flag changes in production (LaunchDarkly's recommendation)";
        AllFlags => "all-flags", "flag changes in every environment";
        Everything => "everything", "every change: flags, segments, metrics, projects, environments, members";
    }
);

choice!(
    /// The format of the request body the templates write.
    BodyFormat {
        Json => "json", "JSON";
        Text => "text", "plain text";
    }
);

impl PolicyPreset {
    /// The resource specifiers the preset's one `allow` statement lists.
    pub fn resources(self) -> &'static [&'static str] {
        match self {
            PolicyPreset::ProductionFlags => &["proj/*:env/production:flag/*"],
            PolicyPreset::AllFlags => &["proj/*:env/*:flag/*"],
            PolicyPreset::Everything => &[
                "proj/*",
                "proj/*:env/*",
                "proj/*:env/*:flag/*",
                "proj/*:env/*:segment/*",
                "proj/*:metric/*",
                "member/*",
            ],
        }
    }

    /// What the events are, in words, for the overview and the README.
    pub(crate) fn events_phrase(self) -> &'static str {
        match self {
            PolicyPreset::ProductionFlags => "flag changes in production",
            PolicyPreset::AllFlags => "flag changes",
            PolicyPreset::Everything => "change events",
        }
    }
}

impl BodyFormat {
    /// The templates' file-name ending; `.json.hbs` is what makes the framework JSON-escape
    /// event strings and check that the output parses.
    pub fn extension(self) -> &'static str {
        match self {
            BodyFormat::Json => "json.hbs",
            BodyFormat::Text => "txt.hbs",
        }
    }

    pub(crate) fn content_type(self) -> &'static str {
        match self {
            BodyFormat::Json => "application/json",
            BodyFormat::Text => "text/plain; charset=utf-8",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_parses_back_and_others_are_refused_with_the_list() {
        for auth in Auth::ALL {
            assert_eq!(auth.as_str().parse::<Auth>(), Ok(*auth));
        }
        assert_eq!(
            "jwt".parse::<Auth>(),
            Err("`jwt` is not one of none, bearer, basic, header, hmac, oauth".to_string())
        );
        assert_eq!("PATCH".parse::<Method>(), Ok(Method::Patch));
        assert_eq!(Method::Delete.index(), 4);
    }
}
