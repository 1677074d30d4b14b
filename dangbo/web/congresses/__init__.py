"""Đại hội: pages of the web application."""
