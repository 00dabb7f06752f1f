"""Content layer: typed models of the CSVs in data/, their loaders, the dataset and its validation."""
