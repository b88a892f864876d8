"""The app's wiring, one package per topic (mirroring pages/), and `ui.common`, the part they share.

Pages start with `from ui.common.frame import frame` and `frame("<page file stem>")`. A topic package
(`ui.conv`, `ui.backward`, ...) imports only `ui.common` and itself (the backward page also uses `ui.conv`,
the convolution settings it shares with the forward page).
"""
