//! One small stable sort for everything the phone sorts (diagnostics, names,
//! list items, the outbox). The standard library's sorts are fast but each
//! use adds kilobytes of wasm (about 25 KB for two of them), and every
//! kilobyte costs on 3G. `collect()` into a map sorts with the standard
//! library's sort too, so maps are built with [`map`] instead.
//!
//! The core's hash maps are [`HashMap`]: natively the
//! standard library's (SipHash with random keys: the server hashes names
//! that came over the network), on the phone a small multiplicative hash,
//! whose code is a fraction of SipHash's rounds inlined at every use.

/// How the core's hash maps hash.
#[cfg(not(target_family = "wasm"))]
pub type Hashing = std::collections::hash_map::RandomState;
/// How the core's hash maps hash.
#[cfg(target_family = "wasm")]
pub type Hashing = std::hash::BuildHasherDefault<Small>;

pub type HashMap<K, V> = std::collections::HashMap<K, V, Hashing>;

/// Where `key` is in `list`, sorted by key, or where it would go: a map's
/// lookup on a list, for a map of a type that would be wasm of its own.
pub fn position<V>(list: &[(String, V)], key: &str) -> Result<usize, usize> {
    list.binary_search_by(|(k, _)| k.as_str().cmp(key))
}

/// A set of names as a sorted list, found by binary search: a hash set of
/// `String` is wasm of its own (its insert, hashing and growing), and the
/// sets here are a form's names, built once.
#[derive(Default, Debug, Clone)]
pub struct Names(Vec<String>);

impl Names {
    /// Adds `name`; false when it was there already.
    pub fn insert(&mut self, name: String) -> bool {
        match self.find(&name) {
            Ok(_) => false,
            Err(at) => {
                self.0.insert(at, name);
                true
            }
        }
    }

    pub fn contains(&self, name: &str) -> bool {
        self.find(name).is_ok()
    }

    fn find(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|n| n.as_str().cmp(name))
    }

    /// The names, sorted.
    pub fn into_vec(self) -> Vec<String> {
        self.0
    }
}

/// The names sorted once instead of inserted one by one (O(n log n) for a
/// list of any length). A name given twice stays twice: `contains` finds it.
impl From<Vec<String>> for Names {
    fn from(mut names: Vec<String>) -> Self {
        sort_by(&mut names, |a, b| a < b);
        Names(names)
    }
}

/// FxHash's step over bytes: rotate, mix in, multiply. Enough for the
/// names and rule targets of one form on one phone.
#[derive(Default, Clone, Copy)]
pub struct Small(u32);

impl std::hash::Hasher for Small {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u32::from(b)).wrapping_mul(0x9e37_79b9);
        }
    }

    fn finish(&self) -> u64 {
        // hashbrown takes its tag from the top bits: spread the word over both halves.
        let h = u64::from(self.0);
        h << 32 | h
    }
}

/// The pairs as a map, later keys winning, as `collect()` would give, but
/// inserted one by one instead of sorted first (no sort code in the wasm).
pub fn map<K: Ord, V, M: Default + Extend<(K, V)>>(pairs: impl IntoIterator<Item = (K, V)>) -> M {
    let mut m = M::default();
    m.extend(pairs);
    m
}

/// Stable. Insertion sort for short lists; above that, a bottom-up merge
/// sort of the positions (O(n log n), no `Clone` needed) applied in place.
pub fn sort_by<T>(v: &mut [T], mut less: impl FnMut(&T, &T) -> bool) {
    let n = v.len();
    if n <= 24 {
        for i in 1..n {
            let mut j = i;
            while j > 0 && less(&v[j], &v[j - 1]) {
                v.swap(j, j - 1);
                j -= 1;
            }
        }
        return;
    }
    let mut order: Vec<usize> = (0..n).collect();
    let mut spare = order.clone();
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let (mid, end) = ((start + width).min(n), (start + 2 * width).min(n));
            let (mut l, mut r) = (start, mid);
            for slot in &mut spare[start..end] {
                // Ties take from the left: that is what keeps it stable.
                let take_left = l < mid && (r >= end || !less(&v[order[r]], &v[order[l]]));
                *slot = if take_left {
                    l += 1;
                    order[l - 1]
                } else {
                    r += 1;
                    order[r - 1]
                };
            }
            start = end;
        }
        std::mem::swap(&mut order, &mut spare);
        width *= 2;
    }
    // order[i] is where the element that belongs at i is now.
    for i in 0..n {
        let mut j = order[i];
        while j < i {
            j = order[j];
        }
        v.swap(i, j);
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn small_hash_spreads_names() {
        use std::hash::{BuildHasher, BuildHasherDefault};
        let b = BuildHasherDefault::<super::Small>::default();
        let hashes: std::collections::BTreeSet<u64> = (0..1000).map(|i| b.hash_one(format!("q{i}"))).collect();
        assert_eq!(hashes.len(), 1000);
        let mut m: std::collections::HashMap<String, usize, BuildHasherDefault<super::Small>> = Default::default();
        m.extend((0..1000).map(|i| (format!("q{i}"), i)));
        assert!((0..1000).all(|i| m[&format!("q{i}")] == i));
    }

    #[test]
    fn sorts_stably() {
        let mut v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        super::sort_by(&mut v, |a, b| a.0 < b.0);
        assert_eq!(v, [(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
        let mut empty: Vec<u8> = Vec::new();
        super::sort_by(&mut empty, |a, b| a < b);
    }

    #[test]
    fn names_are_a_set() {
        let mut n = super::Names::default();
        assert!(n.insert("b".into()) && n.insert("a".into()) && n.insert("c".into()));
        assert!(!n.insert("a".into()));
        assert!(n.contains("a") && n.contains("c") && !n.contains("d"));
        assert_eq!(n.into_vec(), ["a", "b", "c"]);
        let m = super::Names::from(vec!["q2".to_string(), "q10".into(), "q1".into()]);
        assert!(m.contains("q10") && m.contains("q2") && !m.contains("q3"));
        assert_eq!(m.into_vec(), ["q1", "q10", "q2"]);
    }

    #[test]
    fn long_lists_sort_as_the_standard_stable_sort_does() {
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        for n in [25, 26, 31, 64, 100, 257, 1000, 2049] {
            let v: Vec<(u32, usize)> = (0..n)
                .map(|i| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    ((seed % 50) as u32, i)
                })
                .collect();
            let mut ours = v.clone();
            super::sort_by(&mut ours, |a, b| a.0 < b.0);
            let mut std = v.clone();
            std.sort_by_key(|p| p.0);
            assert_eq!(ours, std, "n = {n}");
        }
    }
}
