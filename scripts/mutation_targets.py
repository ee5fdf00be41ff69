"""Run mutmut on one module at a time, against that module's own tests (see scripts/mutation).

mutmut reads one configuration from pyproject.toml; this sets the two settings that differ per
module — the file to mutate and the tests to run — before mutmut's command line starts, so each
mutant runs the few tests that exercise its module (and, of those, only the ones that call the
mutated function) instead of the whole suite.

    python scripts/mutation_targets.py MODULE [mutmut command and arguments]
    python scripts/mutation_targets.py --list
"""

import sys

# Ordered by what matters most when time is short: the audit trail, then approvals and money.
TARGETS: dict[str, tuple[str, list[str]]] = {
    "audit": (
        "programs/audit/trail.py",
        [
            "tests/programs/audit/test_trail.py",
            "tests/programs/audit/test_keys.py",
            "tests/programs/audit/test_checkpoint_log.py",
            "tests/programs/audit/test_verification.py",
        ],
    ),
    "audit_checkpoints": (
        "programs/audit/checkpoints.py",
        [
            "tests/programs/audit/test_checkpoint_log.py",
            "tests/programs/audit/test_checkpoints.py",
        ],
    ),
    "approvals": (
        "programs/empowerment/services/approvals.py",
        [
            "tests/programs/empowerment/services/test_approvals.py",
            "tests/programs/empowerment/services/test_notification_resolution.py",
        ],
    ),
    "ledger": (
        "programs/empowerment/services/ledger.py",
        ["tests/programs/empowerment/services/test_ledger.py"],
    ),
    "budgets": (
        "programs/empowerment/services/budgets.py",
        ["tests/programs/empowerment/services/test_budgets.py"],
    ),
    "gestures": (
        "programs/empowerment/services/gestures.py",
        [
            "tests/programs/empowerment/services/test_gestures.py",
            "tests/programs/empowerment/services/test_allowances.py",
        ],
    ),
    "registrations": (
        "programs/days/services/registrations.py",
        [
            "tests/programs/days/services/test_days.py",
            "tests/programs/days/services/test_registrations.py",
            "tests/programs/days/services/test_resend_link.py",
        ],
    ),
    "permissions": (
        "accounts/permissions.py",
        ["tests/accounts/test_permissions.py"],
    ),
}


def main(argv: list[str]) -> None:
    if argv[:1] == ["--list"]:
        print("\n".join(TARGETS))
        return
    if not argv or argv[0] not in TARGETS:
        sys.exit(f"usage: mutation_targets.py {{{','.join(TARGETS)}}} [mutmut arguments]")
    source, tests = TARGETS[argv[0]]

    from mutmut import configuration

    settings = configuration.config()
    settings.only_mutate = [source]
    settings.pytest_add_cli_args_test_selection = tests

    from mutmut.__main__ import cli

    cli(argv[1:], prog_name="mutmut")


if __name__ == "__main__":
    main(sys.argv[1:])
