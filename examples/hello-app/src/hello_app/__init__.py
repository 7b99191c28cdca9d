"""hello-app: greets in a box."""

__version__ = "1.0.0"
