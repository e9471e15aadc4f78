"""Scoring a submitted test and releasing it (R4): marking, the score, item statistics, released
results per session, and the submitted items a challenge (C1, C2) names."""
