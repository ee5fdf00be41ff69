"""Two-factor authentication: the enrolment gate for the roles that need it, and enrolment
as a service (for seed_demo and the tests). allauth.mfa does the rest (docs/security.md)."""
