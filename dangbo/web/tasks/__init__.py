"""Việc chạy nền: pages of the web application."""
