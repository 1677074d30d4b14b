"""Văn bản: pages of the web application."""
