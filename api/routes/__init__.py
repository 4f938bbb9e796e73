"""Thin routes: parse the request, call a service, return a model."""
