"""Tables in the formats papers need, figures, the report and provenance."""
