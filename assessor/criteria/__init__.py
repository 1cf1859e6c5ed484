"""Criteria sets and reference data as versions the department keeps in the database: stored,
edited, reviewed by a second person, published, compared and exported."""
