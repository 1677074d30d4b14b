"""Tổng hợp: pages of the web application."""
