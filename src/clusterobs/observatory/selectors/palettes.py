"""Colour-blind-safe palettes of the observatory's maps and charts: viridis (sequential,
5 classes) and Okabe-Ito (categorical)."""

from __future__ import annotations

# Colour-blind-safe palettes: viridis (sequential, 5 classes) and Okabe-Ito (categorical).
VIRIDIS5 = ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"]


NO_DATA = "#d9d9d9"


OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]
