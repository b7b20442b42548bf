"""Station plaques (annex 7): layout in mm, print PDF (outlines or embedded fonts, CMYK), PNG proof, batches."""
