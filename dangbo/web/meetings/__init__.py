"""Hội nghị: pages of the web application."""
