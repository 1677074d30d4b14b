"""Chỉ tiêu: pages of the web application."""
