"""The version of entities: written here once; pyproject.toml, the package, the manifests and `--version` read it."""

__version__ = "0.1.0"
