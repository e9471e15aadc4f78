"""Permissions that apps below accounts declare and accounts grants (docs/permissions.md).

The audit trail sits below accounts (every app's services write to it, accounts' included), so
its page asks for a permission by name and the roles that hold it are granted here
(decision 0056)."""

from __future__ import annotations

import rules

from credence.accounts.access import is_office

rules.add_perm("audit.search_events", is_office)
