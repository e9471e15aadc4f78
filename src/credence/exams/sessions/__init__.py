"""Sessions and seat booking (R11): which sessions a candidate may book, seats, cancelling, and
the office's session pages."""
