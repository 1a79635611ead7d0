//! The domain: the exercise catalogue, its validation, indexes and search. No HTTP here.

pub mod alternatives;
pub mod generate;
pub mod guard;
pub mod index;
pub mod load;
pub mod model;
pub mod schema;
pub mod search;
pub mod text;

pub use index::{Catalogue, ExerciseFilter, ExerciseSort};
pub use load::{CatalogueErrors, Problem};
