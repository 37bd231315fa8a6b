"""The analyst's loop: looking names up, screening a counterparty file, diffs of builds."""
