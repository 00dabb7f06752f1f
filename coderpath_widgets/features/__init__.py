"""Features: one module or package per workbook feature, logic apart from the widgets that show it."""
