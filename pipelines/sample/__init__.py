"""Synthetic input data: the chunked post generator, the user-growth series and the embedded sample."""
