"""The portal's workflows: for each model whose status moves, which statuses a new row may
start in and which moves are allowed, in one table per model.

A model with a workflow names it in ``workflow``; its statuses change only in its services
(``<entity>_<action>``), which call ``transition`` (or ``Workflow.check`` for rows they
claim with a conditional UPDATE) and then do the transition's side effects. The admin
shows such a status read-only (``core.adminbase``) and offers the transitions as actions.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from core.models import AuditedModel

if TYPE_CHECKING:
    from django.contrib.auth.models import User

M = TypeVar("M", bound=models.Model)


class TransitionNotAllowed(ValidationError):
    """A status change the workflow does not allow; the message says which, for people."""


@dataclass(frozen=True)
class Workflow:
    """``moves`` maps a status to the statuses it may change to; ``initial`` are the
    statuses a new row may have; ``transition_fields`` are further fields only the
    transitions write (a reason, a decision date), read-only in the admin like the status."""

    moves: Mapping[str, Iterable[str]]
    initial: Iterable[str]
    field_name: str = "status"
    transition_fields: tuple[str, ...] = ()
    _moves: dict[str, frozenset[str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "_moves", {source: frozenset(t) for source, t in self.moves.items()}
        )
        object.__setattr__(self, "initial", frozenset(self.initial))

    @property
    def read_only_fields(self) -> tuple[str, ...]:
        return (self.field_name, *self.transition_fields)

    @property
    def states(self) -> frozenset[str]:
        return frozenset(self._moves) | frozenset().union(*self._moves.values())

    def allows(self, source: str, target: str) -> bool:
        return target in self._moves.get(source, ())

    def sources(self, target: str) -> frozenset[str]:
        """The statuses from which ``target`` may be reached."""
        return frozenset(s for s, targets in self._moves.items() if target in targets)

    def check(self, model: type[models.Model], source: str, target: str) -> None:
        """Raises ``TransitionNotAllowed`` unless ``source`` → ``target`` is allowed."""
        if not self.allows(source, target):
            self.refuse(model, source, target)

    def refuse(
        self,
        model: type[models.Model],
        source: str,
        target: str,
        *,
        expected: Iterable[str] = (),
    ) -> None:
        """Raises ``TransitionNotAllowed`` saying why, for people: the action is for rows
        in ``expected`` statuses (where a service narrows them), or the move is not one
        the workflow has."""
        values = {
            "model": model._meta.verbose_name,
            "source": _label(model, self.field_name, source),
            "target": _label(model, self.field_name, target),
            "expected": ", ".join(_label(model, self.field_name, s) for s in expected),
        }
        if expected:
            message = _("Not done: this is for a %(model)s that is %(expected)s; it is %(source)s.")
        else:
            message = _("Not done: a %(model)s that is %(source)s cannot become %(target)s.")
        raise TransitionNotAllowed(message % values, code="transition")

    def check_initial(self, model: type[models.Model], status: str) -> None:
        if status not in self.initial:
            raise TransitionNotAllowed(
                _("A new %(model)s cannot start as %(status)s.")
                % {
                    "model": model._meta.verbose_name,
                    "status": _label(model, self.field_name, status),
                },
                code="initial",
            )


def _label(model: type[models.Model], name: str, value: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)  # the status: a field of the model's own
    return str(dict(field.flatchoices).get(value, value)).lower()


def workflow_of(model: type[models.Model]) -> Workflow | None:
    return getattr(model, "workflow", None)


def transition(
    obj: M,
    *,
    to: str,
    by: "User | None",
    only_from: Iterable[str] | None = None,
    **fields: Any,
) -> M:
    """Moves ``obj`` to status ``to`` with ``fields`` set, in one transaction: the row is
    locked, the move checked against its workflow from the status the database holds (not
    the one ``obj`` remembers), and, where a service names them, against ``only_from`` (the
    statuses this particular action starts from: "unpublish" and "adopt" both lead to
    adopted); then validated and saved. Returns the saved row (a fresh instance). Raises
    ``TransitionNotAllowed`` having written nothing."""
    model = type(obj)
    workflow = workflow_of(model)
    if workflow is None:
        raise TypeError(f"{model.__name__} has no workflow.")
    with transaction.atomic():
        row = model._default_manager.select_for_update().get(pk=obj.pk)
        source = getattr(row, workflow.field_name)
        workflow.check(model, source, to)
        if only_from is not None and source not in only_from:
            workflow.refuse(model, source, to, expected=only_from)
        setattr(row, workflow.field_name, to)
        for name, value in fields.items():
            setattr(row, name, value)
        if isinstance(row, AuditedModel):
            row.updated_by = by
        row.full_clean()
        row.save()
    return row
