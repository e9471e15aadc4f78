"""The live knowledge test (R11): the sitting's clock and timing rules, the candidate's test
pages and the proctor's console."""
