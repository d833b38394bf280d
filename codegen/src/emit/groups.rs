//! Groups of operations for a large service (`super::Options::operations_per_crate`): which
//! operations share a group's crates (`connect-types-N`, `connect-client-N`), and which shapes
//! leave the shapes crate for the types crate of the one group that uses them.
//!
//! rustc compiles the groups' crates side by side, but only once the shapes crate's front end
//! is done: every shape two groups share holds all of them up. So operations that use the same
//! shapes go into the same group, as far as the groups stay of about equal size; sizes are
//! counted in members (structure members, union variants, enum values, an operation's input
//! and output members and errors), which is what the generated code grows with.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

use crate::ir::{EnumVariants, Ir, Operation, Type};

/// How a service's operations are grouped.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Groups {
    /// Each group's operations, as indices into `ir.operations`, in name order; empty when the
    /// operations are not grouped.
    pub operations: Vec<Vec<usize>>,
    /// The shapes only one group's operations use, by Rust name, with that group's index. The
    /// shapes of no group or of several (and everything they reach, since the shapes crate
    /// cannot refer to a group's crate) are absent: they stay in the shapes crate.
    pub shapes: BTreeMap<String, usize>,
}

impl Groups {
    /// `ir`'s operations in `count` groups (none when `count` is below two).
    pub fn new(ir: &Ir, count: usize) -> Groups {
        if count < 2 || ir.operations.len() < 2 {
            return Groups::default();
        }
        let graph = Graph::new(ir);
        let reached: Vec<BTreeSet<&str>> = ir.operations.iter().map(|op| graph.reach(roots(op))).collect();
        let operations = assign(ir, &graph, &reached, count);
        let shapes = homes(ir, &graph, &reached, &operations);
        Groups { operations, shapes }
    }

    /// The operations of group `group`.
    pub fn of<'ir>(&self, ir: &'ir Ir, group: usize) -> Vec<&'ir crate::ir::Operation> {
        self.operations[group].iter().map(|&i| &ir.operations[i]).collect()
    }
}

/// The shapes and what each refers to directly, with the size of each.
struct Graph<'ir> {
    refers: BTreeMap<&'ir str, Vec<&'ir str>>,
    size: BTreeMap<&'ir str, usize>,
}

impl<'ir> Graph<'ir> {
    fn new(ir: &'ir Ir) -> Self {
        let mut refers = BTreeMap::new();
        let mut size = BTreeMap::new();
        for s in &ir.structures {
            refers.insert(s.rust_name.as_str(), s.members.iter().flat_map(|m| named_in(&m.ty)).collect());
            size.insert(s.rust_name.as_str(), 1 + s.members.len());
        }
        for u in &ir.unions {
            let types = u.variants.iter().filter_map(|v| v.ty.as_ref());
            refers.insert(u.rust_name.as_str(), types.flat_map(named_in).collect());
            size.insert(u.rust_name.as_str(), 1 + u.variants.len());
        }
        for e in &ir.enums {
            let values = match &e.variants {
                EnumVariants::String(v) => v.len(),
                EnumVariants::Int(v) => v.len(),
            };
            size.insert(e.rust_name.as_str(), 1 + values);
        }
        Graph { refers, size }
    }

