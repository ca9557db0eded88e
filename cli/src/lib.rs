//! The library behind `phieu`: the commands' code, also reached by the fuzz
//! targets in `fuzz/` (the submission reader, the file server's path check).

pub mod check;
pub mod db;
pub mod eval;
pub mod faults;
mod files;
pub mod listen;
mod office;
pub mod schema;
pub mod secret;
pub mod serve;
pub mod statics;
pub mod store;
pub mod time;
pub mod users;
