//! Extract: sentences → mentions → relations, each fact with its citation.
