"""Báo cáo: pages of the web application."""
