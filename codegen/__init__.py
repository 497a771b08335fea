"""Generates everything under generated/ from the JSON Schemas in schemas/."""
