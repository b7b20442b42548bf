"""Replies in batches: many 批复 and, for each approved one, its station plaque, in one output."""
