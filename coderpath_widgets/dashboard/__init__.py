"""The dashboard: the learner's whole path and progress on one page, built from the features' renderers."""