    /// Every shape reachable from `roots`, roots included.
    fn reach(&self, roots: Vec<&'ir str>) -> BTreeSet<&'ir str> {
        let mut seen = BTreeSet::new();
        let mut stack = roots;
        while let Some(name) = stack.pop() {
            if seen.insert(name) {
                stack.extend(self.refers.get(name).into_iter().flatten().copied());
            }
        }
        seen
    }

    fn size(&self, shape: &str) -> usize {
        self.size.get(shape).copied().unwrap_or(1)
    }

    fn size_of<'s>(&self, shapes: impl Iterator<Item = &'s &'ir str>) -> usize
    where
        'ir: 's,
    {
        shapes.map(|s| self.size(s)).sum()
    }
}

/// The shapes an operation uses directly: its input's and output's members' and its errors.
fn roots(op: &Operation) -> Vec<&str> {
    let members = op.input.members.iter().chain(&op.output.members).flat_map(|m| named_in(&m.ty));
    members.chain(op.errors.iter().map(|e| e.rust_name.as_str())).collect()
}

/// The generated types `ty` names, through lists and maps.
fn named_in(ty: &Type) -> Vec<&str> {
    match ty {
        Type::Named(named) => vec![named.rust_name.as_str()],
        Type::List { member, .. } => named_in(&member.ty),
        Type::Map { key, value, .. } => named_in(&key.ty).into_iter().chain(named_in(&value.ty)).collect(),
        _ => Vec::new(),
    }
}

/// The operations in `count` groups, greedily: the operations that use the most shapes first,
/// each into the group that already has the most of its shapes among those it fits in
/// (a group's size, its operations and the shapes they use, at most an equal share of the
/// whole), or else into the smallest group. Every group gets at least one operation.
fn assign(ir: &Ir, graph: &Graph<'_>, reached: &[BTreeSet<&str>], count: usize) -> Vec<Vec<usize>> {
    let n = ir.operations.len();
    let own = |i: usize| {
        let op = &ir.operations[i];
        1 + op.input.members.len() + op.output.members.len() + op.errors.len()
    };
    let used: BTreeSet<&str> = reached.iter().flatten().copied().collect();
    let total = (0..n).map(own).sum::<usize>() + graph.size_of(used.iter());
    let share = total.div_ceil(count);
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (Reverse(graph.size_of(reached[i].iter())), i));

    let mut groups: Vec<Vec<usize>> = vec![Vec::new(); count];
    let mut has: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); count];
    let mut size = vec![0usize; count];
    for (done, &i) in order.iter().enumerate() {
        let empty: Vec<usize> = (0..count).filter(|&g| groups[g].is_empty()).collect();
        let candidates = if n - done <= empty.len() { empty } else { (0..count).collect() };
        let common = |g: usize| graph.size_of(reached[i].iter().filter(|s| has[g].contains(*s)));
        let grows = |g: usize| own(i) + graph.size_of(reached[i].iter().filter(|s| !has[g].contains(*s)));
        let fits: Vec<usize> = candidates.iter().copied().filter(|&g| size[g] + grows(g) <= share).collect();
        let chosen = match fits.iter().copied().max_by_key(|&g| (common(g), Reverse(size[g]), Reverse(g))) {
            Some(g) => g,
            None => candidates.iter().copied().min_by_key(|&g| (size[g], g)).unwrap_or(0),
        };
        size[chosen] += grows(chosen);
        groups[chosen].push(i);
        has[chosen].extend(reached[i].iter().copied());
    }
    for group in &mut groups {
        group.sort_unstable();
    }
    groups
}

/// [`Groups::shapes`]: the shapes exactly one group uses, less those a shared shape reaches.
fn homes(ir: &Ir, graph: &Graph<'_>, reached: &[BTreeSet<&str>], groups: &[Vec<usize>]) -> BTreeMap<String, usize> {
    let mut users: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
    for (g, operations) in groups.iter().enumerate() {
        for &i in operations {
            for &shape in &reached[i] {
                users.entry(shape).or_default().insert(g);
            }
        }
    }
    let every = ir.structures.iter().map(|s| &s.rust_name).chain(ir.unions.iter().map(|u| &u.rust_name));
    let every = every.chain(ir.enums.iter().map(|e| &e.rust_name)).map(String::as_str);
    let shared = graph.reach(every.filter(|name| users.get(name).is_none_or(|g| g.len() != 1)).collect());
    users
        .into_iter()
        .filter(|(name, _)| !shared.contains(name))
        .filter_map(|(name, g)| Some((name.to_owned(), *g.first()?)))
        .collect()
}
