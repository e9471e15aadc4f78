"""Credence: a portfolio-based AI certification platform."""
