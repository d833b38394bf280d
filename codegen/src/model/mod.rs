//! The Smithy model toolkit: everything that reads, checks and writes Smithy models, apart from
//! the code generator. Nothing here knows about Rust or the generated crates; the generator
//! (`select`, `lower`, `ir`, `emit`, `render`) depends on this module, never the reverse.
//!
//! From the bottom up:
//!
//! - [`shape_id`]: absolute shape ids (`smithy.api#String`, `a.b#C$member`);
//! - [`source`]: the model files, and spans into them;
//! - [`diagnostic`]: errors and warnings located in the files;
//! - the shapes themselves ([`Model`], [`Shape`], [`Traits`], [`Node`]; `shape.rs`) and the
//!   [`prelude`];
//! - [`load`]: JSON AST and IDL 2.0 text into per-file [`Fragment`]s;
//! - [`resolve`]: fragments and the prelude into one checked [`Model`];
//! - [`json_ast`] and [`idl_writer`]: a model written back out as JSON AST or IDL.

pub mod diagnostic;
pub mod idl_writer;
pub mod json_ast;
pub mod load;
pub mod prelude;
pub mod resolve;
mod shape;
pub mod shape_id;
pub mod source;

pub use shape::*;
pub use shape_id::ShapeId;
