"""Kiểm tra, giám sát: pages of the web application."""
