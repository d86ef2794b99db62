"""Adversarial tests: every case of the hardening issue and the family it stands for."""
