"""The convolution settings (shared by the forward and backward pages) and the forward page."""
