//! Objects as the framework's JSON escaper builds them. `jsonEscape` copies each object by
//! assignment (`ret[key] = value`), so a `__proto__` key is not copied as a member: an object
//! value becomes the copy's prototype, `null` leaves it without one, and anything else is
//! dropped. `JSON.parse` (contexts that are not escaped) keeps `__proto__` as a plain member.
//!
//! Handlebars.js reads only own members (`lookupProperty`), but strict mode's `name in obj`
//! sees the prototype's too: `{{o.x}}` with `"o": {"__proto__": {"x": 1}}` is no error and
//! renders nothing. `#each` (`Object.keys`) never sees `__proto__`.

use serde_json::{Map, Value};

use super::helpers::is_object_prototype_member;

/// The key that, by assignment, sets the prototype.
pub(super) const PROTO: &str = "__proto__";

/// How deep a chain of prototypes is followed: deeper than any context nests.
const MAX_CHAIN: usize = 256;

/// `name in object`, for an object built by assignment, when `object` has no own `name`:
/// a member of a prototype, or of `Object.prototype` at the chain's end (`__proto__`
/// included), unless a `null` prototype ends it first.
pub(super) fn inherits(object: &Map<String, Value>, name: &str) -> bool {
    let mut current = object;
    for _ in 0..MAX_CHAIN {
        match current.get(PROTO) {
            Some(Value::Object(prototype)) => {
                if name != PROTO && prototype.contains_key(name) {
                    return true;
                }
                current = prototype;
            }
            Some(Value::Null) => return false,
            _ => break,
        }
    }
    name == PROTO || is_object_prototype_member(name)
}

/// `object[name]` through the prototypes, for what Handlebars.js calls on a value before it
/// prints it (`toHTML`).
pub(super) fn get<'a>(object: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    let mut current = object;
    for _ in 0..MAX_CHAIN {
        if let Some(value) = current.get(name).filter(|_| name != PROTO) {
            return Some(value);
        }
        match current.get(PROTO) {
            Some(Value::Object(prototype)) => current = prototype,
            _ => return None,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn object(value: &Value) -> &Map<String, Value> {
        value.as_object().expect("an object")
    }

    #[test]
    fn a_prototype_s_members_are_in_the_object_and_a_null_one_ends_the_chain() {
        let o = json!({"own": 1, "__proto__": {"x": 1, "__proto__": {"y": 2}}});
        assert!(inherits(object(&o), "x"));
        assert!(inherits(object(&o), "y"));
        assert!(inherits(object(&o), "toString"));
        assert!(inherits(object(&o), PROTO));
        assert!(!inherits(object(&o), "z"));
        let bare = json!({"__proto__": null});
        assert!(!inherits(object(&bare), "toString"));
        assert!(!inherits(object(&bare), PROTO));
        let dropped = json!({"__proto__": 1});
        assert!(inherits(object(&dropped), PROTO));
        assert_eq!(get(object(&o), "y"), Some(&json!(2)));
        assert_eq!(get(object(&o), PROTO), None);
    }
}
