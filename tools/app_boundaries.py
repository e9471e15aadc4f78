"""An import-linter contract: an app reaches another app only through its ``api.py`` or a
shared module that decision 0056 names (``.importlinter``, run by ``.ci/run``).

The built-in contracts check direction (``layers``) and cycles (``acyclic_siblings``); none
says "any app, any other app, only through one module", which needs the importing and the
imported app compared per import.
"""

from __future__ import annotations

from dataclasses import dataclass

import grimp
from importlinter import Contract, ContractCheck, fields, output
from importlinter.application import contract_utils
from importlinter.domain.helpers import module_expressions_to_modules


@dataclass(frozen=True)
class Breach:
    importer: str
    imported: str
    lines: tuple[int, ...]


class AppBoundariesContract(Contract):
    """Options: ``container`` (the package whose children are the apps), ``shared`` (modules
    or packages any app may import besides another app's ``api``), ``ignore_imports``."""

    type_name = "app_boundaries"

    container = fields.StringField()
    shared = fields.ListField(subfield=fields.ModuleExpressionField())
    ignore_imports = fields.SetField(subfield=fields.ImportExpressionField(), required=False)

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        removal = contract_utils.remove_ignored_imports_and_report(
            graph=graph,
            ignore_imports=self.ignore_imports,  # type: ignore[arg-type]
            unmatched_alerting=contract_utils.AlertLevel.ERROR,
        )
        shared = {
            module.name
            for module in module_expressions_to_modules(
                graph,
                self.shared,  # type: ignore[arg-type]
                raise_if_unmatched=True,
            )
        }
        breaches = [
            Breach(importer, imported, self._lines(graph, importer, imported))
            for importer in sorted(graph.modules)
            for imported in sorted(graph.find_modules_directly_imported_by(importer))
            if self._crosses(importer, imported, shared)
        ]
        return ContractCheck(
            kept=not breaches,
            warnings=list(removal.warnings),
            ignored_import_count=removal.ignored_import_count,
            metadata={"breaches": breaches},
        )

    def render_broken_contract(self, check: ContractCheck) -> None:
        for breach in check.metadata["breaches"]:
            lines = ", ".join(map(str, breach.lines))
            output.print_error(f"- {breach.importer} -> {breach.imported} (l.{lines})", bold=False)
        output.new_line()

    def _app(self, module: str) -> str | None:
        """The app a module belongs to (the container's child), or None for modules outside
        the apps (the container itself, ``credence.urls``, ``credence.settings``, …)."""
        parts = module.split(".")
        prefix = str(self.container).split(".")
        if parts[: len(prefix)] != prefix or len(parts) < len(prefix) + 2:
            return None
        return parts[len(prefix)]

    def _crosses(self, importer: str, imported: str, shared: set[str]) -> bool:
        source, target = self._app(importer), self._app(imported)
        if source is None or target is None or source == target:
            return False
        if imported == f"{self.container}.{target}.api":
            return False
        return not any(imported == s or imported.startswith(f"{s}.") for s in shared)

    @staticmethod
    def _lines(graph: grimp.ImportGraph, importer: str, imported: str) -> tuple[int, ...]:
        details = graph.get_import_details(importer=importer, imported=imported)
        return tuple(sorted({detail["line_number"] for detail in details}))
