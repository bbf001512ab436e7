//! Resolve: one record per real thing across all documents.
