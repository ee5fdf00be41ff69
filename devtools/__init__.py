"""Tools for developing and testing the portal; never installed with it, never imported by it."""
