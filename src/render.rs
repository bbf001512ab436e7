//! Render: one Tera context per page, built from the model.
