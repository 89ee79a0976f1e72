"""The version: a module of its own, so that every module can read it without importing the package
(whose ``__init__`` imports the public API, and so almost everything).

Written here and read by the build (``[tool.hatch.version]`` in pyproject.toml), not looked up in the
installed metadata at run time: ``importlib.metadata`` took a twentieth of a one-page audit's start-up.
"""

__version__ = "0.1.0"
