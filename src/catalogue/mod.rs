//! The domain: the exercise catalogue, its validation, indexes and search. No HTTP here.

pub mod alternatives;
mod derive;
pub mod generate;
pub mod guard;
pub mod i18n;
pub mod index;
pub mod layers;
pub mod load;
pub mod model;
pub mod schema;
pub mod search;
pub mod text;
pub mod validate;

pub use index::{Catalogue, ExerciseFilter, ExerciseSort};
pub use load::{CatalogueErrors, Problem};
