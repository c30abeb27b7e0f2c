from django import template

from motcua.plans.models import TaskStatus

register = template.Library()


@register.filter
def status_label(value):
    """The Vietnamese label of a stored status value ("done" → "Hoàn thành")."""
    try:
        return TaskStatus(value).label
    except ValueError:
        return value or ""
