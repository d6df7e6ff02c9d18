"""Bounces and complaints: what comes back by e-mail (README "Two-way: what comes back")."""
