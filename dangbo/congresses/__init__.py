"""Committees over time, congresses and elections (đại hội, bầu cử)."""
