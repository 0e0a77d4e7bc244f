//! The hashed maps of the cast model, keyed by names from the script: hashed with foldhash,
//! several times cheaper than std's SipHash on short keys, and still seeded per process so a
//! script written to collide cannot make the lookups quadratic. No map hashed with it is ever
//! iterated in an order that reaches the output.

use std::collections::HashMap;

/// A `HashMap` with foldhash's fast, randomly seeded hashing.
pub type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_find_what_they_hold() {
        let mut m: FastMap<String, usize> = FastMap::default();
        for (i, w) in ["小宝", "林小宝", "ZOE", "ZOE STERLING", "a", ""]
            .iter()
            .enumerate()
        {
            m.insert(w.to_string(), i);
        }
        assert_eq!(m.get("ZOE STERLING"), Some(&3));
        assert_eq!(m.get(""), Some(&5));
        assert_eq!(m.get("ZOE S"), None);
    }
}
