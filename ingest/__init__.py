"""leadflow core: record schema, normalization, validation, consent, the store and loading."""
