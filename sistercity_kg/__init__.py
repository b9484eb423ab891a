"""sistercity-kg: a legal knowledge graph of Indonesian regions' international cooperation agreements.

The flow, one module per stage: `dataset.load` (files → dataset) → `reason` (OWL 2 DL consistency) →
`validate` (data-quality shapes) → … ; `cli` is a thin shell over these functions.
"""
from .dataset import KnowledgeGraph, load
from .errors import InputError

__version__ = "0.1.0"
__all__ = ["KnowledgeGraph", "load", "InputError", "__version__"]
