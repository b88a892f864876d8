"""The chain rule page: the expression, its variables and the backward steps."""
