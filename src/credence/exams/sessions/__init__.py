"""Sessions and seat booking (R11): which sessions a candidate may book, seats, cancelling,
the office's session pages' reads and writes."""
