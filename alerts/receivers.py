"""Alerts hear of the changes of the apps below them through their signals: a new or changed
event or series (meetings.signals), a new or updated priority (engagement.signals). Each change
worth telling is recorded in the sender's transaction and sent once it commits."""

from alerts import changes
from alerts.tasks import send_after_commit
from engagement.signals import priority_saved
from meetings.signals import event_changed, event_created, series_changed, series_created


def _event_created(sender, *, event, **kwargs) -> None:
    send_after_commit(changes.alert_event_created(event=event))


def _event_changed(sender, *, event, fields, **kwargs) -> None:
    send_after_commit(changes.alert_event_changed(event=event, fields=fields))


def _series_created(sender, *, series, **kwargs) -> None:
    send_after_commit(changes.alert_series_created(series=series))


def _series_changed(sender, *, series, fields, **kwargs) -> None:
    send_after_commit(changes.alert_series_changed(series=series, fields=fields))


def _priority_saved(sender, *, priority, **kwargs) -> None:
    send_after_commit(changes.alert_priority_saved(priority=priority))


def connect() -> None:
    event_created.connect(_event_created, dispatch_uid="alerts-event-created")
    event_changed.connect(_event_changed, dispatch_uid="alerts-event-changed")
    series_created.connect(_series_created, dispatch_uid="alerts-series-created")
    series_changed.connect(_series_changed, dispatch_uid="alerts-series-changed")
    priority_saved.connect(_priority_saved, dispatch_uid="alerts-priority-saved")
