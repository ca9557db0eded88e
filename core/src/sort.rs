//! One small stable sort for the short lists the core sorts (diagnostics,
//! names, list items). The standard library's sorts are fast but each use
//! adds several kilobytes of wasm, and every kilobyte costs on 3G.

/// Insertion sort: stable, linear on nearly sorted input, quadratic at worst,
/// which is fine for the lists here (at most a few thousand items, usually
/// arriving in order).
pub fn sort_by<T>(v: &mut [T], mut less: impl FnMut(&T, &T) -> bool) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && less(&v[j], &v[j - 1]) {
            v.swap(j, j - 1);
            j -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sorts_stably() {
        let mut v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        super::sort_by(&mut v, |a, b| a.0 < b.0);
        assert_eq!(v, [(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
        let mut empty: Vec<u8> = Vec::new();
        super::sort_by(&mut empty, |a, b| a < b);
    }
}
