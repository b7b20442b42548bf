"""Records of the seed notice's annex forms 1–6 (附件1–6), as district bureaus and stations fill them in."""
