"""Certificates: PDF rendering (render.py) and PAdES signing (signing.py)."""
