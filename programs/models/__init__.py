"""The domain models: programmes, budgets, gestures, approvals, audit, appreciation days."""
