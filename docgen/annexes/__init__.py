"""Annex forms 1–6 of the seed notice: their tables, workbooks that districts fill in, and the city's
consolidation of what the districts send back."""
