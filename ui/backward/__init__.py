"""The backward page: its settings, controls, cached results, sections, labels, LaTeX and tour."""
