"""The shared part of the app's wiring: the frame every page starts with, session state, links,
display helpers, exports, translations and the guided-tour engine."""
