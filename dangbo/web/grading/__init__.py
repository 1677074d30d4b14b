"""Xếp loại: pages of the web application."""
